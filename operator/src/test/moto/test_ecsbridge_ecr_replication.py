"""ecsbridge_ecr_replication.py: replication that happens, tag mutability exclusions, create on push and pull through on
demand, against a moto server started by the launcher."""
import json
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from moto_process import moto_server

ACCOUNT = "123456789012"
OTHER = "210987654321"


@pytest.fixture(scope="module")
def endpoint():
    with moto_server() as url:
        yield url


def client(endpoint, region="us-east-1", account=ACCOUNT):
    ecr = boto3.client("ecr", region_name=region, endpoint_url=endpoint, aws_access_key_id="test",
                       aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))
    if account != ACCOUNT:
        ecr.meta.events.register("before-send.ecr.*", lambda request, **_: request.headers.__setitem__(
            "x-moto-account-id", account))
    return ecr


@pytest.fixture
def ecr(endpoint):
    with urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10):
        pass
    return client(endpoint)


def code(e):
    return e.value.response["Error"]["Code"]


def manifest(layer):
    return json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 7,
                                  "digest": "sha256:" + "c" * 64},
                       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 5,
                                   "digest": f"sha256:{layer:064x}"}]})


def push(ecr, repository, tag, layer):
    return ecr.put_image(repositoryName=repository, imageTag=tag, imageManifest=manifest(layer))["image"]


def dest(region, registry_id=ACCOUNT):
    return {"region": region, "registryId": registry_id}


# ---------------------------------------------------------------- replication

def test_a_pushed_image_is_replicated_to_each_destination_of_a_matching_rule(ecr, endpoint):
    west = client(endpoint, "eu-west-1")
    west.create_repository_creation_template(prefix="prod", appliedFor=["REPLICATION"],
                                             imageTagMutability="IMMUTABLE", resourceTags=[{"Key": "k", "Value": "v"}])
    ecr.put_replication_configuration(replicationConfiguration={"rules": [
        {"destinations": [dest("eu-west-1"), dest("us-west-2")],
         "repositoryFilters": [{"filter": "prod", "filterType": "PREFIX_MATCH"}]}]})
    assert len(ecr.describe_registry()["replicationConfiguration"]["rules"]) == 1
    ecr.create_repository(repositoryName="prod/web")
    ecr.create_repository(repositoryName="dev/web")
    digest = push(ecr, "prod/web", "v1", 1)["imageId"]["imageDigest"]
    push(ecr, "dev/web", "v1", 1)

    replicated = west.describe_images(repositoryName="prod/web", imageIds=[{"imageTag": "v1"}])["imageDetails"][0]
    assert replicated["imageDigest"] == digest
    repo = west.describe_repositories(repositoryNames=["prod/web"])["repositories"][0]
    assert repo["imageTagMutability"] == "IMMUTABLE"  # the destination's REPLICATION template
    assert west.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"] == [{"Key": "k", "Value": "v"}]
    oregon = client(endpoint, "us-west-2")
    assert oregon.describe_repositories(repositoryNames=["prod/web"])["repositories"][0]["imageTagMutability"] \
        == "MUTABLE"
    with pytest.raises(ClientError) as e:
        west.describe_repositories(repositoryNames=["dev/web"])
    assert code(e) == "RepositoryNotFoundException"

    statuses = ecr.describe_image_replication_status(repositoryName="prod/web", imageId={"imageTag": "v1"})
    assert statuses["imageId"] == {"imageDigest": digest, "imageTag": "v1"}
    assert statuses["replicationStatuses"] == [
        {"region": "eu-west-1", "registryId": ACCOUNT, "status": "COMPLETE"},
        {"region": "us-west-2", "registryId": ACCOUNT, "status": "COMPLETE"}]
    assert ecr.describe_image_replication_status(repositoryName="dev/web", imageId={"imageTag": "v1"})[
        "replicationStatuses"] == []
    # replicated images are not replicated again
    assert west.describe_image_replication_status(repositoryName="prod/web", imageId={"imageTag": "v1"})[
        "replicationStatuses"] == []
    with pytest.raises(ClientError) as e:
        ecr.describe_image_replication_status(repositoryName="prod/web", imageId={"imageTag": "nothing"})
    assert code(e) == "ImageNotFoundException"


def test_cross_account_replication_needs_the_destination_registry_policy(ecr, endpoint):
    ecr.put_replication_configuration(replicationConfiguration={"rules": [{"destinations": [dest("us-east-1", OTHER)]}]})
    ecr.create_repository(repositoryName="web")
    push(ecr, "web", "v1", 1)
    failed = ecr.describe_image_replication_status(repositoryName="web", imageId={"imageTag": "v1"})[
        "replicationStatuses"][0]
    assert failed["status"] == "FAILED" and "ecr:ReplicateImage" in failed["failureCode"]
    other = client(endpoint, account=OTHER)
    assert other.describe_repositories()["repositories"] == []

    other.put_registry_policy(policyText=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "replicate", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
         "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
         "Resource": f"arn:aws:ecr:us-east-1:{OTHER}:repository/*"}]}))
    push(ecr, "web", "v2", 2)
    assert ecr.describe_image_replication_status(repositoryName="web", imageId={"imageTag": "v2"})[
        "replicationStatuses"] == [{"region": "us-east-1", "registryId": OTHER, "status": "COMPLETE"}]
    assert other.describe_images(repositoryName="web")["imageDetails"][0]["imageTags"] == ["v2"]


def test_replication_rules_are_validated_as_ecr(ecr):
    with pytest.raises(ClientError) as e:
        ecr.put_replication_configuration(replicationConfiguration={"rules": [{"destinations": [dest("us-east-1")]}]})
    assert code(e) == "InvalidParameterException"
    with pytest.raises(ClientError) as e:
        ecr.put_replication_configuration(replicationConfiguration={"rules": [
            {"destinations": [dest("eu-west-1")]} for _ in range(11)]})
    assert code(e) == "ValidationException"
    with pytest.raises(ClientError) as e:
        ecr.put_replication_configuration(replicationConfiguration={"rules": [
            {"destinations": [dest("eu-west-1", f"{n:012d}") for n in range(13)]},
            {"destinations": [dest("eu-west-2", f"{n:012d}") for n in range(13)]}]})
    assert code(e) == "InvalidParameterException"
    # ten rules are fine (moto allowed one)
    ecr.put_replication_configuration(replicationConfiguration={"rules": [
        {"destinations": [dest("eu-west-1")], "repositoryFilters": [{"filter": f"team{n}", "filterType": "PREFIX_MATCH"}]}
        for n in range(10)]})
    assert len(ecr.describe_registry()["replicationConfiguration"]["rules"]) == 10
    ecr.put_replication_configuration(replicationConfiguration={"rules": []})
    assert ecr.describe_registry()["replicationConfiguration"]["rules"] == []


def test_registry_scanning_rules_are_validated_as_ecr(ecr):
    assert ecr.get_registry_scanning_configuration()["scanningConfiguration"] == {"scanType": "BASIC", "rules": []}
    rule = {"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "prod/*", "filterType": "WILDCARD"}]}
    with pytest.raises(ClientError) as e:
        ecr.put_registry_scanning_configuration(scanType="BASIC", rules=[rule])
    assert code(e) == "InvalidParameterException"
    with pytest.raises(ClientError) as e:
        ecr.put_registry_scanning_configuration(scanType="ENHANCED", rules=[rule] * 3)
    assert code(e) == "ValidationException"
    with pytest.raises(ClientError) as e:
        ecr.put_registry_scanning_configuration(scanType="ENHANCED", rules=[
            {"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "Bad Filter", "filterType": "WILDCARD"}]}])
    assert code(e) == "ValidationException"
    ecr.put_registry_scanning_configuration(scanType="ENHANCED", rules=[rule])
    assert ecr.get_registry_scanning_configuration()["scanningConfiguration"] == {"scanType": "ENHANCED",
                                                                                   "rules": [rule]}
    ecr.put_registry_scanning_configuration(scanType="BASIC")
    assert ecr.get_registry_scanning_configuration()["scanningConfiguration"] == {"scanType": "BASIC", "rules": []}


# ---------------------------------------------------------------- tag mutability exclusions

def test_immutable_with_exclusion_lets_only_excluded_tags_move(ecr):
    ecr.create_repository(repositoryName="web", imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
                          imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "latest*"}])
    repo = ecr.describe_repositories(repositoryNames=["web"])["repositories"][0]
    assert repo["imageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION"
    assert repo["imageTagMutabilityExclusionFilters"] == [{"filterType": "WILDCARD", "filter": "latest*"}]
    push(ecr, "web", "latest-dev", 1)
    push(ecr, "web", "latest-dev", 2)  # excluded: moves
    push(ecr, "web", "v1", 1)
    with pytest.raises(ClientError) as e:
        push(ecr, "web", "v1", 2)
    assert code(e) == "ImageTagAlreadyExistsException"
    with pytest.raises(ClientError) as e:
        push(ecr, "web", "v1", 1)  # the same manifest and tag again
    assert code(e) == "ImageAlreadyExistsException"


def test_mutable_with_exclusion_pins_only_excluded_tags(ecr):
    ecr.create_repository(repositoryName="web", imageTagMutability="MUTABLE_WITH_EXCLUSION",
                          imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "v*"}])
    push(ecr, "web", "latest", 1)
    push(ecr, "web", "latest", 2)  # mutable
    push(ecr, "web", "v1", 1)
    with pytest.raises(ClientError) as e:
        push(ecr, "web", "v1", 2)
    assert code(e) == "ImageTagAlreadyExistsException"


def test_put_image_tag_mutability_takes_and_reports_exclusions(ecr):
    ecr.create_repository(repositoryName="web", imageTagMutability="IMMUTABLE")
    answer = ecr.put_image_tag_mutability(repositoryName="web", imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
                                          imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD",
                                                                               "filter": "dev-*"}])
    assert answer["imageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION"
    assert answer["imageTagMutabilityExclusionFilters"] == [{"filterType": "WILDCARD", "filter": "dev-*"}]
    with pytest.raises(ClientError) as e:
        ecr.put_image_tag_mutability(repositoryName="web", imageTagMutability="MUTABLE",
                                     imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "x"}])
    assert code(e) == "InvalidParameterException"
    with pytest.raises(ClientError) as e:
        ecr.put_image_tag_mutability(repositoryName="web", imageTagMutability="MUTABLE_WITH_EXCLUSION")
    assert code(e) == "InvalidParameterException"
    ecr.put_image_tag_mutability(repositoryName="web", imageTagMutability="MUTABLE")
    repo = ecr.describe_repositories(repositoryNames=["web"])["repositories"][0]
    assert repo["imageTagMutability"] == "MUTABLE" and "imageTagMutabilityExclusionFilters" not in repo


# ---------------------------------------------------------------- create on push, pull through on demand

def test_a_push_to_a_missing_repository_needs_a_create_on_push_template(ecr):
    with pytest.raises(ClientError) as e:
        push(ecr, "team/web", "v1", 1)
    assert code(e) == "RepositoryNotFoundException"
    ecr.create_repository_creation_template(prefix="team", appliedFor=["CREATE_ON_PUSH"], imageTagMutability="IMMUTABLE")
    push(ecr, "team/web", "v1", 1)
    assert ecr.describe_repositories(repositoryNames=["team/web"])["repositories"][0]["imageTagMutability"] \
        == "IMMUTABLE"


def test_a_pull_through_a_rule_prefix_creates_the_repository_with_the_image(ecr):
    ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws")
    ecr.create_repository_creation_template(prefix="ecr-public", appliedFor=["PULL_THROUGH_CACHE"],
                                            lifecyclePolicy=json.dumps({"rules": [{
                                                "rulePriority": 1, "action": {"type": "expire"},
                                                "selection": {"tagStatus": "any", "countType": "imageCountMoreThan",
                                                              "countNumber": 3}}]}))
    pulled = ecr.batch_get_image(repositoryName="ecr-public/nginx/nginx", imageIds=[{"imageTag": "1.27"}])
    assert pulled["failures"] == [] and pulled["images"][0]["imageId"]["imageTag"] == "1.27"
    assert "public.ecr.aws/nginx/nginx:1.27" in pulled["images"][0]["imageManifest"]
    assert ecr.get_lifecycle_policy(repositoryName="ecr-public/nginx/nginx")["lifecyclePolicyText"]
    with pytest.raises(ClientError) as e:
        ecr.batch_get_image(repositoryName="elsewhere/nginx", imageIds=[{"imageTag": "1.27"}])
    assert code(e) == "RepositoryNotFoundException"
