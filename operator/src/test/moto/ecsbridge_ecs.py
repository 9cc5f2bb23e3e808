"""ecs-bridge's extension of moto 5.2.1's ECS backend: services that are described and roll out like real ECS.

install() patches moto.ecs in this process (the launcher calls it before the server starts). What changes vs moto:

CreateService (moto's handler passes only some request fields to its backend: the handler is wrapped)
  - stores the whole request and reports it with ECS's defaults: deploymentConfiguration 200/100 (DAEMON 100/0),
    deploymentCircuitBreaker {enable false, rollback false}, strategy ROLLING (the rest of deploymentConfiguration:
    bakeTimeInMinutes, lifecycleHooks, linearConfiguration, canaryConfiguration, alarms, as sent),
    availabilityZoneRebalancing ENABLED (ECS's default for a new service), healthCheckGracePeriodSeconds 0,
    enableExecuteCommand false, enableECSManagedTags false, placementConstraints/placementStrategy [],
    platformVersion LATEST for FARGATE, awsvpcConfiguration.assignPublicIp DISABLED, createdAt;
    capacityProviderStrategy items get base/weight 0 and
    launchType is then omitted; placementStrategy fields are rewritten as ECS does (host -> instanceId, cpu -> CPU,
    memory -> MEMORY). moto already reports propagateTags NONE, schedulingStrategy REPLICA, deploymentController
    ECS, loadBalancers/serviceRegistries []. loadBalancers (advancedConfiguration included), volumeConfigurations and
    vpcLatticeConfigurations are stored as sent; serviceConnectConfiguration too, its namespace reported as the Cloud
    Map namespace's ARN when moto's Cloud Map knows it (by name, id or ARN; absent: the cluster's
    serviceConnectDefaults namespace). ECS reports serviceConnectConfiguration, volumeConfigurations and
    vpcLatticeConfigurations on deployments[] and service revisions, not on the service: so does the extension.
  - refuses "Creation of service was not idempotent." while an ACTIVE or DRAINING service has the name (moto
    silently replaced it); an INACTIVE one may be re-created. A networkConfiguration without securityGroups no
    longer crashes moto's validation; one without awsvpcConfiguration (e.g. {}) is refused with
    InvalidParameterException instead of crashing it (a KeyError, HTTP 500); the message is the extension's own.
UpdateService (backend method replaced): every field ECS updates in place is stored and reported, normalised as
  above. A new deployment starts when the task definition, network configuration, platform version, capacity
  provider strategy, load balancers (advancedConfiguration included), service registries, serviceConnectConfiguration,
  volumeConfigurations or vpcLatticeConfigurations change (compared as reported: re-sending the same is no change),
  or on forceNewDeployment; a desiredCount-only change scales the PRIMARY deployment; deploymentConfiguration
  (strategy included), availabilityZoneRebalancing and the other fields change in place, as in ECS. A service that
  is not ACTIVE: ServiceNotActiveException.
Deployments (no threads: computed on every call from elapsed time; ECSBRIDGE_MOTO_ROLLOUT_SECONDS, float, default 2,
  read whenever a deployment, scaling or drain starts): a new PRIMARY is IN_PROGRESS (running 0, pending desired)
  and COMPLETED one rollout period later (running == desired); the previous PRIMARY is ACTIVE until then and
  disappears. Scaling: the PRIMARY's desiredCount follows at once, runningCount one rollout period later. The
  service's taskDefinition/runningCount/pendingCount follow the deployments. MOTO_ECS_SERVICE_RUNNING is ignored.
  deployments[] entries also report serviceConnectConfiguration, volumeConfigurations, vpcLatticeConfigurations.
  With deploymentConfiguration.strategy BLUE_GREEN, LINEAR or CANARY a deployment goes through ECS's lifecycle stages
  instead (ecsbridge_deployments.py), and every deployment is also a service deployment with a service revision
  (DescribeServices: currentServiceDeployment, currentServiceRevisions): see ecsbridge_deployments.py.
Failure on demand: a deployment whose task definition has a container image containing "ecsbridge-fail" never gets
  healthy: failedTasks 0, 1, 2 over the rollout period, then 3 and rolloutState FAILED ("ECS deployment circuit
  breaker: tasks failed to start."). With deploymentCircuitBreaker.rollback true (and an earlier COMPLETED
  deployment) a new PRIMARY on the last COMPLETED task definition starts ("ECS deployment circuit breaker: rolling
  back to deploymentId <failed id>."); when it completes the failed one is gone. Otherwise the FAILED deployment
  stays PRIMARY. Unlike ECS, FAILED is reported even when the circuit breaker is not enabled. (Staged strategies fail
  and roll back at the end of SCALE_UP: ecsbridge_deployments.py.)
Events (newest first, at most 100): started N tasks, stopped N running tasks, reached a steady state, deployment
  completed, deployment failed, rolling back to deployment <last completed id>.
DeleteService (backend method replaced): desiredCount > 0 without force is refused (as moto); then the service is
  DRAINING (desired 0) for one rollout period, then INACTIVE (still described, no longer listed by ListServices).
  Deleting a service that is not ACTIVE: ServiceNotActiveException.
DescribeClusters: activeServicesCount, runningTasksCount and pendingTasksCount are computed from the services (plus
  moto's RunTask tasks) instead of moto's counters.

All state lives on moto's Service objects, so /moto-api/reset clears it; the module keeps only a lock and the
original methods it replaced.
Services that moto creates by other paths (CloudFormation) keep moto's behaviour.
"""
import os
import threading
import time
from datetime import datetime, timezone

from moto.core.utils import camelcase_to_underscores
from moto.ecs import models, responses
from moto.ecs.exceptions import ECSException, InvalidParameterException
from moto.moto_api._internal import mock_random

import ecsbridge_deployments as deployments

FAIL_MARKER = "ecsbridge-fail"
ROLLOUT_ENV = "ECSBRIDGE_MOTO_ROLLOUT_SECONDS"
MAX_EVENTS = 100
# Fields stored as given (snake_case request names are also moto's attribute names, which its serializer reads).
PLAIN_FIELDS = ("health_check_grace_period_seconds", "enable_execute_command", "enable_ecs_managed_tags",
                "propagate_tags", "placement_constraints", "load_balancers", "service_registries",
                "deployment_controller", "availability_zone_rebalancing", "volume_configurations",
                "vpc_lattice_configurations")
CREATE_DEFAULTS = {"health_check_grace_period_seconds": 0, "enable_execute_command": False,
                   "enable_ecs_managed_tags": False, "propagate_tags": "NONE", "placement_constraints": [],
                   "placement_strategy": [], "load_balancers": [], "service_registries": [],
                   "deployment_controller": {"type": "ECS"}, "deployment_configuration": {},
                   "availability_zone_rebalancing": "ENABLED"}
PLACEMENT_FIELDS = {"host": "instanceId", "cpu": "CPU", "memory": "MEMORY"}

_lock = threading.RLock()  # moto's server is threaded; a lazy transition must be applied once
_clock = time.time  # tests may replace it
_originals = {}


class ServiceNotActiveException(ECSException):
    def __init__(self):
        super().__init__("ServiceNotActiveException", "Service was not ACTIVE.")


def rollout_seconds():
    return float(os.environ.get(ROLLOUT_ENV, "2"))


def _at(t):
    return datetime.fromtimestamp(t, tz=timezone.utc)


# ---- request fields, normalised as ECS reports them ----

def _deployment_configuration(given, scheduling_strategy):
    daemon = scheduling_strategy == "DAEMON"
    breaker = {"enable": False, "rollback": False, **(given.get("deploymentCircuitBreaker") or {})}
    return {**given, "maximumPercent": given.get("maximumPercent", 100 if daemon else 200),
            "minimumHealthyPercent": given.get("minimumHealthyPercent", 0 if daemon else 100),
            "deploymentCircuitBreaker": breaker, "strategy": given.get("strategy") or "ROLLING"}


def _network_configuration(svc, given):
    svc._validate_network(given)
    return {"awsvpcConfiguration": {"assignPublicIp": "DISABLED", **given["awsvpcConfiguration"]}}


def _service_connect(svc, given):
    """As ECS reports it: the namespace (given, else the cluster's serviceConnectDefaults) as the Cloud Map
    namespace's ARN when moto's Cloud Map knows it by name, id or ARN; else as given."""
    namespace = given.get("namespace")
    if not namespace and given.get("enabled"):
        cluster = svc._backend.clusters.get(svc.cluster_name)
        namespace = ((cluster and cluster.service_connect_defaults) or {}).get("namespace")
    if namespace:
        from moto.servicediscovery.models import servicediscovery_backends
        known = servicediscovery_backends[svc._account_id][svc.region_name].namespaces.values()
        namespace = next((n.arn for n in known if namespace in (n.name, n.id, n.arn)), namespace)
        return {**given, "namespace": namespace}
    return given


def _validate_network(self, nc):
    """moto's check, tolerating absent securityGroups (ECS then uses the VPC's default group); a network
    configuration without awsvpcConfiguration is a client error, not moto's KeyError."""
    if not isinstance(nc.get("awsvpcConfiguration"), dict):
        raise InvalidParameterException("networkConfiguration.awsvpcConfiguration must be provided.")
    _originals["validate_network"](self, {"awsvpcConfiguration": {"securityGroups": [], **nc["awsvpcConfiguration"]}})
    return nc


def _apply(svc, p):
    """Stores the fields present in request `p` (snake_case keys) on the service."""
    if p.get("network_configuration") is not None:
        svc.network_configuration = _network_configuration(svc, p["network_configuration"])
    for name in PLAIN_FIELDS:
        if p.get(name) is not None:
            setattr(svc, name, p[name])
    if p.get("service_connect_configuration") is not None:
        svc.service_connect_configuration = _service_connect(svc, p["service_connect_configuration"])
    if p.get("placement_strategy") is not None:
        svc.placement_strategy = [{**s, "field": PLACEMENT_FIELDS.get(s["field"], s["field"])} if "field" in s else s
                                  for s in p["placement_strategy"]]
    if p.get("deployment_configuration") is not None:
        svc.deployment_configuration = _deployment_configuration(p["deployment_configuration"],
                                                                 svc.scheduling_strategy)
    if p.get("capacity_provider_strategy"):
        svc.capacity_provider_strategy = [{"base": 0, "weight": 0, **s} for s in p["capacity_provider_strategy"]]
        svc.launch_type = None
    if p.get("platform_version"):
        svc.platform_version = p["platform_version"]
    fargate = svc.launch_type == "FARGATE" or any(
        s["capacityProvider"].startswith("FARGATE") for s in svc.capacity_provider_strategy or [])
    if fargate and not svc.platform_version:
        svc.platform_version = "LATEST"


def _deployment_inputs(svc):
    """What makes ECS start a new deployment when it changes."""
    return repr((svc.task_definition, svc.network_configuration, svc.platform_version, svc.capacity_provider_strategy,
                 svc.load_balancers, svc.service_registries, svc.service_connect_configuration,
                 svc.volume_configurations, svc.vpc_lattice_configurations))


# ---- deployments and events ----

def _event(svc, message, t):
    svc.events.insert(0, {"id": str(mock_random.uuid4()), "createdAt": _at(t),
                          "message": f"(service {svc.name}) {message}"})
    del svc.events[MAX_EVENTS:]


def _tasks(n):
    return " ".join(f"(task {mock_random.get_random_hex(32)})" for _ in range(n))


def _started(svc, n, t):
    if n > 0:
        _event(svc, f"has started {n} tasks: {_tasks(n)}.", t)


def _stopped(svc, n, t):
    if n > 0:
        _event(svc, f"has stopped {n} running tasks: {_tasks(n)}.", t)


def _fails(svc, task_definition_arn):
    try:
        containers = svc._backend.describe_task_definition(task_definition_arn).container_definitions
    except ECSException:
        return False
    return any(FAIL_MARKER in (c.get("image") or "") for c in containers)


def _start_deployment(svc, task_definition_arn, t, reason=None, rollback_of=None):
    """A new PRIMARY deployment; `rollback_of`: the service deployment it rolls back (no new service deployment)."""
    for d in svc.deployments:
        if d["status"] == "PRIMARY":
            d.update(status="ACTIVE", updatedAt=_at(t))
    dep_id = f"ecs-svc/{mock_random.randint(10 ** 18, 10 ** 19 - 1)}"
    svc.deployments.insert(0, {
        "id": dep_id, "status": "PRIMARY", "taskDefinition": task_definition_arn,
        "desiredCount": svc.desired_count, "pendingCount": svc.desired_count, "runningCount": 0, "failedTasks": 0,
        "createdAt": _at(t), "updatedAt": _at(t), "launchType": svc.launch_type,
        "capacityProviderStrategy": svc.capacity_provider_strategy, "platformVersion": svc.platform_version,
        "networkConfiguration": svc.network_configuration, "rolloutState": "IN_PROGRESS",
        "rolloutStateReason": reason or f"ECS deployment {dep_id} in progress.",
        "serviceConnectConfiguration": svc.service_connect_configuration,
        "volumeConfigurations": svc.volume_configurations, "vpcLatticeConfigurations": svc.vpc_lattice_configurations,
        # private (the serializer reads only the Deployment shape's members)
        "_step": "rollout", "_due": t + rollout_seconds(), "_fail_window": (t, t + rollout_seconds()),
        "_fails": _fails(svc, task_definition_arn)})
    svc._scale_due = None
    d = svc.deployments[0]
    if rollback_of is None:
        deployments.started(svc, d, t)
    else:
        d.update(_sd=rollback_of, _rollback_of=rollback_of, _revision=rollback_of["_rollback_to"]["revision"])
        rollback_of["_rollback_deployment"] = d
    if d["_step"] == "rollout":
        _started(svc, svc.desired_count, t)


def _finish_rollout(svc, t):
    d = svc.deployments[0]
    d["updatedAt"] = _at(t)
    if not d["_fails"]:
        d.update(rolloutState="COMPLETED", rolloutStateReason=f"ECS deployment {d['id']} completed.",
                 runningCount=d["desiredCount"], pendingCount=0)
        _stopped(svc, sum(old["runningCount"] for old in svc.deployments[1:]), t)
        for old in svc.deployments[1:]:
            old.update(runningCount=0, pendingCount=0, updatedAt=_at(t))
        del svc.deployments[1:]
        svc._last_completed = {"id": d["id"], "taskDefinition": d["taskDefinition"], "revision": d["_revision"]}
        deployments.completed(svc, d, t)
        _event(svc, f"(deployment {d['id']}) deployment completed.", t)
        _event(svc, "has reached a steady state.", t)
        return
    d.update(rolloutState="FAILED", rolloutStateReason="ECS deployment circuit breaker: tasks failed to start.",
             failedTasks=3)
    _event(svc, f"(deployment {d['id']}) deployment failed: tasks failed to start.", t)
    good = d["_sd"]["_rollback_to"] if d.get("_sd") and not d.get("_rollback_of") else None
    rollback = bool(svc.deployment_configuration["deploymentCircuitBreaker"].get("rollback") and good)
    deployments.failed(svc, d, t, rollback)
    if rollback:
        _event(svc, f"rolling back to deployment {good['id']}.", t)
        _start_deployment(svc, good["taskDefinition"], t, rollback_of=d["_sd"],
                          reason=f"ECS deployment circuit breaker: rolling back to deploymentId {d['id']}.")


def _scale(svc, desired, t):
    svc.desired_count = desired
    d = svc.deployments[0]
    d.update(desiredCount=desired, updatedAt=_at(t))
    if d["rolloutState"] != "COMPLETED":
        if d["runningCount"]:  # a staged deployment past SCALE_UP
            d["runningCount"] = desired
        elif d["_step"] == "rollout" or d["pendingCount"]:
            d["pendingCount"] = desired
        return
    d["pendingCount"] = max(desired - d["runningCount"], 0)
    _started(svc, d["pendingCount"], t)
    svc._scale_due = t + rollout_seconds() if desired != d["runningCount"] else None


def _finish_scaling(svc, t):
    d = svc.deployments[0]
    _stopped(svc, d["runningCount"] - d["desiredCount"], t)
    d.update(runningCount=d["desiredCount"], pendingCount=0, updatedAt=_at(t))
    svc._scale_due = None
    _event(svc, "has reached a steady state.", t)


def _finish_draining(svc, t):
    _stopped(svc, sum(d["runningCount"] for d in svc.deployments), t)
    del svc.deployments[1:]
    for d in svc.deployments:
        d.update(runningCount=0, pendingCount=0, updatedAt=_at(t))
    svc.status = "INACTIVE"


def _advance(svc):
    """Applies, in order, every transition due by now; then derives the service's figures."""
    if not hasattr(svc, "_scale_due"):
        return  # not created through the extension
    now = _clock()
    while True:
        due = []
        if svc.deployments and svc.deployments[0]["rolloutState"] == "IN_PROGRESS":
            due.append((svc.deployments[0]["_due"], _step(svc.deployments[0]["_step"])))
        if svc._scale_due is not None:
            due.append((svc._scale_due, _finish_scaling))
        if svc.status == "DRAINING":
            due.append((svc._drain_due, _finish_draining))
        due = [step for step in due if step[0] <= now]
        if not due:
            break
        t, transition = min(due, key=lambda step: step[0])
        transition(svc, t)
    if svc.deployments:
        d = svc.deployments[0]
        start, end = d.get("_fail_window") or (now, now)
        if d["rolloutState"] == "IN_PROGRESS" and d["_fails"] and start <= now and d["failedTasks"] < 3:
            d["failedTasks"] = min(2, int(3 * (now - start) / max(end - start, 1e-9)))
        svc.task_definition = d["taskDefinition"]
        svc.running_count = sum(x["runningCount"] for x in svc.deployments)
        svc.pending_count = sum(x["pendingCount"] for x in svc.deployments)
    deployments.derive(svc)


# ---- the patched entry points ----

def _create_service_response(self):
    params = self._get_params()
    cluster, name = params.get("cluster", "default"), params.get("serviceName")
    self.ecs_backend._get_cluster(cluster)  # ClusterNotFoundException before the idempotence check
    with _lock:
        existing = [s for s in self.ecs_backend.services.values()
                    if s.name == name and s.cluster_name == cluster.split("/")[-1]]
        for svc in existing:
            _advance(svc)
            if svc.status != "INACTIVE":
                raise InvalidParameterException("Creation of service was not idempotent.")
        result = _originals["create_service_response"](self)
        svc = self.ecs_backend._get_service(cluster, name)
        t = _clock()
        svc.created_at = _at(t)
        svc.events, svc.deployments, svc.network_configuration, svc.capacity_provider_strategy = [], [], None, None
        svc._last_completed = svc._scale_due = svc._drain_due = None
        svc._service_deployments, svc._revisions = [], {}
        svc.service_connect_configuration = svc.volume_configurations = svc.vpc_lattice_configurations = None
        _apply(svc, {**CREATE_DEFAULTS, **{camelcase_to_underscores(k): v for k, v in params.items()}})
        if svc.deployment_controller.get("type", "ECS") == "ECS" and svc.task_definition:
            _start_deployment(svc, svc.task_definition, t)
        _advance(svc)
        return result


def _update_service(self, props):
    with _lock:
        svc = self._get_service(props.get("cluster") or "default", props["service"].split("/")[-1])
        if not hasattr(svc, "_scale_due"):
            return _originals["update_service"](self, props)
        _advance(svc)
        if svc.status != "ACTIVE":
            raise ServiceNotActiveException()
        if props.get("network_configuration") is not None:  # refused before anything changes
            svc._validate_network(props["network_configuration"])
        before = _deployment_inputs(svc)
        if props.get("task_definition"):
            svc.task_definition = self.describe_task_definition(props["task_definition"]).arn
        _apply(svc, props)
        t = _clock()
        redeploy = props.get("force_new_deployment") or _deployment_inputs(svc) != before
        if props.get("desired_count") is not None:
            svc.desired_count = props["desired_count"]
        if redeploy and svc.deployment_controller.get("type", "ECS") == "ECS":
            _start_deployment(svc, svc.task_definition, t)
        elif props.get("desired_count") is not None and svc.deployments:
            _scale(svc, svc.desired_count, t)
        _advance(svc)
        return svc


def _delete_service(self, cluster_name, service_name, force):
    with _lock:
        svc = self._get_service(cluster_name, service_name)
        if not hasattr(svc, "_scale_due"):
            return _originals["delete_service"](self, cluster_name, service_name, force)
        _advance(svc)
        if svc.status != "ACTIVE":
            raise ServiceNotActiveException()
        if svc.desired_count > 0 and not force:
            raise InvalidParameterException("The service cannot be stopped while it is scaled above 0.")
        svc.status, svc.desired_count, svc._scale_due = "DRAINING", 0, None
        svc._drain_due = _clock() + rollout_seconds()
        for d in svc.deployments:
            d.update(desiredCount=0, pendingCount=0)
        _advance(svc)
        return svc


def _describe_services(self, *args, **kwargs):
    with _lock:
        services, failures = _originals["describe_services"](self, *args, **kwargs)
        for svc in services:
            _advance(svc)
        return services, failures


def _list_services(self, *args, **kwargs):
    with _lock:
        for svc in self.services.values():
            _advance(svc)
        inactive = {s.arn for s in self.services.values() if s.status == "INACTIVE"}
        return [arn for arn in _originals["list_services"](self, *args, **kwargs) if arn not in inactive]


def _describe_clusters(self, *args, **kwargs):
    with _lock:
        clusters, failures = _originals["describe_clusters"](self, *args, **kwargs)
        for cluster in clusters:
            services = [s for s in self.services.values() if s.cluster_name == cluster.name]
            for svc in services:
                _advance(svc)
            tasks = [t for t in self.tasks.get(cluster.name, {}).values() if t.desired_status == "RUNNING"]
            cluster.active_services_count = sum(s.status == "ACTIVE" for s in services)
            cluster.running_tasks_count = len(tasks) + sum(s.running_count for s in services)
            cluster.pending_tasks_count = sum(s.pending_count for s in services)
        return clusters, failures


def _step(name):
    """What happens when the PRIMARY deployment's `_due` time comes, by its `_step`."""
    return {"rollout": _finish_rollout, "stage": deployments.next_stage, "rolled_back": deployments.rolled_back,
            "requested_stop": deployments.requested_stop}[name]


def install():
    """Patches moto's ECS backend in this process (idempotent)."""
    if _originals:
        return
    backend, response = models.EC2ContainerServiceBackend, responses.EC2ContainerServiceResponse
    _originals.update(validate_network=models.Service._validate_network,
                      create_service_response=response.create_service,
                      update_service=backend.update_service, delete_service=backend.delete_service,
                      describe_services=backend.describe_services, list_services=backend.list_services,
                      describe_clusters=backend.describe_clusters)
    models.Service._validate_network = _validate_network
    response.create_service = _create_service_response
    backend.update_service = _update_service
    backend.delete_service = _delete_service
    backend.describe_services = _describe_services
    backend.list_services = _list_services
    backend.describe_clusters = _describe_clusters
