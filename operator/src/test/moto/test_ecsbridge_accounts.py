"""Accounts: credentials from STS AssumeRole act in the role's account, and every resource (moto's and the
extension's) is kept per account, against a moto server started by the launcher.

The default account is 123456789012 (the plain test credentials); 111111111111 and 222222222222 are reached by
assuming arn:aws:iam::<account>:role/ecs-bridge, as the operator does for an AwsAccount."""
import json
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from moto_process import moto_server

DEFAULT, FIRST, SECOND = "123456789012", "111111111111", "222222222222"
ACCOUNTS = (DEFAULT, FIRST, SECOND)
REGION = "us-east-1"
MANIFEST = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 2,
                                  "digest": "sha256:" + "1" * 64}, "layers": []})


@pytest.fixture(scope="module")
def endpoint():
    with moto_server({"ECSBRIDGE_MOTO_ROLLOUT_SECONDS": "60"}) as url:
        yield url


def role_arn(account, name="ecs-bridge"):
    return f"arn:aws:iam::{account}:role/{name}"


class Accounts:
    """boto3 clients per account: the default account's plain credentials, the others' assumed."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.keys = {DEFAULT: {"aws_access_key_id": "test", "aws_secret_access_key": "test"}}
        sts = self.client(DEFAULT, "sts")
        for account in (FIRST, SECOND):
            c = sts.assume_role(RoleArn=role_arn(account), RoleSessionName="ecs-bridge")["Credentials"]
            self.keys[account] = {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"],
                                  "aws_session_token": c["SessionToken"]}

    def client(self, account, service):
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint, **self.keys[account],
                            config=Config(retries={"total_max_attempts": 1}))


def reset(endpoint):
    req = urllib.request.Request(endpoint + "/moto-api/reset", method="POST")
    with urllib.request.urlopen(req, timeout=10):
        pass


@pytest.fixture
def accounts(endpoint):
    reset(endpoint)
    return Accounts(endpoint)


def code(e):
    return e.value.response["Error"]["Code"]


# ---------------------------------------------------------------- moto's own resources

def test_caller_identity_names_the_roles_account(accounts):
    assert accounts.client(DEFAULT, "sts").get_caller_identity()["Account"] == DEFAULT
    for account in (FIRST, SECOND):
        identity = accounts.client(account, "sts").get_caller_identity()
        assert identity["Account"] == account
        assert identity["Arn"] == f"arn:aws:sts::{account}:assumed-role/ecs-bridge/ecs-bridge"


def test_assume_role_checks_nothing_and_only_the_access_key_id_counts(accounts):
    """Differences from AWS the README's "Accounts" lists: pinned so that a moto that changes them is noticed."""
    sts = accounts.client(DEFAULT, "sts")
    # no such role, no trust policy, any externalId, a duration beyond AWS's 12 h maximum
    c = sts.assume_role(RoleArn=role_arn(FIRST, "never-created"), RoleSessionName="it", ExternalId="wrong",
                        DurationSeconds=100000)["Credentials"]
    # the wrong secret and no session token: still account FIRST
    forged = boto3.client("sts", region_name=REGION, endpoint_url=accounts.endpoint,
                          aws_access_key_id=c["AccessKeyId"], aws_secret_access_key="wrong")
    assert forged.get_caller_identity()["Account"] == FIRST
    # a key moto never issued: the default account, no error
    unknown = boto3.client("sts", region_name=REGION, endpoint_url=accounts.endpoint,
                           aws_access_key_id="AKIAUNKNOWN000000000", aws_secret_access_key="x")
    assert unknown.get_caller_identity()["Account"] == DEFAULT
    # role chaining from assumed credentials into a third account
    chained = accounts.client(FIRST, "sts").assume_role(RoleArn=role_arn(SECOND), RoleSessionName="chain")
    assert chained["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{SECOND}:assumed-role/ecs-bridge/chain"


def test_same_named_repositories_live_apart_per_account(accounts):
    for account in ACCOUNTS:
        repo = accounts.client(account, "ecr").create_repository(repositoryName="web")["repository"]
        assert repo["registryId"] == account
        assert repo["repositoryArn"] == f"arn:aws:ecr:{REGION}:{account}:repository/web"
        assert repo["repositoryUri"].startswith(f"{account}.dkr.ecr.{REGION}.")
    accounts.client(FIRST, "ecr").put_image(repositoryName="web", imageManifest=MANIFEST, imageTag="v1")
    accounts.client(SECOND, "ecr").delete_repository(repositoryName="web")
    for account in ACCOUNTS:
        ecr = accounts.client(account, "ecr")
        repos = ecr.describe_repositories()["repositories"] if account != SECOND else []
        assert [(r["repositoryName"], r["registryId"]) for r in repos] == \
            ([("web", account)] if account != SECOND else [])
        if account == SECOND:
            with pytest.raises(ClientError) as e:
                ecr.describe_repositories(repositoryNames=["web"])
            assert code(e) == "RepositoryNotFoundException"
            continue
        images = ecr.describe_images(repositoryName="web")["imageDetails"]
        assert [i.get("imageTags") for i in images] == ([["v1"]] if account == FIRST else [])


def test_a_repository_of_another_account_is_not_found_by_registry_id(accounts):
    accounts.client(FIRST, "ecr").create_repository(repositoryName="only-first")
    with pytest.raises(ClientError) as e:
        accounts.client(SECOND, "ecr").describe_images(repositoryName="only-first", registryId=FIRST)
    assert code(e) == "RepositoryNotFoundException"


def task_definition(ecs, image="nginx:1.27"):
    return ecs.register_task_definition(family="app", containerDefinitions=[
        {"name": "app", "image": image, "memory": 128}])["taskDefinition"]


def test_same_named_clusters_task_definitions_and_services_live_apart_per_account(accounts):
    for account in ACCOUNTS:
        ecs = accounts.client(account, "ecs")
        cluster = ecs.create_cluster(clusterName="main")["cluster"]
        assert cluster["clusterArn"] == f"arn:aws:ecs:{REGION}:{account}:cluster/main"
        td = task_definition(ecs)
        assert td["taskDefinitionArn"] == f"arn:aws:ecs:{REGION}:{account}:task-definition/app:1"  # own revisions
        svc = ecs.create_service(cluster="main", serviceName="web", taskDefinition="app:1", desiredCount=1)["service"]
        assert svc["serviceArn"] == f"arn:aws:ecs:{REGION}:{account}:service/main/web"
        assert svc["clusterArn"] == cluster["clusterArn"]
    task_definition(accounts.client(FIRST, "ecs"), "nginx:1.28")  # app:2 only in FIRST
    accounts.client(SECOND, "ecs").delete_service(cluster="main", service="web", force=True)
    for account in ACCOUNTS:
        ecs = accounts.client(account, "ecs")
        assert ecs.list_clusters()["clusterArns"] == [f"arn:aws:ecs:{REGION}:{account}:cluster/main"]
        assert ecs.list_task_definitions(familyPrefix="app")["taskDefinitionArns"] == [
            f"arn:aws:ecs:{REGION}:{account}:task-definition/app:{n}" for n in ((1, 2) if account == FIRST else (1,))]
        assert ecs.list_services(cluster="main")["serviceArns"] == [f"arn:aws:ecs:{REGION}:{account}:service/main/web"]
        svc = ecs.describe_services(cluster="main", services=["web"])["services"][0]
        assert svc["status"] == ("DRAINING" if account == SECOND else "ACTIVE")
        assert svc["taskDefinition"] == f"arn:aws:ecs:{REGION}:{account}:task-definition/app:1"
        clusters = ecs.describe_clusters(clusters=["main"])["clusters"]
        assert [(c["clusterArn"], c["activeServicesCount"]) for c in clusters] == [
            (f"arn:aws:ecs:{REGION}:{account}:cluster/main", 0 if account == SECOND else 1)]


# ---------------------------------------------------------------- the extension's state

def test_service_deployments_and_revisions_are_per_account(accounts):
    arns = {}
    for account in ACCOUNTS:
        ecs = accounts.client(account, "ecs")
        ecs.create_cluster(clusterName="main")
        task_definition(ecs)
        svc = ecs.create_service(cluster="main", serviceName="web", taskDefinition="app:1", desiredCount=1)["service"]
        listed = ecs.list_service_deployments(cluster="main", service="web")["serviceDeployments"]
        assert len(listed) == 1
        arns[account] = listed[0]["serviceDeploymentArn"]
        assert arns[account].startswith(f"arn:aws:ecs:{REGION}:{account}:service-deployment/main/web/")
        described = ecs.describe_services(cluster="main", services=["web"])["services"][0]
        assert described["currentServiceDeployment"] == arns[account]
        assert svc["serviceArn"].split(":")[4] == account
    for account in ACCOUNTS:
        ecs = accounts.client(account, "ecs")
        for other in ACCOUNTS:
            answer = ecs.describe_service_deployments(serviceDeploymentArns=[arns[other]])
            if other == account:
                sd = answer["serviceDeployments"][0]
                assert sd["serviceDeploymentArn"] == arns[account]
                assert sd["targetServiceRevision"]["arn"].split(":")[4] == account
                revision = ecs.describe_service_revisions(serviceRevisionArns=[sd["targetServiceRevision"]["arn"]])
                assert revision["serviceRevisions"][0]["taskDefinition"].split(":")[4] == account
            else:
                assert answer["serviceDeployments"] == []
                assert answer["failures"] == [{"arn": arns[other], "reason": "MISSING"}]
                with pytest.raises(ClientError) as e:
                    ecs.stop_service_deployment(serviceDeploymentArn=arns[other])
                assert code(e) == "ServiceDeploymentNotFoundException"


def test_capacity_providers_are_per_account(accounts):
    for account in ACCOUNTS:
        ecs = accounts.client(account, "ecs")
        ecs.create_cluster(clusterName="main")
        created = ecs.create_capacity_provider(name="cp", cluster="main", managedInstancesProvider={
            "infrastructureRoleArn": role_arn(account, "infra"), "instanceLaunchTemplate": {
                "ec2InstanceProfileArn": f"arn:aws:iam::{account}:instance-profile/p",
                "networkConfiguration": {"subnets": ["subnet-1"]}}})["capacityProvider"]
        assert created["capacityProviderArn"] == f"arn:aws:ecs:{REGION}:{account}:capacity-provider/cp"
    accounts.client(SECOND, "ecs").delete_capacity_provider(capacityProvider="cp", cluster="main")
    for account in ACCOUNTS:
        providers = accounts.client(account, "ecs").describe_capacity_providers(cluster="main")["capacityProviders"]
        assert [(p["capacityProviderArn"], p["status"]) for p in providers if p["name"] == "cp"] == [
            (f"arn:aws:ecs:{REGION}:{account}:capacity-provider/cp", "INACTIVE" if account == SECOND else "ACTIVE")]


def test_an_auto_scaling_group_of_another_account_is_not_found(accounts):
    ec2 = accounts.client(FIRST, "ec2")
    autoscaling = accounts.client(FIRST, "autoscaling")
    image = ec2.describe_images()["Images"][0]["ImageId"]
    autoscaling.create_launch_configuration(LaunchConfigurationName="workers", ImageId=image, InstanceType="t3.micro")
    autoscaling.create_auto_scaling_group(AutoScalingGroupName="workers", LaunchConfigurationName="workers",
                                          MinSize=0, MaxSize=1, AvailabilityZones=["us-east-1a"])
    accounts.client(FIRST, "ecs").create_capacity_provider(
        name="cp", autoScalingGroupProvider={"autoScalingGroupArn": "workers"})
    with pytest.raises(ClientError) as e:
        accounts.client(SECOND, "ecs").create_capacity_provider(
            name="cp", autoScalingGroupProvider={"autoScalingGroupArn": "workers"})
    assert "could not be found" in e.value.response["Error"]["Message"]


def test_pull_through_cache_rules_and_creation_templates_are_per_account(accounts):
    for account in (FIRST, SECOND):
        ecr = accounts.client(account, "ecr")
        rule = ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public",
                                                  upstreamRegistryUrl="public.ecr.aws")
        assert rule["registryId"] == account
        template = ecr.create_repository_creation_template(
            prefix="apps", appliedFor=["CREATE_ON_PUSH"],
            imageTagMutability="IMMUTABLE" if account == FIRST else "MUTABLE")
        assert template["registryId"] == account
    default = accounts.client(DEFAULT, "ecr")
    assert default.describe_pull_through_cache_rules()["pullThroughCacheRules"] == []
    assert default.describe_repository_creation_templates()["repositoryCreationTemplates"] == []
    with pytest.raises(ClientError) as e:
        default.put_image(repositoryName="apps/web", imageManifest=MANIFEST, imageTag="v1")
    assert code(e) == "RepositoryNotFoundException"
    accounts.client(SECOND, "ecr").delete_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public")
    assert [r["registryId"] for r in accounts.client(FIRST, "ecr").describe_pull_through_cache_rules()[
        "pullThroughCacheRules"]] == [FIRST]
    assert accounts.client(SECOND, "ecr").describe_pull_through_cache_rules()["pullThroughCacheRules"] == []
    for account, mutability in ((FIRST, "IMMUTABLE"), (SECOND, "MUTABLE")):
        ecr = accounts.client(account, "ecr")
        ecr.put_image(repositoryName="apps/web", imageManifest=MANIFEST, imageTag="v1")  # created on push
        repo = ecr.describe_repositories(repositoryNames=["apps/web"])["repositories"][0]
        assert (repo["registryId"], repo["imageTagMutability"]) == (account, mutability)


def test_registry_policy_and_scanning_configuration_are_per_account(accounts):
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "replicate", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{FIRST}:root"},
        "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"], "Resource": "*"}]})
    accounts.client(SECOND, "ecr").put_registry_policy(policyText=policy)
    assert accounts.client(SECOND, "ecr").get_registry_policy()["registryId"] == SECOND
    for account in (DEFAULT, FIRST):
        with pytest.raises(ClientError) as e:
            accounts.client(account, "ecr").get_registry_policy()
        assert code(e) == "RegistryPolicyNotFoundException"
    accounts.client(FIRST, "ecr").put_registry_scanning_configuration(scanType="ENHANCED")
    assert accounts.client(FIRST, "ecr").get_registry_scanning_configuration()["scanningConfiguration"][
        "scanType"] == "ENHANCED"
    assert accounts.client(SECOND, "ecr").get_registry_scanning_configuration()["scanningConfiguration"][
        "scanType"] == "BASIC"


def test_replication_is_per_account_and_crosses_only_where_the_destination_allows_it(accounts):
    first, second = accounts.client(FIRST, "ecr"), accounts.client(SECOND, "ecr")
    config = {"rules": [{"destinations": [{"region": REGION, "registryId": SECOND}]}]}
    first.put_replication_configuration(replicationConfiguration=config)
    assert first.describe_registry()["replicationConfiguration"] == config
    assert first.describe_registry()["registryId"] == FIRST
    assert second.describe_registry()["replicationConfiguration"] == {"rules": []}
    first.create_repository(repositoryName="web")
    first.put_image(repositoryName="web", imageManifest=MANIFEST, imageTag="v1")
    status = first.describe_image_replication_status(repositoryName="web", imageId={"imageTag": "v1"})
    assert [(s["registryId"], s["status"]) for s in status["replicationStatuses"]] == [(SECOND, "FAILED")]
    assert second.describe_repositories()["repositories"] == []

    second.put_registry_policy(policyText=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": FIRST}, "Action": "ecr:ReplicateImage", "Resource": "*"}]}))
    first.put_image(repositoryName="web", imageManifest=MANIFEST, imageTag="v2")
    status = first.describe_image_replication_status(repositoryName="web", imageId={"imageTag": "v2"})
    assert [(s["registryId"], s["status"]) for s in status["replicationStatuses"]] == [(SECOND, "COMPLETE")]
    replica = second.describe_repositories()["repositories"]
    assert [(r["repositoryName"], r["registryId"]) for r in replica] == [("web", SECOND)]
    assert accounts.client(DEFAULT, "ecr").describe_repositories()["repositories"] == []


# ---------------------------------------------------------------- ARNs and registry ids of another account

def test_an_ecs_arn_of_another_account_or_region_names_nothing_here(accounts):
    arns = {}
    for account in (FIRST, SECOND):
        ecs = accounts.client(account, "ecs")
        arns[account] = {"cluster": ecs.create_cluster(clusterName="main", tags=[{"key": "k", "value": account}])[
            "cluster"]["clusterArn"], "td": task_definition(ecs)["taskDefinitionArn"]}
        arns[account]["service"] = ecs.create_service(cluster="main", serviceName="web", taskDefinition="app:1",
                                                      desiredCount=0)["service"]["serviceArn"]
    ecs = accounts.client(FIRST, "ecs")
    theirs = arns[SECOND]
    other_region = arns[FIRST]["cluster"].replace(REGION, "eu-west-1")
    for cluster in (theirs["cluster"], other_region):
        answer = ecs.describe_clusters(clusters=[cluster])
        assert answer["clusters"] == [] and answer["failures"] == [{"arn": cluster, "reason": "MISSING"}]
        for call in (lambda: ecs.list_services(cluster=cluster),
                     lambda: ecs.describe_services(cluster=cluster, services=["web"]),
                     lambda: ecs.update_service(cluster=cluster, service="web", desiredCount=1),
                     lambda: ecs.delete_cluster(cluster=cluster),
                     lambda: ecs.create_service(cluster=cluster, serviceName="web", taskDefinition="app:1"),
                     lambda: ecs.list_tags_for_resource(resourceArn=cluster)):
            with pytest.raises(ClientError) as e:
                call()
            assert code(e) == "ClusterNotFoundException"
    both = ecs.describe_clusters(clusters=["main", theirs["cluster"]])
    assert [c["clusterArn"] for c in both["clusters"]] == [arns[FIRST]["cluster"]]
    assert both["failures"] == [{"arn": theirs["cluster"], "reason": "MISSING"}]

    answer = ecs.describe_services(cluster="main", services=[theirs["service"], "web"])
    assert [s["serviceArn"] for s in answer["services"]] == [arns[FIRST]["service"]]
    assert answer["failures"] == [{"arn": theirs["service"], "reason": "MISSING"}]
    for call in (lambda: ecs.update_service(cluster="main", service=theirs["service"], desiredCount=1),
                 lambda: ecs.delete_service(cluster="main", service=theirs["service"]),
                 lambda: ecs.tag_resource(resourceArn=theirs["service"], tags=[{"key": "x", "value": "y"}])):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "ServiceNotFoundException"
    for call in (lambda: ecs.describe_task_definition(taskDefinition=theirs["td"]),
                 lambda: ecs.deregister_task_definition(taskDefinition=theirs["td"]),
                 lambda: ecs.create_service(cluster="main", serviceName="api", taskDefinition=theirs["td"]),
                 lambda: ecs.update_service(cluster="main", service="web", taskDefinition=theirs["td"]),
                 lambda: ecs.list_tags_for_resource(resourceArn=theirs["td"])):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "ClientException"
    # nothing of SECOND's (nor FIRST's) was touched
    mine = accounts.client(SECOND, "ecs")
    assert mine.describe_services(cluster="main", services=["web"])["services"][0]["desiredCount"] == 0
    assert mine.describe_task_definition(taskDefinition="app:1")["taskDefinition"]["status"] == "ACTIVE"
    assert mine.list_tags_for_resource(resourceArn=theirs["service"])["tags"] == []
    assert ecs.describe_clusters(clusters=["main"])["clusters"][0]["status"] == "ACTIVE"


def test_a_pull_through_cache_rule_call_naming_another_registry_finds_nothing_here(accounts):
    first = accounts.client(FIRST, "ecr")
    first.create_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws")
    assert first.describe_pull_through_cache_rules(registryId=FIRST)["pullThroughCacheRules"]
    assert first.describe_pull_through_cache_rules(registryId=SECOND)["pullThroughCacheRules"] == []
    for call in (lambda: first.describe_pull_through_cache_rules(registryId=SECOND,
                                                                 ecrRepositoryPrefixes=["ecr-public"]),
                 lambda: first.validate_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public", registryId=SECOND),
                 lambda: first.delete_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public", registryId=SECOND)):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "PullThroughCacheRuleNotFoundException"
        assert f"registry with id '{SECOND}'" in e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:
        first.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io",
                                             registryId=SECOND)
    assert code(e) == "InvalidParameterException"
    assert [r["ecrRepositoryPrefix"] for r in first.describe_pull_through_cache_rules()["pullThroughCacheRules"]] == \
        ["ecr-public"]
    assert accounts.client(SECOND, "ecr").describe_pull_through_cache_rules()["pullThroughCacheRules"] == []
