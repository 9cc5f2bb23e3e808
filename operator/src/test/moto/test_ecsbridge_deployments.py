"""ecsbridge_deployments.py: service deployments, service revisions and staged strategies, against a moto server started
by the launcher, plus exact timelines in-process with a fake clock."""
import os
import sys
import time
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ecsbridge_deployments  # noqa: E402
import ecsbridge_ecs  # noqa: E402
from moto_process import moto_server  # noqa: E402
from test_ecsbridge_ecs import CLUSTER, FAILING_IMAGE, Aws, clients, reset, steady  # noqa: E402

DEADLINE = 20.0
LB = {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1",
      "containerName": "web", "containerPort": 80,
      "advancedConfiguration": {
          "alternateTargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2",
          "productionListenerRule": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/l/1/2/3",
          "testListenerRule": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/l/1/2/4",
          "roleArn": "arn:aws:iam::123456789012:role/ecs-infrastructure"}}
STAGES = ["PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT",
          "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"]


@pytest.fixture(scope="module")
def endpoint():
    with moto_server({"ECSBRIDGE_MOTO_ROLLOUT_SECONDS": "1", "ECSBRIDGE_MOTO_STAGE_SECONDS": "0.25",
                      "ECSBRIDGE_MOTO_MINUTE_SECONDS": "0.1"}) as url:
        yield url


@pytest.fixture(scope="module")
def server_clients(endpoint):
    return clients(endpoint_url=endpoint)


@pytest.fixture
def aws(endpoint, server_clients):
    reset(endpoint)
    return Deployments(*server_clients)


class Deployments(Aws):
    def arns(self, name="web", **filters):
        return [b["serviceDeploymentArn"] for b in
                self.ecs.list_service_deployments(cluster=CLUSTER, service=name, **filters)["serviceDeployments"]]

    def deployment(self, arn=None):
        arn = arn or self.describe()["currentServiceDeployment"]
        return self.ecs.describe_service_deployments(serviceDeploymentArns=[arn])["serviceDeployments"][0]

    def revision(self, arn):
        return self.ecs.describe_service_revisions(serviceRevisionArns=[arn])["serviceRevisions"][0]

    def until_deployment(self, condition, arn=None):
        deadline = time.monotonic() + DEADLINE
        seen = []
        while True:
            sd = self.deployment(arn)
            seen.append((sd["status"], sd.get("lifecycleStage")))
            if condition(sd):
                return sd, seen
            assert time.monotonic() < deadline, f"condition not met in {DEADLINE} s; last: {sd}"
            time.sleep(0.02)


def blue_green(**extra):
    return {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 3, **extra}


def in_order(seen):
    """The distinct values of `seen`, in order."""
    return [x for i, x in enumerate(seen) if i == 0 or seen[i - 1] != x]


# ---- the APIs, on rolling deployments ----

def test_every_rolling_deployment_is_a_service_deployment(aws):
    old_td = aws.task_definition("nginx:1.26")
    aws.create(taskDefinition=old_td, deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True,
                                                                                            "rollback": True}})
    first = aws.describe()["currentServiceDeployment"]
    assert first.startswith("arn:aws:ecs:us-east-1:123456789012:service-deployment/apps/web/")
    aws.completed()
    new_td = aws.task_definition("nginx:1.27")
    updated = aws.update(taskDefinition=new_td)
    second = updated["currentServiceDeployment"]
    assert second != first and aws.arns() == [second, first]  # newest first
    assert [r["arn"] for r in updated["currentServiceRevisions"]] == [
        aws.deployment(second)["targetServiceRevision"]["arn"], aws.deployment(first)["targetServiceRevision"]["arn"]]

    sd = aws.deployment(second)
    assert (sd["status"], sd["serviceArn"], sd["clusterArn"]) == ("IN_PROGRESS", updated["serviceArn"],
                                                                  updated["clusterArn"])
    assert "lifecycleStage" not in sd and "finishedAt" not in sd
    assert sd["deploymentCircuitBreaker"] == {"status": "MONITORING", "failureCount": 0, "threshold": 3}
    assert sd["alarms"] == {"status": "DISABLED"}
    assert sd["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    [source] = sd["sourceServiceRevisions"]
    assert source["arn"] == aws.deployment(first)["targetServiceRevision"]["arn"]
    target = sd["targetServiceRevision"]
    assert (target["requestedTaskCount"], target["runningTaskCount"], target["pendingTaskCount"]) == (2, 0, 2)

    sd, _ = aws.until_deployment(lambda s: s["status"] == "SUCCESSFUL", second)
    assert sd["finishedAt"] >= sd["startedAt"] == sd["createdAt"]
    assert sd["deploymentCircuitBreaker"]["status"] == "MONITORING_COMPLETE"
    assert sd["targetServiceRevision"]["runningTaskCount"] == 2
    assert sd["sourceServiceRevisions"][0]["runningTaskCount"] == 0
    svc = aws.completed()
    assert len(svc["currentServiceRevisions"]) == 1

    revision = aws.revision(sd["targetServiceRevision"]["arn"])
    assert revision["serviceRevisionArn"].startswith("arn:aws:ecs:us-east-1:123456789012:service-revision/apps/web/")
    assert (revision["taskDefinition"], revision["launchType"], revision["platformVersion"]) == (new_td, "FARGATE",
                                                                                                 "LATEST")
    assert revision["networkConfiguration"] == svc["networkConfiguration"]
    assert revision["containerImages"] == [{"containerName": "web", "image": "nginx:1.27"}]
    assert aws.revision(source["arn"])["taskDefinition"] == old_td


def test_list_filters_and_pages(aws):
    aws.create()
    aws.completed()
    for _ in range(4):
        aws.update(forceNewDeployment=True)
    arns = aws.arns()
    assert len(arns) == 5
    assert aws.arns(status=["IN_PROGRESS"]) == arns[:1]
    assert aws.arns(status=["STOPPED"]) == arns[1:4]  # superseded while in progress
    assert aws.arns(status=["SUCCESSFUL"]) == arns[4:]
    reason = aws.deployment(arns[1])["statusReason"]
    assert reason == f"Service deployment stopped: superseded by {arns[0]}."

    page = aws.ecs.list_service_deployments(cluster=CLUSTER, service="web", maxResults=2)
    assert [b["serviceDeploymentArn"] for b in page["serviceDeployments"]] == arns[:2]
    rest = aws.ecs.list_service_deployments(cluster=CLUSTER, service="web", maxResults=2,
                                            nextToken=page["nextToken"])
    assert [b["serviceDeploymentArn"] for b in rest["serviceDeployments"]] == arns[2:4]
    last = aws.ecs.list_service_deployments(cluster=CLUSTER, service="web", maxResults=2, nextToken=rest["nextToken"])
    assert [b["serviceDeploymentArn"] for b in last["serviceDeployments"]] == arns[4:] and "nextToken" not in last

    brief = aws.ecs.list_service_deployments(cluster=CLUSTER, service=aws.describe()["serviceArn"])[
        "serviceDeployments"][0]
    assert set(brief) == {"serviceDeploymentArn", "serviceArn", "clusterArn", "startedAt", "createdAt",
                          "targetServiceRevisionArn", "status"}
    future = datetime.now(timezone.utc) + timedelta(hours=1)
    assert aws.arns(createdAt={"after": future}) == []
    assert aws.arns(createdAt={"before": future}) == arns

    with pytest.raises(ClientError, match="ServiceNotFoundException"):
        aws.arns("nope")
    with pytest.raises(ClientError, match="ClusterNotFoundException"):
        aws.ecs.list_service_deployments(cluster="nope", service="web")


def test_unknown_arns_are_failures(aws):
    aws.create()
    missing = "arn:aws:ecs:us-east-1:123456789012:service-deployment/apps/web/missing"
    out = aws.ecs.describe_service_deployments(serviceDeploymentArns=[aws.describe()["currentServiceDeployment"],
                                                                      missing])
    assert len(out["serviceDeployments"]) == 1 and out["failures"] == [{"arn": missing, "reason": "MISSING"}]
    out = aws.ecs.describe_service_revisions(serviceRevisionArns=[missing])
    assert out["serviceRevisions"] == [] and out["failures"] == [{"arn": missing, "reason": "MISSING"}]
    with pytest.raises(ClientError, match="ServiceDeploymentNotFoundException"):
        aws.ecs.stop_service_deployment(serviceDeploymentArn=missing, stopType="ROLLBACK")


# ---- the fields that go to the revision ----

def test_new_fields_are_stored_reported_where_ecs_reports_them_and_redeploy(aws):
    volumes = [{"name": "data", "managedEBSVolume": {
        "sizeInGiB": 20, "volumeType": "gp3", "iops": 3000, "throughput": 125, "encrypted": True,
        "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1", "snapshotId": "snap-1", "filesystemType": "ext4",
        "roleArn": "arn:aws:iam::123456789012:role/ebs",
        "tagSpecifications": [{"resourceType": "volume", "tags": [{"key": "k", "value": "v"}],
                               "propagateTags": "SERVICE"}]}}]
    lattice = [{"roleArn": "arn:aws:iam::123456789012:role/lattice", "portName": "http",
                "targetGroupArn": "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-1"}]
    connect = {"enabled": True, "namespace": "apps.local", "services": [{
        "portName": "http", "discoveryName": "web", "clientAliases": [{"port": 80, "dnsName": "web"}],
        "timeout": {"idleTimeoutSeconds": 60, "perRequestTimeoutSeconds": 10},
        "tls": {"issuerCertificateAuthority": {"awsPcaAuthorityArn": "arn:aws:acm-pca:us-east-1:123456789012:"
                                                                     "certificate-authority/1"}}}],
               "accessLogConfiguration": {"format": "JSON", "includeQueryParameters": "ENABLED"}}
    aws.create()
    aws.completed()
    for field, value in (("volumeConfigurations", volumes), ("vpcLatticeConfigurations", lattice),
                         ("serviceConnectConfiguration", connect)):
        before = aws.describe()["currentServiceDeployment"]
        updated = aws.update(**{field: value})
        assert updated["currentServiceDeployment"] != before, field
        assert [d["status"] for d in updated["deployments"]] == ["PRIMARY", "ACTIVE"], field
        assert updated["deployments"][0][field] == value and field not in updated
        revision = aws.revision(updated["currentServiceRevisions"][0]["arn"])
        assert revision[field] == value, field
        aws.completed()
    before = aws.describe()["currentServiceDeployment"]
    assert aws.update(volumeConfigurations=volumes)["currentServiceDeployment"] == before  # the same: no deployment
    assert aws.update(serviceConnectConfiguration=connect)["currentServiceDeployment"] == before

    config = {"maximumPercent": 200, "minimumHealthyPercent": 100,
              "deploymentCircuitBreaker": {"enable": False, "rollback": False},
              "strategy": "CANARY", "bakeTimeInMinutes": 5,
              "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 2},
              "linearConfiguration": {"stepPercent": 20.0, "stepBakeTimeInMinutes": 1},
              "lifecycleHooks": [{"hookTargetArn": "arn:aws:lambda:us-east-1:123456789012:function:check",
                                  "roleArn": "arn:aws:iam::123456789012:role/hooks",
                                  "lifecycleStages": ["POST_SCALE_UP", "POST_TEST_TRAFFIC_SHIFT"],
                                  "hookDetails": {"anything": ["goes", 1]}}]}
    updated = aws.update(deploymentConfiguration=config, availabilityZoneRebalancing="DISABLED")
    assert updated["currentServiceDeployment"] == before  # in place, as ECS
    for svc in (updated, aws.describe()):
        assert svc["deploymentConfiguration"] == config and svc["availabilityZoneRebalancing"] == "DISABLED"

    updated = aws.update(loadBalancers=[LB])
    assert updated["loadBalancers"] == [LB] and updated["currentServiceDeployment"] != before
    assert aws.revision(updated["currentServiceRevisions"][0]["arn"])["loadBalancers"] == [LB]
    assert aws.deployment()["deploymentConfiguration"]["lifecycleHooks"] == config["lifecycleHooks"]


# ---- staged strategies, against the server ----

def test_blue_green_goes_through_every_stage_to_successful(aws):
    old_td = aws.task_definition("nginx:1.26")
    aws.create(taskDefinition=old_td, loadBalancers=[LB])
    aws.completed()
    aws.update(deploymentConfiguration=blue_green())
    new_td = aws.task_definition("nginx:1.27")
    arn = aws.update(taskDefinition=new_td)["currentServiceDeployment"]
    sd, seen = aws.until_deployment(lambda s: s["status"] == "SUCCESSFUL", arn)
    assert [stage for _, stage in in_order(seen)][:-1] == STAGES  # each stage seen, in order (then SUCCESSFUL)
    assert sd["lifecycleStage"] == "CLEAN_UP"
    assert sd["targetServiceRevision"]["requestedProductionTrafficWeight"] == 100.0
    svc = aws.describe()
    assert steady(svc) and svc["taskDefinition"] == new_td


def test_stop_with_rollback_returns_to_the_source_revision(aws):
    old_td = aws.task_definition("nginx:1.26")
    aws.create(taskDefinition=old_td)
    aws.completed()
    aws.update(deploymentConfiguration={"strategy": "LINEAR",
                                        "linearConfiguration": {"stepPercent": 10.0, "stepBakeTimeInMinutes": 100}})
    arn = aws.update(taskDefinition=aws.task_definition("nginx:1.27"))["currentServiceDeployment"]
    aws.until_deployment(lambda s: s.get("lifecycleStage") == "PRODUCTION_TRAFFIC_SHIFT", arn)
    assert aws.ecs.stop_service_deployment(serviceDeploymentArn=arn, stopType="ROLLBACK")[
               "serviceDeploymentArn"] == arn
    assert aws.deployment(arn)["status"] == "ROLLBACK_REQUESTED"
    sd, seen = aws.until_deployment(lambda s: s["status"] == "ROLLBACK_SUCCESSFUL", arn)
    assert [status for status, _ in in_order(seen)][-2:] == ["ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL"]
    assert sd["statusReason"] == "Service deployment rolled back by StopServiceDeployment."
    assert sd["rollback"]["serviceRevisionArn"] == sd["sourceServiceRevisions"][0]["arn"]
    svc = aws.completed()
    assert svc["taskDefinition"] == old_td
    with pytest.raises(ClientError, match="ConflictException") as error:
        aws.ecs.stop_service_deployment(serviceDeploymentArn=arn, stopType="ROLLBACK")
    assert "The service deployment is not in progress." in str(error.value)


# ---- exact timelines, in-process with a fake clock ----

@pytest.fixture
def clocked(monkeypatch):
    """moto in this process, the extension's clock in our hands: a stage, a "minute" 1 s, a rollout 3 s."""
    from moto import mock_aws
    ecsbridge_ecs.install()
    ecsbridge_deployments.install()
    now = [1_000_000.0]
    monkeypatch.setattr(ecsbridge_ecs, "_clock", lambda: now[0])
    monkeypatch.setenv("ECSBRIDGE_MOTO_ROLLOUT_SECONDS", "3")
    monkeypatch.setenv("ECSBRIDGE_MOTO_STAGE_SECONDS", "1")
    monkeypatch.setenv("ECSBRIDGE_MOTO_MINUTE_SECONDS", "1")
    with mock_aws():
        aws = Deployments(*clients())
        aws.advance = lambda seconds: now.__setitem__(0, now[0] + seconds)
        yield aws


def on_blue(aws, config, image="nginx:1.27", **service):
    """A service COMPLETED on nginx:1.26 (rolling), then given `config`, then a deployment of `image`; its ARN."""
    aws.create(taskDefinition=aws.task_definition("nginx:1.26"), **service)
    aws.advance(3)
    assert steady(aws.describe())
    aws.update(deploymentConfiguration=config)
    return aws.update(taskDefinition=aws.task_definition(image))["currentServiceDeployment"]


def timeline(aws, arn, seconds, step=1.0):
    """(status, stage, production weight, test weight, green running, blue running) every `step` s."""
    observed = []
    for _ in range(int(seconds / step)):
        sd = aws.deployment(arn)
        target, sources = sd["targetServiceRevision"], sd["sourceServiceRevisions"]
        observed.append((sd["status"], sd.get("lifecycleStage"), target.get("requestedProductionTrafficWeight"),
                         target.get("requestedTestTrafficWeight"), target["runningTaskCount"],
                         sources[0]["runningTaskCount"] if sources else None))
        aws.advance(step)
    return observed


def test_timeline_of_a_blue_green_deployment(clocked):
    aws = clocked
    arn = on_blue(aws, blue_green(bakeTimeInMinutes=2))
    assert timeline(aws, arn, 12) == [
        ("IN_PROGRESS", "PRE_SCALE_UP", 0.0, 0.0, 0, 2),
        ("IN_PROGRESS", "SCALE_UP", 0.0, 0.0, 0, 2),
        ("IN_PROGRESS", "POST_SCALE_UP", 0.0, 0.0, 2, 2),
        ("IN_PROGRESS", "TEST_TRAFFIC_SHIFT", 0.0, 100.0, 2, 2),
        ("IN_PROGRESS", "POST_TEST_TRAFFIC_SHIFT", 0.0, 100.0, 2, 2),
        ("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", 100.0, 100.0, 2, 2),
        ("IN_PROGRESS", "POST_PRODUCTION_TRAFFIC_SHIFT", 100.0, 100.0, 2, 2),
        ("IN_PROGRESS", "BAKE_TIME", 100.0, 100.0, 2, 2),  # 2 "minutes": 2 s
        ("IN_PROGRESS", "BAKE_TIME", 100.0, 100.0, 2, 2),
        ("IN_PROGRESS", "CLEAN_UP", 100.0, 100.0, 2, 2),
        ("SUCCESSFUL", "CLEAN_UP", 100.0, 100.0, 2, 0),
        ("SUCCESSFUL", "CLEAN_UP", 100.0, 100.0, 2, 0)]
    sd = aws.deployment(arn)
    assert sd["sourceServiceRevisions"][0]["requestedProductionTrafficWeight"] == 0.0
    svc = aws.describe()
    assert steady(svc) and svc["deployments"][0]["rolloutStateReason"].endswith("completed.")


def test_deployments_follow_the_stages(clocked):
    aws = clocked
    first = aws.create(taskDefinition=aws.task_definition("nginx:1.26"),
                       deploymentConfiguration=blue_green(bakeTimeInMinutes=1))["deployments"][0]["id"]
    aws.advance(20)
    svc = aws.update(taskDefinition=aws.task_definition("nginx:1.27"))
    rows = lambda s: [(d["status"], d["rolloutState"], d["runningCount"], d["pendingCount"]) for d in s["deployments"]]
    assert rows(svc) == [("PRIMARY", "IN_PROGRESS", 0, 0), ("ACTIVE", "COMPLETED", 2, 0)]
    assert svc["deployments"][1]["id"] == first
    aws.advance(1)
    assert rows(aws.describe()) == [("PRIMARY", "IN_PROGRESS", 0, 2), ("ACTIVE", "COMPLETED", 2, 0)]
    aws.advance(1)
    assert rows(aws.describe()) == [("PRIMARY", "IN_PROGRESS", 2, 0), ("ACTIVE", "COMPLETED", 2, 0)]
    aws.advance(7)  # to CLEAN_UP's end (bake time 1 "minute")
    svc = aws.describe()
    assert rows(svc) == [("PRIMARY", "COMPLETED", 2, 0)] and svc["runningCount"] == 2


def test_timeline_of_a_linear_deployment(clocked):
    aws = clocked
    arn = on_blue(aws, {"strategy": "LINEAR", "linearConfiguration": {"stepPercent": 30.0,
                                                                      "stepBakeTimeInMinutes": 1}})
    aws.advance(5)
    observed = [(status, stage, prod) for status, stage, prod, *_ in timeline(aws, arn, 7)]
    assert observed == [("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", 30.0),
                        ("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", 60.0),
                        ("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", 90.0),
                        ("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", 100.0),  # the last step: one stage, no bake
                        ("IN_PROGRESS", "POST_PRODUCTION_TRAFFIC_SHIFT", 100.0), ("IN_PROGRESS", "CLEAN_UP", 100.0),
                        ("SUCCESSFUL", "CLEAN_UP", 100.0)]  # no bakeTimeInMinutes: BAKE_TIME lasts 0 s


def test_timeline_of_a_canary_deployment(clocked):
    aws = clocked
    arn = on_blue(aws, {"strategy": "CANARY", "canaryConfiguration": {"canaryPercent": 5.0,
                                                                      "canaryBakeTimeInMinutes": 3}})
    aws.advance(5)
    observed = [(status, stage, prod) for status, stage, prod, *_ in timeline(aws, arn, 7)]
    assert observed == [("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", 5.0)] * 3 + [
        ("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", 100.0), ("IN_PROGRESS", "POST_PRODUCTION_TRAFFIC_SHIFT", 100.0),
        ("IN_PROGRESS", "CLEAN_UP", 100.0), ("SUCCESSFUL", "CLEAN_UP", 100.0)]  # no bake time: BAKE_TIME is 0 s


def test_a_failing_image_in_a_canary_deployment_rolls_back(clocked):
    aws = clocked
    arn = on_blue(aws, {"strategy": "CANARY"}, image=FAILING_IMAGE)
    blue_td = aws.describe()["deployments"][1]["taskDefinition"]
    observed = []
    for _ in range(4):
        d = aws.describe()["deployments"][0]
        observed.append((aws.deployment(arn)["lifecycleStage"], d["rolloutState"], d["failedTasks"]))
        aws.advance(0.5)
    assert observed == [("PRE_SCALE_UP", "IN_PROGRESS", 0), ("PRE_SCALE_UP", "IN_PROGRESS", 0),
                        ("SCALE_UP", "IN_PROGRESS", 0), ("SCALE_UP", "IN_PROGRESS", 1)]
    aws.advance(0.5)
    sd = aws.deployment(arn)
    reason = "ECS deployment circuit breaker: tasks failed to start."
    assert (sd["status"], sd["statusReason"], sd["lifecycleStage"]) == ("ROLLBACK_IN_PROGRESS", reason, "SCALE_UP")
    assert sd["rollback"] == {"reason": reason, "startedAt": sd["updatedAt"],
                              "serviceRevisionArn": sd["sourceServiceRevisions"][0]["arn"]}
    assert sd["deploymentCircuitBreaker"] == {"status": "DISABLED", "failureCount": 3, "threshold": 3}
    svc = aws.describe()
    green, blue = svc["deployments"][1], svc["deployments"][0]
    assert (blue["status"], blue["rolloutState"], blue["taskDefinition"]) == ("PRIMARY", "IN_PROGRESS", blue_td)
    assert blue["rolloutStateReason"] == f"ECS deployment {green['id']} rolling back to deploymentId {blue['id']}."
    assert (green["status"], green["rolloutState"], green["failedTasks"]) == ("ACTIVE", "FAILED", 3)
    aws.advance(1)
    sd = aws.deployment(arn)
    assert sd["status"] == "ROLLBACK_SUCCESSFUL" and "finishedAt" in sd
    svc = aws.describe()
    assert steady(svc) and svc["taskDefinition"] == blue_td and svc["deployments"][0]["id"] == blue["id"]
    assert f"(service web) rolling back to deployment {blue['id']}." in [e["message"] for e in svc["events"]]
    aws.advance(3600)
    assert aws.deployment(arn)["status"] == "ROLLBACK_SUCCESSFUL"


def test_a_failing_image_without_a_previous_deployment_stops(clocked):
    aws = clocked
    aws.create(taskDefinition=aws.task_definition(FAILING_IMAGE), deploymentConfiguration=blue_green())
    aws.advance(10)
    sd = aws.deployment()
    assert (sd["status"], sd["statusReason"]) == ("STOPPED", "ECS deployment circuit breaker: tasks failed to start.")
    assert [(d["status"], d["rolloutState"]) for d in aws.describe()["deployments"]] == [("PRIMARY", "FAILED")]


def test_a_failing_lifecycle_hook_rolls_back(clocked):
    aws = clocked
    hook = "arn:aws:lambda:us-east-1:123456789012:function:ecsbridge-fail"
    hooks = [{"hookTargetArn": "arn:aws:lambda:us-east-1:123456789012:function:ok",
              "roleArn": "arn:aws:iam::123456789012:role/hooks", "lifecycleStages": ["PRE_SCALE_UP"]},
             {"hookTargetArn": hook, "roleArn": "arn:aws:iam::123456789012:role/hooks",
              "lifecycleStages": ["POST_TEST_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"]}]
    arn = on_blue(aws, blue_green(lifecycleHooks=hooks))
    aws.advance(4.5)
    assert (aws.deployment(arn)["status"], aws.deployment(arn)["lifecycleStage"]) == ("IN_PROGRESS",
                                                                                      "POST_TEST_TRAFFIC_SHIFT")
    aws.advance(0.5)
    sd = aws.deployment(arn)
    reason = f"Lifecycle hook {hook} failed at POST_TEST_TRAFFIC_SHIFT."
    assert (sd["status"], sd["statusReason"], sd["rollback"]["reason"]) == ("ROLLBACK_IN_PROGRESS", reason, reason)
    assert sd["targetServiceRevision"]["requestedProductionTrafficWeight"] == 0.0
    assert sd["deploymentConfiguration"]["lifecycleHooks"] == hooks
    aws.advance(1)
    assert aws.deployment(arn)["status"] == "ROLLBACK_SUCCESSFUL"


def test_reconcile_service_when_two_deployments_are_active(clocked):
    aws = clocked
    on_blue(aws, blue_green())
    aws.advance(3)  # the first one is past SCALE_UP: two revisions run
    arn = aws.update(taskDefinition=aws.task_definition("nginx:1.28"))["currentServiceDeployment"]
    assert aws.deployment(arn)["lifecycleStage"] == "RECONCILE_SERVICE"
    assert len(aws.deployment(arn)["sourceServiceRevisions"]) == 2
    aws.advance(1)
    assert aws.deployment(arn)["lifecycleStage"] == "PRE_SCALE_UP"


def test_rolling_circuit_breaker_statuses(clocked):
    aws = clocked
    config = {"deploymentCircuitBreaker": {"enable": True, "rollback": False}}
    arn = on_blue(aws, config, image=FAILING_IMAGE)
    aws.advance(3)
    sd = aws.deployment(arn)
    assert (sd["status"], sd["statusReason"]) == ("STOPPED", "ECS deployment circuit breaker: tasks failed to start.")
    assert sd["deploymentCircuitBreaker"] == {"status": "TRIGGERED", "failureCount": 3, "threshold": 3}
    assert "rollback" not in sd and "stoppedAt" in sd

    aws.update(deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}})
    arn = aws.update(forceNewDeployment=True)["currentServiceDeployment"]
    aws.advance(3)
    sd = aws.deployment(arn)
    assert sd["status"] == "ROLLBACK_IN_PROGRESS"
    assert sd["rollback"]["serviceRevisionArn"] == aws.describe()["currentServiceRevisions"][0]["arn"]
    aws.advance(3)
    sd = aws.deployment(arn)
    assert sd["status"] == "ROLLBACK_SUCCESSFUL"
    assert (sd["targetServiceRevision"]["runningTaskCount"], sd["sourceServiceRevisions"][-1]["runningTaskCount"]) == \
           (0, 2)  # the source revision runs again
    assert aws.describe()["taskDefinition"].endswith("web:1")


def test_stop_with_rollback_of_a_rolling_deployment(clocked):
    aws = clocked
    arn = on_blue(aws, {})
    aws.ecs.stop_service_deployment(serviceDeploymentArn=arn, stopType="ROLLBACK")
    aws.ecs.stop_service_deployment(serviceDeploymentArn=arn, stopType="ROLLBACK")  # again: no change
    assert aws.deployment(arn)["status"] == "ROLLBACK_REQUESTED"
    aws.advance(1)
    assert aws.deployment(arn)["status"] == "ROLLBACK_IN_PROGRESS"
    assert aws.describe()["deployments"][0]["rolloutStateReason"].endswith(
        f"rolling back to deploymentId {aws.describe()['deployments'][1]['id']}.")
    aws.advance(3)
    sd = aws.deployment(arn)
    assert sd["status"] == "ROLLBACK_SUCCESSFUL"
    assert [(r["runningTaskCount"], r["pendingTaskCount"]) for r in (sd["targetServiceRevision"],
                                                                   *sd["sourceServiceRevisions"])] == [(0, 0), (2, 0)]
    svc = aws.describe()
    assert steady(svc) and svc["taskDefinition"].endswith("web:1")


def test_stop_with_abort_and_what_cannot_be_stopped(clocked):
    aws = clocked
    aws.create(deploymentConfiguration=blue_green())
    with pytest.raises(ClientError, match="InvalidParameterException"):  # nothing to roll back to
        aws.ecs.stop_service_deployment(serviceDeploymentArn=aws.describe()["currentServiceDeployment"],
                                        stopType="ROLLBACK")
    arn = aws.describe()["currentServiceDeployment"]
    aws.ecs.stop_service_deployment(serviceDeploymentArn=arn, stopType="ABORT")
    assert aws.deployment(arn)["status"] == "STOP_REQUESTED"
    aws.advance(1)
    sd = aws.deployment(arn)
    assert (sd["status"], sd["statusReason"]) == ("STOPPED", "Service deployment stopped by StopServiceDeployment.")
    assert aws.describe()["deployments"][0]["rolloutState"] == "FAILED"
    with pytest.raises(ClientError, match="ConflictException"):
        aws.ecs.stop_service_deployment(serviceDeploymentArn=arn, stopType="ABORT")


def test_service_connect_namespace_is_reported_as_its_arn(aws, endpoint):
    cloud_map = boto3.client("servicediscovery", region_name="us-east-1", endpoint_url=endpoint,
                             aws_access_key_id="test", aws_secret_access_key="test")
    cloud_map.create_http_namespace(Name="apps.local")
    [namespace] = cloud_map.list_namespaces()["Namespaces"]
    aws.ecs.update_cluster(cluster=CLUSTER, serviceConnectDefaults={"namespace": "apps.local"})
    aws.create()
    aws.completed()
    by_name = aws.update(serviceConnectConfiguration={"enabled": True, "namespace": "apps.local"})
    assert by_name["deployments"][0]["serviceConnectConfiguration"] == {"enabled": True,
                                                                        "namespace": namespace["Arn"]}
    aws.completed()
    before = aws.describe()["currentServiceDeployment"]
    for same in ({"enabled": True, "namespace": namespace["Arn"]}, {"enabled": True}):  # the cluster's default
        assert aws.update(serviceConnectConfiguration=same)["currentServiceDeployment"] == before
    assert aws.revision(aws.describe()["currentServiceRevisions"][0]["arn"])["serviceConnectConfiguration"][
               "namespace"] == namespace["Arn"]
    unknown = aws.update(serviceConnectConfiguration={"enabled": True, "namespace": "elsewhere.local"})
    assert unknown["deployments"][0]["serviceConnectConfiguration"]["namespace"] == "elsewhere.local"
