"""ecs-bridge's extension of moto 5.2.1's ECS: an ARN of another account or region names nothing in this one.

moto finds a cluster, service or task definition by the last part of the ARN it is given, so a call made in account
111111111111 with an ARN of 222222222222 (or of another region) silently acted on 111111111111's resource of the same
name. ECS has no cross-account access to these resources: here, as in ECS, such an ARN is not found.

install() patches moto.ecs in this process (the launcher calls it after ecsbridge_ecs / ecsbridge_capacity). With an
ARN (arn:<partition>:ecs:<region>:<account>:...) whose region or account is not the caller's:
  - a cluster: ClusterNotFoundException (every call that resolves a cluster: ListServices, DescribeServices,
    UpdateService, DeleteService, DeleteCluster, PutClusterCapacityProviders, tags, ...); DescribeClusters reports
    it as a failure {arn, reason MISSING} and still describes the others;
  - a service: ServiceNotFoundException (UpdateService, DeleteService, tags); DescribeServices reports it as a failure
    {arn, reason MISSING};
  - a task definition: ClientException "Unable to describe task definition." (DescribeTaskDefinition,
    DeregisterTaskDefinition, tags, and CreateService/UpdateService given it);
  - any other ECS resource ARN given to the tagging calls: ResourceNotFoundException.
Names (not ARNs) are the caller's own, as in ECS.
"""
from moto.ecs import models
from moto.ecs.exceptions import (ClusterNotFoundException, ECSException, ServiceNotFoundException,
                                 TaskDefinitionNotFoundException)

_originals = {}


def foreign(backend, name_or_arn):
    """True for an ARN of another region or account than the backend's."""
    if not isinstance(name_or_arn, str) or not name_or_arn.startswith("arn:"):
        return False
    parts = name_or_arn.split(":")
    return len(parts) > 5 and (parts[3] != backend.region_name or parts[4] != backend.account_id)


def _get_cluster(self, name):
    if foreign(self, name):
        raise ClusterNotFoundException()
    return _originals["get_cluster"](self, name)


def _describe_clusters(self, cluster_names=None, *args, **kwargs):
    theirs = [n for n in cluster_names or [] if foreign(self, n)]
    if not theirs:
        return _originals["describe_clusters"](self, cluster_names, *args, **kwargs)
    mine = [n for n in cluster_names if not foreign(self, n)]
    clusters, failures = _originals["describe_clusters"](self, mine, *args, **kwargs) if mine else ([], [])
    for arn in theirs:
        failure = models.ClusterFailure("MISSING", "", self.account_id, self.region_name)
        failure.arn = arn
        failures.append(failure)
    return clusters, failures


def _get_service(self, cluster_str, service_str):
    self._get_cluster(cluster_str)
    if foreign(self, service_str):
        raise ServiceNotFoundException()
    return _originals["get_service"](self, cluster_str, service_str)


def _update_service(self, props, *args, **kwargs):
    _get_service(self, props.get("cluster") or "default", props.get("service") or "")
    return _originals["update_service"](self, props, *args, **kwargs)


def _delete_service(self, cluster_name, service_name, *args, **kwargs):
    _get_service(self, cluster_name, service_name)
    return _originals["delete_service"](self, cluster_name, service_name, *args, **kwargs)


def _describe_services(self, cluster_str, service_names_or_arns, *args, **kwargs):
    self._get_cluster(cluster_str)
    theirs = [n for n in service_names_or_arns or [] if foreign(self, n)]
    mine = [n for n in service_names_or_arns or [] if not foreign(self, n)]
    services, failures = _originals["describe_services"](self, cluster_str, mine, *args, **kwargs)
    return services, list(failures) + [{"arn": arn, "reason": "MISSING"} for arn in theirs]


def _task_definition(name):
    def patched(self, task_definition_str, *args, **kwargs):
        if foreign(self, task_definition_str):
            raise TaskDefinitionNotFoundException()
        return _originals[name](self, task_definition_str, *args, **kwargs)
    return patched


NOT_FOUND = {"cluster": ClusterNotFoundException, "service": ServiceNotFoundException,
             "task-definition": TaskDefinitionNotFoundException}


def _get_resource(self, resource_arn, parsed_arn):
    if foreign(self, resource_arn):
        kind = parsed_arn.get("service")
        if kind in NOT_FOUND:
            raise NOT_FOUND[kind]()
        raise ECSException("ResourceNotFoundException", "The specified resource could not be found.")
    return _originals["get_resource"](self, resource_arn, parsed_arn)


PATCHES = {"get_cluster": ("_get_cluster", _get_cluster),
           "describe_clusters": ("describe_clusters", _describe_clusters),
           "get_service": ("_get_service", _get_service),
           "describe_services": ("describe_services", _describe_services),
           "update_service": ("update_service", _update_service),
           "delete_service": ("delete_service", _delete_service),
           "describe_task_definition": ("describe_task_definition", _task_definition("describe_task_definition")),
           "deregister_task_definition": ("deregister_task_definition",
                                          _task_definition("deregister_task_definition")),
           "get_resource": ("_get_resource", _get_resource)}


def install():
    """Patches moto's ECS backend in this process (idempotent); wraps what ecsbridge_ecs installed."""
    if _originals:
        return
    backend = models.EC2ContainerServiceBackend
    for key, (attribute, patched) in PATCHES.items():
        _originals[key] = getattr(backend, attribute)
        setattr(backend, attribute, patched)
