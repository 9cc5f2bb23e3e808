"""ecsbridge_ecr_registry.py: ECR's pull-through cache rules, repository creation templates and registry policy,
against a moto server started by the launcher."""
import json
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from moto_process import moto_server

ACCOUNT = "123456789012"


@pytest.fixture(scope="module")
def endpoint():
    with moto_server() as url:
        yield url


def client(endpoint, service, region="us-east-1"):
    return boto3.client(service, region_name=region, endpoint_url=endpoint, aws_access_key_id="test",
                        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))


@pytest.fixture
def ecr(endpoint):
    with urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10):
        pass
    return client(endpoint, "ecr")


@pytest.fixture
def secrets(endpoint, ecr):
    return client(endpoint, "secretsmanager")


def code(e):
    return e.value.response["Error"]["Code"]


def secret(secrets, name="ecr-pullthroughcache/docker-hub"):
    return secrets.create_secret(Name=name, SecretString='{"username":"u","accessToken":"t"}')["ARN"]


# ---------------------------------------------------------------- pull-through cache rules

def test_a_public_rule_is_created_described_and_deleted(ecr):
    created = ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws")
    assert created["ecrRepositoryPrefix"] == "ecr-public" and created["upstreamRegistry"] == "ecr-public"
    assert created["registryId"] == ACCOUNT and "createdAt" in created and "credentialArn" not in created
    rules = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"]
    assert [(r["ecrRepositoryPrefix"], r["upstreamRegistryUrl"], r["upstreamRegistry"]) for r in rules] == \
        [("ecr-public", "public.ecr.aws", "ecr-public")]
    assert rules[0]["updatedAt"] == rules[0]["createdAt"]
    deleted = ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public")
    assert deleted["upstreamRegistryUrl"] == "public.ecr.aws"
    assert ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"] == []
    with pytest.raises(ClientError) as e:
        ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public")
    assert code(e) == "PullThroughCacheRuleNotFoundException"


def test_a_duplicate_prefix_is_refused(ecr):
    ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="k8s", upstreamRegistryUrl="registry.k8s.io")
    with pytest.raises(ClientError) as e:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="k8s/", upstreamRegistryUrl="quay.io")
    assert code(e) == "PullThroughCacheRuleAlreadyExistsException"


def test_docker_hub_needs_an_existing_pull_through_cache_secret(ecr, secrets):
    with pytest.raises(ClientError) as e:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub", upstreamRegistryUrl="registry-1.docker.io")
    assert code(e) == "InvalidParameterException"
    missing = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ecr-pullthroughcache/nothing-AbCdEf"
    with pytest.raises(ClientError) as e:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub", upstreamRegistryUrl="registry-1.docker.io",
                                           credentialArn=missing)
    assert code(e) == "SecretNotFoundException"
    wrong_name = secret(secrets, "docker-hub-credentials")
    with pytest.raises(ClientError) as e:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub", upstreamRegistryUrl="registry-1.docker.io",
                                           credentialArn=wrong_name)
    assert code(e) == "ValidationException"
    arn = secret(secrets)
    rule = ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub",
                                              upstreamRegistryUrl="registry-1.docker.io", credentialArn=arn)
    assert rule["credentialArn"] == arn and rule["upstreamRegistry"] == "docker-hub"
    assert ecr.validate_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub")["isValid"] is True
    secrets.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)
    invalid = ecr.validate_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub")
    assert invalid["isValid"] is False and arn in invalid["failure"]


def test_credentials_are_refused_where_ecr_takes_none(ecr, secrets):
    arn = secret(secrets)
    for prefix, url in (("ecr-public", "public.ecr.aws"), ("k8s", "registry.k8s.io")):
        with pytest.raises(ClientError) as e:
            ecr.create_pull_through_cache_rule(ecrRepositoryPrefix=prefix, upstreamRegistryUrl=url, credentialArn=arn)
        assert code(e) == "InvalidParameterException"
    # quay: optional
    assert ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io",
                                              credentialArn=arn)["credentialArn"] == arn


def test_upstream_registry_and_url_must_agree(ecr):
    with pytest.raises(ClientError) as e:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="hub", upstreamRegistryUrl="example.com")
    assert code(e) == "UnsupportedUpstreamRegistryException"
    with pytest.raises(ClientError) as e:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="hub", upstreamRegistryUrl="quay.io",
                                           upstreamRegistry="k8s")
    assert code(e) == "InvalidParameterException"
    with pytest.raises(ClientError) as e:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="Bad_Prefix", upstreamRegistryUrl="quay.io")
    assert code(e) == "ValidationException"
    with pytest.raises(ClientError) as e:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="ROOT", upstreamRegistryUrl="quay.io")
    assert code(e) == "InvalidParameterException"


def test_an_ecr_upstream_needs_a_custom_role_and_takes_a_repository_prefix(ecr):
    url = f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com"
    with pytest.raises(ClientError) as e:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="mirror", upstreamRegistryUrl=url)
    assert code(e) == "InvalidParameterException"
    role = f"arn:aws:iam::{ACCOUNT}:role/ptc"
    rule = ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="mirror", upstreamRegistryUrl=url,
                                              customRoleArn=role, upstreamRepositoryPrefix="team")
    assert (rule["upstreamRegistry"], rule["customRoleArn"], rule["upstreamRepositoryPrefix"]) == ("ecr", role, "team")
    updated = ecr.update_pull_through_cache_rule(ecrRepositoryPrefix="mirror", customRoleArn=role + "2")
    assert updated["customRoleArn"] == role + "2" and updated["upstreamRepositoryPrefix"] == "team"
    described = ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=["mirror"])["pullThroughCacheRules"][0]
    assert described["customRoleArn"] == role + "2" and described["updatedAt"] >= described["createdAt"]


def test_update_changes_the_credential(ecr, secrets):
    first, second = secret(secrets), secret(secrets, "ecr-pullthroughcache/other")
    ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="ghcr", upstreamRegistryUrl="ghcr.io", credentialArn=first)
    assert ecr.update_pull_through_cache_rule(ecrRepositoryPrefix="ghcr", credentialArn=second)["credentialArn"] == second
    assert ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]["credentialArn"] == second
    with pytest.raises(ClientError) as e:
        ecr.update_pull_through_cache_rule(ecrRepositoryPrefix="ghcr", customRoleArn="arn:aws:iam::1:role/x")
    assert code(e) == "InvalidParameterException"
    with pytest.raises(ClientError) as e:
        ecr.update_pull_through_cache_rule(ecrRepositoryPrefix="nothing", credentialArn=second)
    assert code(e) == "PullThroughCacheRuleNotFoundException"


def test_describe_rules_pages_and_refuses_an_unknown_prefix(ecr):
    for n in range(3):
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix=f"k8s-{n}", upstreamRegistryUrl="registry.k8s.io")
    first = ecr.describe_pull_through_cache_rules(maxResults=2)
    assert [r["ecrRepositoryPrefix"] for r in first["pullThroughCacheRules"]] == ["k8s-0", "k8s-1"]
    rest = ecr.describe_pull_through_cache_rules(maxResults=2, nextToken=first["nextToken"])
    assert [r["ecrRepositoryPrefix"] for r in rest["pullThroughCacheRules"]] == ["k8s-2"] and "nextToken" not in rest
    with pytest.raises(ClientError) as e:
        ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=["k8s-0", "nothing"])
    assert code(e) == "PullThroughCacheRuleNotFoundException"


# ---------------------------------------------------------------- repository creation templates

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "pull", "Effect": "Allow",
                                                             "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                                                             "Action": ["ecr:BatchGetImage"]}]})
LIFECYCLE = json.dumps({"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType":
                                                                    "imageCountMoreThan", "countNumber": 5},
                                   "action": {"type": "expire"}}]})


def test_a_template_is_created_described_updated_and_deleted(ecr):
    created = ecr.create_repository_creation_template(
        prefix="prod", description="production", appliedFor=["REPLICATION", "PULL_THROUGH_CACHE"],
        imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "latest*"}],
        encryptionConfiguration={"encryptionType": "KMS", "kmsKey": "alias/prod"},
        resourceTags=[{"Key": "team", "Value": "web"}], repositoryPolicy=POLICY, lifecyclePolicy=LIFECYCLE,
        customRoleArn=f"arn:aws:iam::{ACCOUNT}:role/rct")
    assert created["registryId"] == ACCOUNT
    template = created["repositoryCreationTemplate"]
    assert template["prefix"] == "prod" and template["appliedFor"] == ["REPLICATION", "PULL_THROUGH_CACHE"]
    assert template["imageTagMutabilityExclusionFilters"] == [{"filterType": "WILDCARD", "filter": "latest*"}]
    assert json.loads(template["repositoryPolicy"]) == json.loads(POLICY)
    assert template["createdAt"] == template["updatedAt"]

    updated = ecr.update_repository_creation_template(prefix="prod", description="", imageTagMutability="MUTABLE",
                                                      resourceTags=[])["repositoryCreationTemplate"]
    assert "description" not in updated and "resourceTags" not in updated
    assert updated["imageTagMutability"] == "MUTABLE" and "imageTagMutabilityExclusionFilters" not in updated
    assert updated["lifecyclePolicy"] == LIFECYCLE and updated["updatedAt"] >= updated["createdAt"]

    described = ecr.describe_repository_creation_templates(prefixes=["prod", "other"])["repositoryCreationTemplates"]
    assert [t["prefix"] for t in described] == ["prod"]
    assert ecr.delete_repository_creation_template(prefix="prod")["repositoryCreationTemplate"]["prefix"] == "prod"
    with pytest.raises(ClientError) as e:
        ecr.delete_repository_creation_template(prefix="prod")
    assert code(e) == "TemplateNotFoundException"
    with pytest.raises(ClientError) as e:
        ecr.update_repository_creation_template(prefix="prod", description="x")
    assert code(e) == "TemplateNotFoundException"


def test_a_template_reports_ecr_defaults_and_root_is_a_prefix(ecr):
    template = ecr.create_repository_creation_template(prefix="ROOT", appliedFor=["CREATE_ON_PUSH"])[
        "repositoryCreationTemplate"]
    assert template["imageTagMutability"] == "MUTABLE"
    assert template["encryptionConfiguration"] == {"encryptionType": "AES256"}
    with pytest.raises(ClientError) as e:
        ecr.create_repository_creation_template(prefix="ROOT", appliedFor=["REPLICATION"])
    assert code(e) == "TemplateAlreadyExistsException"


def test_a_template_refuses_bad_input(ecr):
    cases = [({"prefix": "Bad Prefix", "appliedFor": ["REPLICATION"]}, "ValidationException"),
             ({"prefix": "a", "appliedFor": ["SOMETIMES"]}, "ValidationException"),
             ({"prefix": "a", "appliedFor": ["REPLICATION"], "repositoryPolicy": "{not json"},
              "InvalidParameterException"),
             ({"prefix": "a", "appliedFor": ["REPLICATION"], "lifecyclePolicy": '{"rules": [{"rulePriority": 1}]}'},
              "InvalidParameterException"),
             ({"prefix": "a", "appliedFor": ["REPLICATION"], "imageTagMutability": "IMMUTABLE_WITH_EXCLUSION"},
              "InvalidParameterException")]
    for args, expected in cases:
        with pytest.raises(ClientError) as e:
            ecr.create_repository_creation_template(**args)
        assert code(e) == expected, args
    assert ecr.describe_repository_creation_templates()["repositoryCreationTemplates"] == []


def test_describe_templates_pages(ecr):
    for name in ("a", "b", "c"):
        ecr.create_repository_creation_template(prefix=name, appliedFor=["REPLICATION"])
    first = ecr.describe_repository_creation_templates(maxResults=2)
    rest = ecr.describe_repository_creation_templates(maxResults=2, nextToken=first["nextToken"])
    assert [t["prefix"] for t in first["repositoryCreationTemplates"] + rest["repositoryCreationTemplates"]] == \
        ["a", "b", "c"]


# ---------------------------------------------------------------- registry policy

def test_registry_policy_put_get_delete_as_ecr(ecr):
    with pytest.raises(ClientError) as e:
        ecr.get_registry_policy()
    assert code(e) == "RegistryPolicyNotFoundException"
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "ptc", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
         "Action": ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage", "ecr:ReplicateImage"],
         "Resource": f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/*"}]})
    assert ecr.put_registry_policy(policyText=policy)["registryId"] == ACCOUNT
    assert json.loads(ecr.get_registry_policy()["policyText"]) == json.loads(policy)
    ecr.delete_registry_policy()
    with pytest.raises(ClientError) as e:
        ecr.delete_registry_policy()
    assert code(e) == "RegistryPolicyNotFoundException"
