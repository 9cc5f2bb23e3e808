"""ecs-bridge's extension of moto 5.2.1's ECS: service deployments, service revisions, ECS's native staged strategies.

ecsbridge_ecs.py starts and finishes deployments; this module keeps, for each of them, the *service deployment*
and the *service revision* ECS reports, runs the BLUE_GREEN / LINEAR / CANARY lifecycle stages, and answers the
service deployment APIs. install() (called by the launcher after ecsbridge_ecs.install()) adds to moto's ECS:

ListServiceDeployments(service, cluster, status[], createdAt{before, after}, maxResults (default 20, 1..100),
  nextToken): briefs newest first (serviceDeploymentArn, serviceArn, clusterArn, startedAt, createdAt, finishedAt,
  targetServiceRevisionArn, status, statusReason). Unknown cluster/service: ClusterNotFoundException /
  ServiceNotFoundException.
DescribeServiceDeployments(serviceDeploymentArns, at most 20): serviceDeployments[] (serviceDeploymentArn,
  serviceArn, clusterArn, createdAt, startedAt, updatedAt, finishedAt, stoppedAt, sourceServiceRevisions[],
  targetServiceRevision {arn, requestedTaskCount, runningTaskCount, pendingTaskCount, and for staged strategies
  requestedTestTrafficWeight, requestedProductionTrafficWeight}, status, statusReason, lifecycleStage (staged
  strategies only), deploymentConfiguration (as the service had it when the deployment started, lifecycleHooks
  included), rollback {reason, startedAt, serviceRevisionArn}, deploymentCircuitBreaker {status, failureCount,
  threshold}, alarms {status, alarmNames}); failures[] {arn, reason "MISSING"} for unknown ARNs.
DescribeServiceRevisions(serviceRevisionArns, at most 20): serviceRevisions[] (serviceRevisionArn, serviceArn,
  clusterArn, taskDefinition, capacityProviderStrategy, launchType, platformVersion, loadBalancers,
  serviceRegistries, networkConfiguration, serviceConnectConfiguration, volumeConfigurations,
  vpcLatticeConfigurations, containerImages [{containerName, image}], createdAt), as the service was when the
  deployment started (as sent, ECS's defaults filled as on the service); failures[] {arn, "MISSING"}.
StopServiceDeployment(serviceDeploymentArn, stopType ROLLBACK (default) | ABORT) -> {serviceDeploymentArn}:
  ROLLBACK: ROLLBACK_REQUESTED for one stage period, then ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL with the
  service back on the last COMPLETED deployment's task definition (no earlier COMPLETED deployment:
  InvalidParameterException). ABORT: STOP_REQUESTED for one stage period, then STOPPED (the deployment is FAILED,
  nothing rolled back). Already rolling back / stopping: no change. Finished: ConflictException "The service
  deployment is not in progress."; unknown ARN: ServiceDeploymentNotFoundException.

Every deployment (rolling too) is a service deployment with a new target revision; its sources are the revisions
of the deployments already in the service's deployments[]. DescribeServices reports currentServiceDeployment (the
newest service deployment) and currentServiceRevisions[] {arn, requestedTaskCount, runningTaskCount,
pendingTaskCount} (one per entry of deployments[]).

Status of a ROLLING deployment: IN_PROGRESS -> SUCCESSFUL; circuit breaker without rollback (or nothing to roll back
to) -> STOPPED ("ECS deployment circuit breaker: tasks failed to start."); with rollback -> ROLLBACK_IN_PROGRESS
(rollback {reason, startedAt, serviceRevisionArn of the last COMPLETED revision}) -> ROLLBACK_SUCCESSFUL when the
rollback deployment completes. A deployment still in progress when a new one starts -> STOPPED ("Service
deployment stopped: superseded by <new service deployment ARN>.").

Staged strategies (deploymentConfiguration.strategy BLUE_GREEN, LINEAR, CANARY), no threads: the stage is derived
from elapsed time on every call. Each stage lasts ECSBRIDGE_MOTO_STAGE_SECONDS (float, default 0.5); a "minute" of
bake time lasts ECSBRIDGE_MOTO_MINUTE_SECONDS (float, default 1). Both are read when a deployment starts.
  RECONCILE_SERVICE (only when more than one deployment was in deployments[], as ECS) -> PRE_SCALE_UP -> SCALE_UP
  (green tasks pending) -> POST_SCALE_UP (green running) -> TEST_TRAFFIC_SHIFT (test weight 100) ->
  POST_TEST_TRAFFIC_SHIFT -> PRODUCTION_TRAFFIC_SHIFT -> POST_PRODUCTION_TRAFFIC_SHIFT -> BAKE_TIME
  (bakeTimeInMinutes "minutes", default 0) -> CLEAN_UP (blue scaled to 0 at its end) -> SUCCESSFUL.
  PRODUCTION_TRAFFIC_SHIFT: BLUE_GREEN 100 at once (one stage); LINEAR steps of linearConfiguration.stepPercent
  (default 10) each held stepBakeTimeInMinutes (default 6) "minutes", the last (100) one stage; CANARY
  canaryConfiguration.canaryPercent (default 5) held canaryBakeTimeInMinutes (default 10) "minutes", then 100 for
  one stage. The target's requestedProductionTrafficWeight / requestedTestTrafficWeight follow; each source
  reports 100 minus them.
  deployments[]: the new PRIMARY is IN_PROGRESS (pending = desired until SCALE_UP ends, then running = desired),
  the old one ACTIVE with its tasks until CLEAN_UP ends, then gone and the PRIMARY COMPLETED.
  A failing image ("ecsbridge-fail", see ecsbridge_ecs.py): failedTasks rises during SCALE_UP; when SCALE_UP ends
  the deployment rolls back whether or not the circuit breaker is enabled (blue still runs): ROLLBACK_IN_PROGRESS
  (statusReason "ECS deployment circuit breaker: tasks failed to start.", rollback{}) for one stage, the old
  deployment PRIMARY again (IN_PROGRESS, "ECS deployment <green id> rolling back to deploymentId <blue id>."),
  the green one ACTIVE and FAILED; then ROLLBACK_SUCCESSFUL, green gone, blue COMPLETED. Nothing to roll back to
  (the service's first deployment): STOPPED, the FAILED deployment stays PRIMARY.
  Lifecycle hooks are recorded (deploymentConfiguration of the service deployment) and not invoked: a hook
  succeeds, except one whose hookTargetArn contains "ecsbridge-fail": it fails at the end of the first of its
  lifecycleStages reached, and the deployment rolls back as above (statusReason "Lifecycle hook <arn> failed at
  <stage>."). While rolling back, lifecycleStage stays the stage where the deployment failed and both traffic weights
  of the target are 0.

All state lives on moto's Service objects (/moto-api/reset clears it).
"""
import os
from datetime import datetime, timezone

from moto.ecs import responses
from moto.ecs.exceptions import ECSException, InvalidParameterException, ServiceNotFoundException
from moto.core.responses import ActionResult
from moto.moto_api._internal import mock_random

import ecsbridge_ecs as ecs

STAGE_ENV = "ECSBRIDGE_MOTO_STAGE_SECONDS"
MINUTE_ENV = "ECSBRIDGE_MOTO_MINUTE_SECONDS"
STAGED = ("BLUE_GREEN", "LINEAR", "CANARY")
ONGOING = ("PENDING", "IN_PROGRESS", "STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS")
BREAKER_REASON = "ECS deployment circuit breaker: tasks failed to start."
ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


class ConflictException(ECSException):
    def __init__(self, message):
        super().__init__("ConflictException", message)


class ServiceDeploymentNotFoundException(ECSException):
    def __init__(self):
        super().__init__("ServiceDeploymentNotFoundException", "The service deployment does not exist.")


def stage_seconds():
    return float(os.environ.get(STAGE_ENV, "0.5"))


def minute_seconds():
    return float(os.environ.get(MINUTE_ENV, "1"))


def _at(t):
    return datetime.fromtimestamp(t, tz=timezone.utc)


def _arn(svc, kind, resource_id):
    partition = svc.arn.split(":")[1]
    return f"arn:{partition}:ecs:{svc.region_name}:{svc._account_id}:{kind}/{svc.cluster_name}/{svc.name}/{resource_id}"


def _present(d):
    return {k: v for k, v in d.items() if v is not None}


# ---- revisions and service deployments, as deployments start and end ----

def _revision(svc, task_definition_arn, t):
    try:
        containers = svc._backend.describe_task_definition(task_definition_arn).container_definitions
    except ECSException:
        containers = []
    revision = _present({
        "serviceRevisionArn": _arn(svc, "service-revision", mock_random.randint(10 ** 18, 10 ** 19 - 1)),
        "serviceArn": svc.arn, "clusterArn": svc.cluster_arn, "taskDefinition": task_definition_arn,
        "capacityProviderStrategy": svc.capacity_provider_strategy, "launchType": svc.launch_type,
        "platformVersion": svc.platform_version, "loadBalancers": svc.load_balancers,
        "serviceRegistries": svc.service_registries, "networkConfiguration": svc.network_configuration or None,
        "serviceConnectConfiguration": svc.service_connect_configuration,
        "volumeConfigurations": svc.volume_configurations, "vpcLatticeConfigurations": svc.vpc_lattice_configurations,
        "containerImages": [{"containerName": c.get("name"), "image": c.get("image")} for c in containers],
        "createdAt": _at(t)})
    svc._revisions[revision["serviceRevisionArn"]] = revision
    return revision["serviceRevisionArn"]


def _threshold(desired):
    return min(200, max(3, -(-desired // 2)))


def strategy(svc):
    return (svc.deployment_configuration or {}).get("strategy") or "ROLLING"


def started(svc, d, t):
    """A new deployment `d` (just inserted first in svc.deployments): its revision and service deployment."""
    config = svc.deployment_configuration or {}
    d["_revision"] = _revision(svc, d["taskDefinition"], t)
    arn = _arn(svc, "service-deployment", "".join(mock_random.choice(ID_ALPHABET) for _ in range(21)))
    for old in svc._service_deployments:
        if old["status"] in ONGOING:
            _finish(old, "STOPPED", t, f"Service deployment stopped: superseded by {arn}.")
    breaker = config.get("deploymentCircuitBreaker") or {}
    alarms = config.get("alarms") or {}
    sd = {"serviceDeploymentArn": arn, "serviceArn": svc.arn, "clusterArn": svc.cluster_arn, "createdAt": _at(t),
          "startedAt": _at(t), "updatedAt": _at(t), "status": "IN_PROGRESS", "deploymentConfiguration": config,
          "deploymentCircuitBreaker": {"status": "MONITORING" if breaker.get("enable") else "DISABLED",
                                       "failureCount": 0, "threshold": _threshold(d["desiredCount"])},
          "alarms": ({"status": "MONITORING", "alarmNames": alarms.get("alarmNames") or []}
                     if alarms.get("enable") else {"status": "DISABLED"}),
          "_target": d, "_sources": [old for old in svc.deployments if old is not d], "_strategy": strategy(svc),
          "_rollback_to": svc._last_completed}
    svc._service_deployments.insert(0, sd)
    d["_sd"] = sd
    if sd["_strategy"] in STAGED:
        d["_steps"] = _plan(config, sd["_strategy"], reconcile=len(sd["_sources"]) > 1)
        d["_stage"] = -1
        d["_step"], d["_due"] = "stage", t  # enters its first stage at once
        d["pendingCount"], d["_fail_window"] = 0, None  # no task starts before SCALE_UP


def _finish(sd, status, t, reason=None):
    sd.update(status=status, updatedAt=_at(t), finishedAt=_at(t))
    if status == "STOPPED":
        sd["stoppedAt"] = _at(t)
    if reason:
        sd["statusReason"] = reason


def completed(svc, d, t):
    """`d` reached a steady state (ecsbridge_ecs has made it the only deployment)."""
    sd = d.get("_sd")
    if sd is None:
        return
    if d.get("_rollback_of") is not None:  # a rolling rollback
        _finish(sd, "ROLLBACK_SUCCESSFUL", t)
        sd["_target"].update(runningCount=0, pendingCount=0)
        return
    _finish(sd, "SUCCESSFUL", t)
    if sd["deploymentCircuitBreaker"]["status"] == "MONITORING":
        sd["deploymentCircuitBreaker"]["status"] = "MONITORING_COMPLETE"
    if sd["alarms"]["status"] == "MONITORING":
        sd["alarms"]["status"] = "MONITORING_COMPLETE"


def failed(svc, d, t, rolling_back):
    """The circuit breaker stopped rolling `d` (a ROLLING deployment)."""
    sd = d.get("_sd")
    if sd is None or sd["status"] not in ONGOING:
        return
    if d.get("_rollback_of") is not None:  # the rollback itself failed
        return _finish(sd, "ROLLBACK_FAILED", t, BREAKER_REASON)
    breaker = sd["deploymentCircuitBreaker"]
    breaker.update(failureCount=d["failedTasks"], status="TRIGGERED" if breaker["status"] != "DISABLED" else "DISABLED")
    if rolling_back:
        _rolling_back(sd, t, BREAKER_REASON)
    else:
        _finish(sd, "STOPPED", t, BREAKER_REASON)


def _rolling_back(sd, t, reason):
    good = sd["_rollback_to"]
    sd.update(status="ROLLBACK_IN_PROGRESS", statusReason=reason, updatedAt=_at(t),
              rollback={"reason": reason, "startedAt": _at(t), "serviceRevisionArn": good["revision"]})


# ---- staged strategies ----

def _plan(config, kind, reconcile):
    """[(stage, seconds, test weight, production weight)] of a staged deployment."""
    s, m = stage_seconds(), minute_seconds()
    steps = [("RECONCILE_SERVICE", s, 0.0, 0.0)] if reconcile else []
    steps += [("PRE_SCALE_UP", s, 0.0, 0.0), ("SCALE_UP", s, 0.0, 0.0), ("POST_SCALE_UP", s, 0.0, 0.0),
              ("TEST_TRAFFIC_SHIFT", s, 100.0, 0.0), ("POST_TEST_TRAFFIC_SHIFT", s, 100.0, 0.0)]
    if kind == "LINEAR":
        linear = config.get("linearConfiguration") or {}
        step, bake = float(linear.get("stepPercent", 10.0)), float(linear.get("stepBakeTimeInMinutes", 6))
        weight = 0.0
        while weight < 100.0:
            weight = min(100.0, round(weight + step, 1))
            steps.append(("PRODUCTION_TRAFFIC_SHIFT", bake * m if weight < 100.0 else s, 100.0, weight))
    elif kind == "CANARY":
        canary = config.get("canaryConfiguration") or {}
        percent, bake = float(canary.get("canaryPercent", 5.0)), float(canary.get("canaryBakeTimeInMinutes", 10))
        steps += [("PRODUCTION_TRAFFIC_SHIFT", bake * m, 100.0, percent), ("PRODUCTION_TRAFFIC_SHIFT", s, 100.0, 100.0)]
    else:
        steps.append(("PRODUCTION_TRAFFIC_SHIFT", s, 100.0, 100.0))
    steps += [("POST_PRODUCTION_TRAFFIC_SHIFT", s, 100.0, 100.0),
              ("BAKE_TIME", float(config.get("bakeTimeInMinutes") or 0) * m, 100.0, 100.0),
              ("CLEAN_UP", s, 100.0, 100.0)]
    return steps


def _failing_hook(sd, stage):
    if stage in sd.setdefault("_hooks_run", set()):
        return None
    sd["_hooks_run"].add(stage)
    for hook in sd["deploymentConfiguration"].get("lifecycleHooks") or []:
        if stage in (hook.get("lifecycleStages") or []) and ecs.FAIL_MARKER in (hook.get("hookTargetArn") or ""):
            return hook["hookTargetArn"]
    return None


def next_stage(svc, t):
    """The PRIMARY staged deployment's current stage is over: its effects, then the next stage (or the end)."""
    d = svc.deployments[0]
    sd = d["_sd"]
    if d["_stage"] >= 0:
        stage = d["_steps"][d["_stage"]][0]
        if stage == "SCALE_UP":
            if d["_fails"]:
                d["failedTasks"] = 3
                sd["deploymentCircuitBreaker"]["failureCount"] = 3
                if sd["deploymentCircuitBreaker"]["status"] != "DISABLED":
                    sd["deploymentCircuitBreaker"]["status"] = "TRIGGERED"
                return _staged_failure(svc, d, t, BREAKER_REASON)
            d.update(runningCount=d["desiredCount"], pendingCount=0, updatedAt=_at(t))
        hook = _failing_hook(sd, stage)
        if hook:
            return _staged_failure(svc, d, t, f"Lifecycle hook {hook} failed at {stage}.")
        if stage == "CLEAN_UP" and d["_stage"] == len(d["_steps"]) - 1:
            return ecs._finish_rollout(svc, t)
    d["_stage"] += 1
    stage, seconds = d["_steps"][d["_stage"]][:2]
    d["_due"] = t + seconds
    sd.update(lifecycleStage=stage, updatedAt=_at(t))
    if stage == "SCALE_UP":
        d.update(pendingCount=d["desiredCount"], updatedAt=_at(t))
        d["_fail_window"] = (t, t + seconds)
        ecs._started(svc, d["desiredCount"], t)


def _staged_failure(svc, d, t, reason):
    sd = d["_sd"]
    if not sd["_rollback_to"]:
        d.update(rolloutState="FAILED", rolloutStateReason=reason, updatedAt=_at(t))
        ecs._event(svc, f"(deployment {d['id']}) deployment failed: {reason}", t)
        return _finish(sd, "STOPPED", t, reason)
    _begin_rollback(svc, d, t, reason)


def _begin_rollback(svc, d, t, reason):
    """Rolls `d` (the PRIMARY, in progress) back to the last COMPLETED deployment."""
    sd, good = d["_sd"], d["_sd"]["_rollback_to"]
    _rolling_back(sd, t, reason)
    d.update(rolloutState="FAILED", rolloutStateReason=reason, updatedAt=_at(t))
    ecs._event(svc, f"(deployment {d['id']}) deployment failed: {reason}", t)
    ecs._event(svc, f"rolling back to deployment {good['id']}.", t)
    blue = next((x for x in svc.deployments if x["id"] == good["id"]), None)
    if sd["_strategy"] not in STAGED or blue is None:
        ecs._start_deployment(svc, good["taskDefinition"], t, rollback_of=sd,
                              reason=f"{reason.rstrip('.')}: rolling back to deploymentId {d['id']}.")
        return
    svc.deployments.remove(blue)
    svc.deployments.insert(0, blue)
    d.update(status="ACTIVE")
    blue.update(status="PRIMARY", rolloutState="IN_PROGRESS", updatedAt=_at(t),
                rolloutStateReason=f"ECS deployment {d['id']} rolling back to deploymentId {blue['id']}.",
                _step="rolled_back", _due=t + stage_seconds(), _rollback_of=sd)


def rolled_back(svc, t):
    """A staged rollback is over: green gone, blue COMPLETED."""
    blue = svc.deployments[0]
    green = blue["_rollback_of"]["_target"]
    ecs._stopped(svc, green["runningCount"], t)
    green.update(runningCount=0, pendingCount=0, updatedAt=_at(t))
    del svc.deployments[1:]
    blue.update(rolloutState="COMPLETED", rolloutStateReason=f"ECS deployment {blue['id']} completed.",
                updatedAt=_at(t))
    _finish(blue["_rollback_of"], "ROLLBACK_SUCCESSFUL", t)
    blue["_rollback_of"] = None
    ecs._event(svc, f"(deployment {blue['id']}) deployment completed.", t)
    ecs._event(svc, "has reached a steady state.", t)


def requested_stop(svc, t):
    """StopServiceDeployment's request period is over."""
    d = svc.deployments[0]
    sd = d["_sd"]
    if sd["status"] == "ROLLBACK_REQUESTED":
        return _begin_rollback(svc, d, t, "Service deployment rolled back by StopServiceDeployment.")
    d.update(rolloutState="FAILED", rolloutStateReason=f"ECS deployment {d['id']} stopped.", updatedAt=_at(t))
    _finish(sd, "STOPPED", t, "Service deployment stopped by StopServiceDeployment.")


# ---- what the APIs report ----

def _summary(sd, d, target):
    back = sd.get("_rollback_deployment")
    if not target and back is not None and back["_revision"] == d["_revision"]:
        d = back  # rolled back (rolling): a new deployment runs the source revision again
    summary = {"arn": d["_revision"], "requestedTaskCount": d["desiredCount"], "runningTaskCount": d["runningCount"],
               "pendingTaskCount": d["pendingCount"]}
    target_d = sd["_target"]
    if sd["_strategy"] in STAGED and target_d.get("_stage", -1) >= 0:
        _, _, test, prod = target_d["_steps"][target_d["_stage"]]
        if sd["status"] in ("ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL"):
            test = prod = 0.0
        summary.update(requestedTestTrafficWeight=test if target else 100.0 - test,
                       requestedProductionTrafficWeight=prod if target else 100.0 - prod)
    return summary


def describe(sd):
    out = {k: v for k, v in sd.items() if not k.startswith("_")}
    out["targetServiceRevision"] = _summary(sd, sd["_target"], True)
    out["sourceServiceRevisions"] = [_summary(sd, d, False) for d in sd["_sources"]]
    out["deploymentCircuitBreaker"] = dict(sd["deploymentCircuitBreaker"])
    if sd["status"] in ONGOING:
        out["deploymentCircuitBreaker"]["failureCount"] = sd["_target"]["failedTasks"]
    return out


def brief(sd):
    return _present({k: sd.get(k) for k in ("serviceDeploymentArn", "serviceArn", "clusterArn", "startedAt",
                                             "createdAt", "finishedAt", "status", "statusReason")}
                    | {"targetServiceRevisionArn": sd["_target"]["_revision"]})


def derive(svc):
    """The service's members that point to its deployments (called by ecsbridge_ecs after every transition)."""
    svc.current_service_deployment = (svc._service_deployments[0]["serviceDeploymentArn"]
                                      if svc._service_deployments else None)
    svc.current_service_revisions = [{"arn": d["_revision"], "requestedTaskCount": d["desiredCount"],
                                      "runningTaskCount": d["runningCount"], "pendingTaskCount": d["pendingCount"]}
                                     for d in svc.deployments if d.get("_revision")]


# ---- the API handlers ----

def _managed(backend):
    return [s for s in backend.services.values() if hasattr(s, "_service_deployments")]


def _find(backend, kind, arn):
    """(service, record) for a service deployment or revision ARN, or (None, None)."""
    with ecs._lock:
        for svc in _managed(backend):
            if not arn.startswith(_arn(svc, kind, "")):
                continue
            ecs._advance(svc)
            if kind == "service-revision" and arn in svc._revisions:
                return svc, svc._revisions[arn]
            for sd in svc._service_deployments:
                if sd["serviceDeploymentArn"] == arn:
                    return svc, sd
    return None, None


def _timestamp(value):
    """A createdAt bound as moto parses it (a naive UTC datetime) or as epoch seconds."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return _at(float(value))


def list_service_deployments(self):
    backend = self.ecs_backend
    cluster = self._get_param("cluster") or "default"
    service = self._get_param("service")
    backend._get_cluster(cluster)  # ClusterNotFoundException
    svc = backend._get_service(cluster, service or "")
    if not hasattr(svc, "_service_deployments"):
        raise ServiceNotFoundException()
    statuses = self._get_param("status") or []
    created = self._get_param("createdAt") or {}
    after, before = _timestamp(created.get("after")), _timestamp(created.get("before"))
    max_results = self._get_param("maxResults") or 20
    if not 1 <= int(max_results) <= 100:
        raise InvalidParameterException("maxResults must be between 1 and 100.")
    start = int(self._get_param("nextToken") or 0)
    with ecs._lock:
        ecs._advance(svc)
        found = [sd for sd in svc._service_deployments
                 if (not statuses or sd["status"] in statuses) and (after is None or sd["createdAt"] >= after)
                 and (before is None or sd["createdAt"] <= before)]
        page = [brief(sd) for sd in found[start:start + int(max_results)]]
    result = {"serviceDeployments": page}
    if start + int(max_results) < len(found):
        result["nextToken"] = str(start + int(max_results))
    return ActionResult(result)


def _describe_many(self, name, kind, render, key):
    arns = self._get_param(name) or []
    if len(arns) > 20:
        raise InvalidParameterException(f"{name} can have at most 20 items.")
    found, failures = [], []
    with ecs._lock:
        for arn in arns:
            svc, record = _find(self.ecs_backend, kind, arn)
            if record is None:
                failures.append({"arn": arn, "reason": "MISSING"})
            else:
                found.append(render(record))
    return ActionResult({key: found, "failures": failures})


def describe_service_deployments(self):
    return _describe_many(self, "serviceDeploymentArns", "service-deployment", describe, "serviceDeployments")


def describe_service_revisions(self):
    return _describe_many(self, "serviceRevisionArns", "service-revision", dict, "serviceRevisions")


def stop_service_deployment(self):
    arn = self._get_param("serviceDeploymentArn")
    stop_type = self._get_param("stopType") or "ROLLBACK"
    if stop_type not in ("ROLLBACK", "ABORT"):
        raise InvalidParameterException(f"Invalid stopType: {stop_type}.")
    with ecs._lock:
        svc, sd = _find(self.ecs_backend, "service-deployment", arn or "")
        if sd is None:
            raise ServiceDeploymentNotFoundException()
        if sd["status"] not in ONGOING:
            raise ConflictException("The service deployment is not in progress.")
        if sd["status"] in ("PENDING", "IN_PROGRESS"):
            if stop_type == "ROLLBACK" and not sd["_rollback_to"]:
                raise InvalidParameterException("The service has no previous service revision to roll back to.")
            t = ecs._clock()
            d = sd["_target"]
            sd.update(status="ROLLBACK_REQUESTED" if stop_type == "ROLLBACK" else "STOP_REQUESTED", updatedAt=_at(t))
            d.update(_step="requested_stop", _due=t + stage_seconds())
        ecs._advance(svc)
    return ActionResult({"serviceDeploymentArn": arn})


def install():
    """Adds the service deployment APIs to moto's ECS (idempotent); ecsbridge_ecs.install() must run too."""
    response = responses.EC2ContainerServiceResponse
    response.list_service_deployments = list_service_deployments
    response.describe_service_deployments = describe_service_deployments
    response.describe_service_revisions = describe_service_revisions
    response.stop_service_deployment = stop_service_deployment
