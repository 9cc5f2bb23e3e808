"""ecsbridge_ecs.py: ECS's service shape and rollouts, against a moto server started by the launcher (rollout 0.5 s),
plus a few exact timelines in-process with a fake clock."""
import os
import re
import sys
import time
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ecsbridge_deployments  # noqa: E402
import ecsbridge_ecs  # noqa: E402
from moto_process import moto_server  # noqa: E402

ROLLOUT = 0.5
DEADLINE = 15.0
CLUSTER = "apps"
FAILING_IMAGE = "registry.example/web:ecsbridge-fail"
DEPLOYMENT_ID = re.compile(r"^ecs-svc/\d+$")


@pytest.fixture(scope="module")
def endpoint():
    with moto_server({"ECSBRIDGE_MOTO_ROLLOUT_SECONDS": str(ROLLOUT)}) as url:
        yield url


def reset(endpoint):
    with urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10):
        pass


class Aws:
    """A cluster, a VPC with a subnet and a security group, and helpers for one service at a time."""

    def __init__(self, ecs, ec2):
        self.ecs = ecs
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        self.subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        self.subnet2 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24")["Subnet"]["SubnetId"]
        self.sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
        self.ecs.create_cluster(clusterName=CLUSTER)

    def task_definition(self, image="nginx:1.27"):
        return self.ecs.register_task_definition(
            family="web", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
            containerDefinitions=[{"name": "web", "image": image}])["taskDefinition"]["taskDefinitionArn"]

    def network(self, **vpc):
        return {"awsvpcConfiguration": {"subnets": [self.subnet], "securityGroups": [self.sg], **vpc}}

    def create(self, name="web", **request):
        request = {"taskDefinition": request.get("taskDefinition") or self.task_definition(), "desiredCount": 2,
                   "launchType": "FARGATE", "networkConfiguration": self.network(), **request}
        request = {k: v for k, v in request.items() if v is not None}
        return self.ecs.create_service(cluster=CLUSTER, serviceName=name, **request)["service"]

    def update(self, name="web", **request):
        return self.ecs.update_service(cluster=CLUSTER, service=name, **request)["service"]

    def describe(self, name="web"):
        return self.ecs.describe_services(cluster=CLUSTER, services=[name])["services"][0]

    def until(self, condition, name="web"):
        """Polls DescribeServices until condition(service) holds; fails after DEADLINE seconds."""
        deadline = time.monotonic() + DEADLINE
        while True:
            svc = self.describe(name)
            if condition(svc):
                return svc
            assert time.monotonic() < deadline, f"condition not met in {DEADLINE} s; last: {svc}"
            time.sleep(0.05)

    def completed(self, name="web"):
        return self.until(lambda s: steady(s), name)


def steady(svc):
    d = svc["deployments"]
    return len(d) == 1 and d[0]["rolloutState"] == "COMPLETED" and svc["runningCount"] == svc["desiredCount"]


def messages(svc):
    return [e["message"] for e in svc["events"]]


def clients(**args):
    args = {"region_name": "us-east-1", "aws_access_key_id": "test", "aws_secret_access_key": "test",
            "config": Config(retries={"max_attempts": 1}), **args}
    return boto3.client("ecs", **args), boto3.client("ec2", **args)


@pytest.fixture(scope="module")
def server_clients(endpoint):
    return clients(endpoint_url=endpoint)


@pytest.fixture
def aws(endpoint, server_clients):
    reset(endpoint)
    return Aws(*server_clients)


# ---- shape and defaults ----

def test_create_reports_ecs_defaults(aws):
    created = aws.create(networkConfiguration={"awsvpcConfiguration": {"subnets": [aws.subnet]}})
    svc = aws.describe()
    for s in (created, svc):
        assert s["deploymentConfiguration"] == {
            "maximumPercent": 200, "minimumHealthyPercent": 100,
            "deploymentCircuitBreaker": {"enable": False, "rollback": False}, "strategy": "ROLLING"}
        assert s["availabilityZoneRebalancing"] == "ENABLED"
        assert s["healthCheckGracePeriodSeconds"] == 0
        assert s["enableExecuteCommand"] is False and s["enableECSManagedTags"] is False
        assert s["propagateTags"] == "NONE" and s["schedulingStrategy"] == "REPLICA"
        assert s["deploymentController"] == {"type": "ECS"}
        assert s["placementConstraints"] == [] and s["placementStrategy"] == []
        assert s["loadBalancers"] == [] and s["serviceRegistries"] == []
        assert s["launchType"] == "FARGATE" and "capacityProviderStrategy" not in s
        assert s["platformVersion"] == "LATEST"
        assert s["networkConfiguration"] == {"awsvpcConfiguration": {"subnets": [aws.subnet],
                                                                     "assignPublicIp": "DISABLED"}}
        assert s["createdAt"].timestamp() == pytest.approx(time.time(), abs=60)


def test_create_reports_the_request_as_ecs_does(aws):
    spot = aws.create("spot", launchType=None, capacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT",
                                                                          "weight": 1}])
    assert "launchType" not in spot and "launchType" not in spot["deployments"][0]
    assert spot["capacityProviderStrategy"] == [{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}]
    assert spot["platformVersion"] == "LATEST"

    request = dict(
        launchType="EC2", healthCheckGracePeriodSeconds=30, enableExecuteCommand=True, enableECSManagedTags=True,
        propagateTags="SERVICE", deploymentConfiguration={"maximumPercent": 150},
        placementConstraints=[{"type": "distinctInstance"}],
        placementStrategy=[{"type": "spread", "field": "host"}, {"type": "binpack", "field": "memory"},
                           {"type": "spread", "field": "attribute:ecs.availability-zone"}],
        loadBalancers=[{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1",
                        "containerName": "web", "containerPort": 80}],
        serviceRegistries=[{"registryArn": "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1"}])
    aws.create("ec2", **request)
    svc = aws.describe("ec2")
    assert svc["placementStrategy"] == [{"type": "spread", "field": "instanceId"},
                                        {"type": "binpack", "field": "MEMORY"},
                                        {"type": "spread", "field": "attribute:ecs.availability-zone"}]
    assert svc["deploymentConfiguration"] == {"maximumPercent": 150, "minimumHealthyPercent": 100,
                                              "deploymentCircuitBreaker": {"enable": False, "rollback": False},
                                              "strategy": "ROLLING"}
    assert "platformVersion" not in svc and svc["launchType"] == "EC2"
    for field in ("healthCheckGracePeriodSeconds", "enableExecuteCommand", "enableECSManagedTags", "propagateTags",
                  "placementConstraints", "loadBalancers", "serviceRegistries"):
        assert svc[field] == request[field], field

    daemon = aws.create("daemon", launchType="EC2", schedulingStrategy="DAEMON", desiredCount=None)
    assert daemon["deploymentConfiguration"] == {"maximumPercent": 100, "minimumHealthyPercent": 0,
                                                 "deploymentCircuitBreaker": {"enable": False, "rollback": False},
                                                 "strategy": "ROLLING"}


def test_a_network_configuration_without_awsvpc_configuration_is_a_client_error(aws):
    with pytest.raises(ClientError) as refused:
        aws.create(networkConfiguration={})
    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    assert "awsvpcConfiguration" in refused.value.response["Error"]["Message"]
    before = aws.create()
    with pytest.raises(ClientError) as refused:
        aws.update(networkConfiguration={}, taskDefinition=aws.task_definition(image="nginx:1.28"))
    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    after = aws.describe()
    assert after["taskDefinition"] == before["taskDefinition"]  # refused before anything changed
    assert len(after["deployments"]) == 1


def test_create_of_an_existing_service_is_not_idempotent(aws):
    aws.create()
    with pytest.raises(ClientError, match="Creation of service was not idempotent."):
        aws.create()


# ---- rollouts ----

def test_create_rolls_out_in_progress_then_completed(aws):
    created = aws.create(desiredCount=2)
    [d] = created["deployments"]
    assert DEPLOYMENT_ID.match(d["id"])
    assert (d["status"], d["rolloutState"], d["runningCount"], d["pendingCount"], d["desiredCount"]) == \
           ("PRIMARY", "IN_PROGRESS", 0, 2, 2)
    assert d["rolloutStateReason"] == f"ECS deployment {d['id']} in progress."
    assert (created["runningCount"], created["pendingCount"]) == (0, 2)
    assert re.fullmatch(r"\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.",
                        messages(created)[0])

    svc = aws.completed()
    [d2] = svc["deployments"]
    assert d2["id"] == d["id"] and (d2["runningCount"], d2["pendingCount"]) == (2, 0)
    assert d2["rolloutStateReason"] == f"ECS deployment {d['id']} completed."
    assert (svc["runningCount"], svc["pendingCount"], svc["desiredCount"]) == (2, 0, 2)
    assert messages(svc)[:2] == ["(service web) has reached a steady state.",
                                 f"(service web) (deployment {d['id']}) deployment completed."]
    assert [e["createdAt"] for e in svc["events"]] == sorted((e["createdAt"] for e in svc["events"]), reverse=True)


def test_new_task_definition_makes_two_deployments_then_one(aws):
    old_td, new_td = aws.task_definition("nginx:1.26"), aws.task_definition("nginx:1.27")
    first = aws.create(taskDefinition=old_td)["deployments"][0]["id"]
    aws.completed()

    updated = aws.update(taskDefinition="web")  # the family: its latest revision, reported as an ARN
    primary, active = updated["deployments"]
    assert (primary["status"], primary["rolloutState"], primary["taskDefinition"]) == ("PRIMARY", "IN_PROGRESS", new_td)
    assert primary["id"] != first and DEPLOYMENT_ID.match(primary["id"])
    assert primary["rolloutStateReason"] == f"ECS deployment {primary['id']} in progress."
    assert (active["id"], active["status"], active["taskDefinition"]) == (first, "ACTIVE", old_td)
    assert updated["taskDefinition"] == new_td
    assert (updated["runningCount"], updated["pendingCount"]) == (2, 2)  # old tasks run while new ones start

    svc = aws.completed()
    assert [d["id"] for d in svc["deployments"]] == [primary["id"]]
    assert (svc["taskDefinition"], svc["runningCount"]) == (new_td, 2)
    assert f"(service web) (deployment {primary['id']}) deployment completed." in messages(svc)


def test_desired_count_only_update_scales_the_primary(aws):
    first = aws.create(desiredCount=1)["deployments"][0]["id"]
    aws.completed()
    updated = aws.update(desiredCount=3)
    [d] = updated["deployments"]
    assert (d["id"], d["rolloutState"], d["desiredCount"], d["runningCount"], d["pendingCount"]) == \
           (first, "COMPLETED", 3, 1, 2)
    assert messages(updated)[0].startswith("(service web) has started 2 tasks: ")
    svc = aws.until(lambda s: s["runningCount"] == 3)
    assert [(d["id"], d["runningCount"], d["pendingCount"]) for d in svc["deployments"]] == [(first, 3, 0)]
    assert messages(svc)[0] == "(service web) has reached a steady state."

    aws.update(desiredCount=0)
    svc = aws.until(lambda s: s["runningCount"] == 0)
    assert svc["deployments"][0]["id"] == first and svc["desiredCount"] == 0


def test_force_new_deployment_on_the_same_task_definition(aws):
    td = aws.task_definition()
    first = aws.create(taskDefinition=td)["deployments"][0]["id"]
    aws.completed()
    primary, active = aws.update(forceNewDeployment=True)["deployments"]
    assert primary["id"] != first and active["id"] == first
    assert primary["taskDefinition"] == active["taskDefinition"] == td
    assert [d["id"] for d in aws.completed()["deployments"]] == [primary["id"]]


@pytest.mark.parametrize("change", ["networkConfiguration", "platformVersion", "capacityProviderStrategy",
                                    "loadBalancers"])
def test_changes_that_make_ecs_redeploy(aws, change):
    first = aws.create()["deployments"][0]["id"]
    aws.completed()
    request = {"networkConfiguration": aws.network(assignPublicIp="ENABLED"), "platformVersion": "1.4.0",
               "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 1}],
               "loadBalancers": [{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                                                    "targetgroup/web/1", "containerName": "web", "containerPort": 80}]}
    updated = aws.update(**{change: request[change]})
    assert [d["status"] for d in updated["deployments"]] == ["PRIMARY", "ACTIVE"]
    assert updated["deployments"][1]["id"] == first
    assert updated[change] == request[change]


def test_in_place_changes_keep_the_deployment(aws):
    first = aws.create()["deployments"][0]["id"]
    aws.completed()
    updated = aws.update(healthCheckGracePeriodSeconds=60, propagateTags="TASK_DEFINITION",
                         taskDefinition=aws.describe()["taskDefinition"])  # the same revision: nothing to deploy
    assert [d["id"] for d in updated["deployments"]] == [first]


def test_every_update_service_field_is_reported(aws):
    aws.create(deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}})
    aws.completed()
    new_td = aws.task_definition("nginx:1.28")
    request = dict(
        desiredCount=4, taskDefinition=new_td,
        capacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": 2, "base": 1}],
        deploymentConfiguration={"maximumPercent": 300, "minimumHealthyPercent": 50,
                                 "deploymentCircuitBreaker": {"enable": True, "rollback": False},
                                 "strategy": "ROLLING"},
        networkConfiguration={"awsvpcConfiguration": {"subnets": [aws.subnet, aws.subnet2],
                                                      "securityGroups": [aws.sg], "assignPublicIp": "ENABLED"}},
        placementConstraints=[{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"}],
        placementStrategy=[{"type": "spread", "field": "host"}], platformVersion="1.4.0", forceNewDeployment=True,
        healthCheckGracePeriodSeconds=45, enableExecuteCommand=True, enableECSManagedTags=True,
        loadBalancers=[{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/2",
                        "containerName": "web", "containerPort": 8080}],
        propagateTags="SERVICE",
        serviceRegistries=[{"registryArn": "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-2"}],
        deploymentController={"type": "ECS"})
    updated = aws.update(**request)
    for svc in (updated, aws.describe()):
        expected = {k: v for k, v in request.items() if k != "forceNewDeployment"}
        expected["placementStrategy"] = [{"type": "spread", "field": "instanceId"}]
        assert {k: svc[k] for k in expected} == expected
        assert "launchType" not in svc
        primary = svc["deployments"][0]
        assert (primary["taskDefinition"], primary["desiredCount"], primary["platformVersion"]) == (new_td, 4, "1.4.0")
        assert primary["networkConfiguration"] == request["networkConfiguration"]
        assert primary["capacityProviderStrategy"] == request["capacityProviderStrategy"]


def test_update_of_a_missing_task_definition_changes_nothing(aws):
    aws.create()
    before = aws.completed()
    with pytest.raises(ClientError, match="ClientException"):
        aws.update(taskDefinition="web:99", healthCheckGracePeriodSeconds=5)
    after = aws.describe()
    assert after["deployments"] == before["deployments"] and after["healthCheckGracePeriodSeconds"] == 0


# ---- failure on demand ----

def test_failure_without_rollback_stays_primary_and_failed(aws):
    good = aws.task_definition()
    good_id = aws.create(taskDefinition=good)["deployments"][0]["id"]
    aws.completed()
    bad = aws.task_definition(FAILING_IMAGE)
    failing = aws.update(taskDefinition=bad)["deployments"][0]
    seen = []
    svc = aws.until(lambda s: seen.append(s["deployments"][0]["failedTasks"]) or
                    s["deployments"][0]["rolloutState"] == "FAILED")
    assert seen == sorted(seen) and set(seen) <= {0, 1, 2, 3}
    primary, active = svc["deployments"]
    assert (primary["id"], primary["status"], primary["taskDefinition"], primary["failedTasks"]) == \
           (failing["id"], "PRIMARY", bad, 3)
    assert primary["rolloutStateReason"] == "ECS deployment circuit breaker: tasks failed to start."
    assert (active["id"], active["status"], active["runningCount"]) == (good_id, "ACTIVE", 2)
    assert (svc["taskDefinition"], svc["runningCount"]) == (bad, 2)
    assert messages(svc)[0] == f"(service web) (deployment {failing['id']}) deployment failed: tasks failed to start."
    assert not any("rolling back" in m for m in messages(svc))


def test_failure_with_rollback_returns_to_the_last_completed_task_definition(aws):
    good = aws.task_definition()
    good_id = aws.create(taskDefinition=good, deploymentConfiguration={
        "deploymentCircuitBreaker": {"enable": True, "rollback": True}})["deployments"][0]["id"]
    aws.completed()
    bad = aws.task_definition(FAILING_IMAGE)
    failing_id = aws.update(taskDefinition=bad)["deployments"][0]["id"]

    rolling = aws.until(lambda s: s["deployments"][0]["id"] not in (good_id, failing_id))
    rollback = rolling["deployments"][0]
    assert (rollback["status"], rollback["taskDefinition"]) == ("PRIMARY", good)
    assert rollback["rolloutStateReason"] == \
           f"ECS deployment circuit breaker: rolling back to deploymentId {failing_id}."
    failed = next(d for d in rolling["deployments"] if d["id"] == failing_id)
    assert (failed["status"], failed["rolloutState"], failed["failedTasks"]) == ("ACTIVE", "FAILED", 3)
    assert f"(service web) rolling back to deployment {good_id}." in messages(rolling)

    svc = aws.completed()
    assert [d["id"] for d in svc["deployments"]] == [rollback["id"]]
    assert (svc["taskDefinition"], svc["runningCount"], svc["deployments"][0]["taskDefinition"]) == (good, 2, good)
    assert f"(service web) (deployment {failing_id}) deployment failed: tasks failed to start." in messages(svc)


# ---- delete, cluster figures, reset ----

def test_delete_drains_then_inactive_and_the_name_can_be_reused(aws):
    aws.create(desiredCount=1)
    aws.completed()
    with pytest.raises(ClientError, match="The service cannot be stopped while it is scaled above 0."):
        aws.ecs.delete_service(cluster=CLUSTER, service="web")
    deleted = aws.ecs.delete_service(cluster=CLUSTER, service="web", force=True)["service"]
    assert (deleted["status"], deleted["desiredCount"]) == ("DRAINING", 0)
    svc = aws.until(lambda s: s["status"] == "INACTIVE")
    assert (svc["runningCount"], svc["pendingCount"]) == (0, 0)
    assert aws.ecs.list_services(cluster=CLUSTER)["serviceArns"] == []
    with pytest.raises(ClientError, match="ServiceNotActiveException"):
        aws.update(desiredCount=1)

    again = aws.create(desiredCount=1)
    assert again["status"] == "ACTIVE" and len(again["deployments"]) == 1 and len(again["events"]) == 1
    assert aws.ecs.list_services(cluster=CLUSTER)["serviceArns"] == [again["serviceArn"]]


def test_cluster_counts_follow_the_services(aws):
    def cluster():
        c = aws.ecs.describe_clusters(clusters=[CLUSTER])["clusters"][0]
        return c["activeServicesCount"], c["runningTasksCount"], c["pendingTasksCount"]

    aws.create("a", desiredCount=2)
    aws.create("b", desiredCount=1)
    active, running, pending = cluster()
    assert active == 2 and running + pending == 3
    aws.completed("a"), aws.completed("b")
    assert cluster() == (2, 3, 0)
    aws.ecs.delete_service(cluster=CLUSTER, service="b", force=True)
    aws.until(lambda s: s["status"] == "INACTIVE", "b")
    assert cluster() == (1, 2, 0)


def test_reset_leaves_no_state_behind(endpoint, server_clients, aws):
    aws.create(deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}})
    aws.completed()
    aws.update(taskDefinition=aws.task_definition(FAILING_IMAGE))

    reset(endpoint)
    with pytest.raises(ClientError, match="ClusterNotFoundException"):
        aws.describe()
    fresh = Aws(*server_clients)
    created = fresh.create()
    assert created["taskDefinition"].endswith(":1")
    assert len(created["deployments"]) == 1 and len(created["events"]) == 1
    svc = fresh.completed()
    assert len(svc["events"]) == 3 and svc["deploymentConfiguration"]["deploymentCircuitBreaker"]["rollback"] is False


# ---- exact timelines, in-process with a fake clock ----

@pytest.fixture
def clocked(monkeypatch):
    """moto in this process (mock_aws goes through the same patched backend), the extension's clock in our hands."""
    from moto import mock_aws
    ecsbridge_ecs.install()
    ecsbridge_deployments.install()
    now = [1_000_000.0]
    monkeypatch.setattr(ecsbridge_ecs, "_clock", lambda: now[0])
    monkeypatch.setenv("ECSBRIDGE_MOTO_ROLLOUT_SECONDS", "3")
    with mock_aws():
        aws = Aws(*clients())
        aws.advance = lambda seconds: now.__setitem__(0, now[0] + seconds)
        yield aws


def test_timeline_of_a_failing_deployment(clocked):
    aws = clocked
    aws.create(taskDefinition=aws.task_definition(FAILING_IMAGE),
               deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}})
    observed = []
    for _ in range(4):
        d = aws.describe()["deployments"][0]
        observed.append((d["rolloutState"], d["failedTasks"]))
        aws.advance(1)
    assert observed == [("IN_PROGRESS", 0), ("IN_PROGRESS", 1), ("IN_PROGRESS", 2), ("FAILED", 3)]
    aws.advance(3600)  # nothing completed before: no rollback, the FAILED deployment stays PRIMARY
    svc = aws.describe()
    assert [(d["status"], d["rolloutState"]) for d in svc["deployments"]] == [("PRIMARY", "FAILED")]
    assert (svc["runningCount"], svc["pendingCount"]) == (0, 2)


def test_timeline_of_a_rollout_and_of_a_delete(clocked):
    aws = clocked
    aws.create()
    aws.advance(2.5)
    assert aws.describe()["deployments"][0]["rolloutState"] == "IN_PROGRESS"
    aws.advance(0.5)
    assert steady(aws.describe())
    aws.ecs.delete_service(cluster=CLUSTER, service="web", force=True)
    aws.advance(2.5)
    assert aws.describe()["status"] == "DRAINING"
    with pytest.raises(ClientError, match="Creation of service was not idempotent."):
        aws.create()
    with pytest.raises(ClientError, match="ServiceNotActiveException"):
        aws.ecs.delete_service(cluster=CLUSTER, service="web", force=True)
    aws.advance(0.5)
    assert aws.describe()["status"] == "INACTIVE"


def test_events_keep_the_newest_100(clocked):
    aws = clocked
    aws.create(desiredCount=1)
    for i in range(60):
        aws.advance(3)
        aws.update(desiredCount=2 + i % 2)
    svc = aws.describe()
    assert len(svc["events"]) == 100
    assert messages(svc)[0].startswith("(service web) has started 1 tasks: ")  # the last scaling, 2 -> 3
    assert not any("deployment completed" in m for m in messages(svc))  # the oldest ones are gone
    assert [e["createdAt"] for e in svc["events"]] == sorted((e["createdAt"] for e in svc["events"]), reverse=True)
