"""ecs-bridge's extension of moto 5.2.1's ECS capacity providers: created, described, updated and deleted like ECS.

install() patches moto.ecs in this process (the launcher calls it before the server starts). What changes vs moto:

CreateCapacityProvider (handler replaced): exactly one of autoScalingGroupProvider and managedInstancesProvider
  (ClientException otherwise).
  - autoScalingGroupProvider: the group (ARN or name) must exist in moto's Auto Scaling backend (same account and
    region) and be used by no other capacity provider (ClientException, as ECS); it is stored and reported as its
    ARN. moto's defaults (managed scaling DISABLED, target 100, steps 1 and 10000, warm-up 300, termination protection
    DISABLED) plus managedDraining ENABLED; type EC2_AUTOSCALING.
  - managedInstancesProvider: requires `cluster`, which must exist (ClusterNotFoundException); stored as given, with
    the cluster; type MANAGED_INSTANCES.
  - a name an ACTIVE provider has: ClientException "The specified capacity provider already exists. ..." (moto
    silently replaced it); an INACTIVE (deleted) one may be created again.
UpdateCapacityProvider (handler replaced): autoScalingGroupProvider merged as moto does, managedDraining too (moto
  ignored it); managedInstancesProvider's
  members replaced as given (instanceLaunchTemplate's members one by one); updateStatus UPDATE_COMPLETE. An unknown or
  INACTIVE provider: ClientException "The specified capacity provider does not exist. ...".
DeleteCapacityProvider (handler replaced), as ECS:
  - while a cluster lists the provider in its capacityProviders, nothing is deleted and the answer is the provider,
    still ACTIVE, with updateStatus DELETE_FAILED and updateStatusReason "The capacity provider cannot be deleted
    because it is associated with cluster: <name>[, <name>...]. Remove the capacity provider from the cluster and
    try again." (ECS's message names one cluster; here every cluster is named). moto deleted it anyway.
  - otherwise the answer is ACTIVE with DELETE_IN_PROGRESS, and DescribeCapacityProviders reports it INACTIVE with
    DELETE_COMPLETE from then on (ECS keeps deleted providers describable for a while).
  - an unknown provider: ClientException "The specified capacity provider does not exist. ..." (moto crashed).
DescribeCapacityProviders (handler replaced): no names = every provider (moto crashed); `cluster` filters Managed
  Instances providers to that cluster's; tags only with include TAGS (moto always sent them).
PutClusterCapacityProviders (backend method wrapped): removing a provider that an ACTIVE service of the cluster uses in
  its capacityProviderStrategy is refused with ResourceInUseException "The specified capacity provider is in use and
  cannot be removed." (moto let it through).

Where it still differs from ECS: no PROVISIONING / UPDATE_IN_PROGRESS phases (changes are complete at once), no
managed scaling or draining at all (no instances, no CloudWatch alarms), FARGATE and FARGATE_SPOT are not described,
a Managed Instances provider is not added to its cluster's capacityProviders by itself, nothing checks the roles.
"""
import copy

from moto.core.responses import ActionResult
from moto.ecs import models, responses
from moto.ecs.exceptions import ClusterNotFoundException, ECSException, EcsClientException

IN_USE_REASON = ("The capacity provider cannot be deleted because it is associated with cluster: {}. "
                 "Remove the capacity provider from the cluster and try again.")
_originals = {}


class ResourceInUseException(ECSException):
    def __init__(self):
        super().__init__("ResourceInUseException", "The specified capacity provider is in use and cannot be removed.")


def _not_found():
    return EcsClientException("The specified capacity provider does not exist. Specify a valid name or ARN and try "
                              "again.")


def _provider(backend, name_or_arn, cluster=None):
    """The provider of that name or ARN that is not INACTIVE, in the cluster when given (Managed Instances)."""
    provider = backend._get_provider(name_or_arn) if name_or_arn else None
    if provider is None or provider.status == "INACTIVE":
        return None
    if cluster is not None and getattr(provider, "cluster", None) not in (None, cluster.split("/")[-1]):
        return None
    return provider


def _asg(backend, arn_or_name):
    from moto.autoscaling.models import autoscaling_backends
    groups = autoscaling_backends[backend.account_id][backend.region_name].autoscaling_groups
    name = arn_or_name.split("autoScalingGroupName/")[-1] if arn_or_name.startswith("arn:") else arn_or_name
    group = groups.get(name)
    if group is None or (arn_or_name.startswith("arn:") and group.arn != arn_or_name):
        raise EcsClientException(f"The specified Auto Scaling group ARN or name could not be found: {arn_or_name}")
    return group.arn


def _create(self):
    backend = self.ecs_backend
    name = self._get_param("name")
    asg = self._get_param("autoScalingGroupProvider")
    managed = self._get_param("managedInstancesProvider")
    cluster = self._get_param("cluster")
    tags = self._get_param("tags")
    if (asg is None) == (managed is None):
        raise EcsClientException("Exactly one of autoScalingGroupProvider and managedInstancesProvider is required.")
    existing = backend.capacity_providers.get(name)
    if existing is not None and existing.status != "INACTIVE":
        raise EcsClientException("The specified capacity provider already exists. To change the configuration of an "
                                 "existing capacity provider, update the capacity provider.")
    if asg is not None:
        asg = dict(asg)
        asg["autoScalingGroupArn"] = _asg(backend, asg.get("autoScalingGroupArn", ""))
        for other in backend.capacity_providers.values():
            if other.status != "INACTIVE" and (other.auto_scaling_group_provider or {}).get(
                    "autoScalingGroupArn") == asg["autoScalingGroupArn"]:
                raise EcsClientException("The specified Auto Scaling group ARN is already being used by another "
                                         "capacity provider. Specify a unique Auto Scaling group ARN and try again.")
        asg.setdefault("managedDraining", "ENABLED")
        provider = models.CapacityProvider(backend.account_id, backend.region_name, name, asg, tags)
        provider.type = "EC2_AUTOSCALING"
    else:
        if not cluster:
            raise EcsClientException("A cluster is required to create a Managed Instances capacity provider.")
        cluster = backend._get_cluster(cluster).name
        provider = models.CapacityProvider(backend.account_id, backend.region_name, name, {}, tags)
        provider.auto_scaling_group_provider = None
        provider.managed_instances_provider = managed
        provider.cluster = cluster
        provider.type = "MANAGED_INSTANCES"
    provider.update_status_reason = None
    provider.tags = tags or []  # moto's untag_resource needs a list
    backend.capacity_providers[name] = provider
    return ActionResult({"capacityProvider": provider})


def _update(self):
    backend = self.ecs_backend
    provider = _provider(backend, self._get_param("name"), self._get_param("cluster"))
    if provider is None:
        raise _not_found()
    asg = self._get_param("autoScalingGroupProvider")
    managed = self._get_param("managedInstancesProvider")
    if asg is not None:
        if provider.auto_scaling_group_provider is None:
            raise EcsClientException("autoScalingGroupProvider cannot be set on a Managed Instances capacity provider.")
        provider.update(asg)
        if "managedDraining" in asg:  # moto's update left it out
            provider.auto_scaling_group_provider["managedDraining"] = asg["managedDraining"]
    if managed is not None:
        current = getattr(provider, "managed_instances_provider", None)
        if current is None:
            raise EcsClientException("managedInstancesProvider cannot be set on an Auto Scaling group capacity "
                                     "provider.")
        for key, value in managed.items():
            if key == "instanceLaunchTemplate":
                current.setdefault(key, {}).update(value)
            else:
                current[key] = value
        provider.update_status = "UPDATE_COMPLETE"
    provider.update_status_reason = None
    return ActionResult({"capacityProvider": provider})


def _clusters_using(backend, provider):
    return sorted(c.name for c in backend.clusters.values() if c.status != "INACTIVE" and any(
        p in (provider.name, provider.capacity_provider_arn) for p in (c.capacity_providers or [])))


def _delete(self):
    backend = self.ecs_backend
    provider = _provider(backend, self._get_param("capacityProvider"), self._get_param("cluster"))
    if provider is None:
        raise _not_found()
    clusters = _clusters_using(backend, provider)
    if clusters:
        provider.update_status = "DELETE_FAILED"
        provider.update_status_reason = IN_USE_REASON.format(", ".join(clusters))
        return ActionResult({"capacityProvider": provider})
    answer = copy.copy(provider)
    answer.update_status = "DELETE_IN_PROGRESS"
    answer.update_status_reason = None
    provider.status = "INACTIVE"
    provider.update_status = "DELETE_COMPLETE"
    provider.update_status_reason = None
    return ActionResult({"capacityProvider": answer})


class _Described:
    """A provider as described: its attributes, without tags unless asked for."""

    def __init__(self, provider, tags):
        self.__dict__.update(provider.__dict__)
        if not tags:
            self.tags = None


def _describe(self):
    backend = self.ecs_backend
    names = self._get_param("capacityProviders")
    cluster = self._get_param("cluster")
    tags = "TAGS" in (self._get_param("include") or [])
    providers, failures = [], []
    if not names:
        providers = list(backend.capacity_providers.values())
    else:
        for name in names:
            provider = backend._get_provider(name)
            if provider is None:
                failures.append(models.CapacityProviderFailure("MISSING", name, backend.account_id,
                                                               backend.region_name))
            else:
                providers.append(provider)
    if cluster:
        providers = [p for p in providers if getattr(p, "cluster", None) in (None, cluster.split("/")[-1])]
    return ActionResult({"capacityProviders": [_Described(p, tags) for p in providers], "failures": failures})


def _put_cluster_capacity_providers(self, cluster_name, capacity_providers, default_capacity_provider_strategy):
    cluster = self._get_cluster(cluster_name)
    if capacity_providers is not None:
        removed = set(cluster.capacity_providers or []) - set(capacity_providers)
        for service in self.services.values():
            if service.cluster_name == cluster.name and service.status == "ACTIVE" and any(
                    item.get("capacityProvider") in removed for item in service.capacity_provider_strategy or []):
                raise ResourceInUseException()
    return _originals["put_cluster_capacity_providers"](self, cluster_name, capacity_providers,
                                                        default_capacity_provider_strategy)


def install():
    """Patches moto's ECS capacity providers in this process (idempotent)."""
    if _originals:
        return
    handler = responses.EC2ContainerServiceResponse
    backend = models.EC2ContainerServiceBackend
    _originals.update(create=handler.create_capacity_provider, update=handler.update_capacity_provider,
                      delete=handler.delete_capacity_provider, describe=handler.describe_capacity_providers,
                      put_cluster_capacity_providers=backend.put_cluster_capacity_providers)
    handler.create_capacity_provider = _create
    handler.update_capacity_provider = _update
    handler.delete_capacity_provider = _delete
    handler.describe_capacity_providers = _describe
    backend.put_cluster_capacity_providers = _put_cluster_capacity_providers
    models.CapacityProvider.cluster = None
    models.CapacityProvider.type = None
    models.CapacityProvider.managed_instances_provider = None
    models.CapacityProvider.update_status_reason = None
