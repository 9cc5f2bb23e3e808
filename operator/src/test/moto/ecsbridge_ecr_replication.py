"""ecs-bridge's extension of moto 5.2.1's ECR: replication that happens, ECR's tag mutability exclusions, create on push
and pull through on demand.

install() patches moto.ecr in this process (the launcher calls it after ecsbridge_ecr_registry.install()).

PutReplicationConfiguration (moto refused more than one rule: "This feature is disabled")
  - at most 10 rules -> ValidationException; at most 25 distinct destinations over all rules, a destination equal to
    this region and registry, a rule without destinations, a repository filter whose filterType is not PREFIX_MATCH
    or whose filter does not match ECR's pattern -> InvalidParameterException. Stored and described (DescribeRegistry)
    as sent.
PutRegistryScanningConfiguration (moto stored anything): scanType BASIC / ENHANCED, at most 2 rules, each filter
  WILDCARD with ECR's pattern -> ValidationException; a scanFrequency the scan type does not support (BASIC:
  SCAN_ON_PUSH; ENHANCED: SCAN_ON_PUSH, CONTINUOUS_SCAN, as ECR documents) -> InvalidParameterException; rules not
  sent are stored as [] (moto stored null).
PutImage
  - to a repository that does not exist: created first when a creation template with appliedFor CREATE_ON_PUSH matches
    its name (that template's settings, see ecsbridge_ecr_registry.create_repository_from_template), else
    RepositoryNotFoundException (moto answered 500).
  - tag mutability as ECR: a tag is immutable in an IMMUTABLE repository, in an IMMUTABLE_WITH_EXCLUSION one unless it
    matches one of imageTagMutabilityExclusionFilters, in a MUTABLE_WITH_EXCLUSION one when it matches one of them
    (filters are wildcards: "*" any characters, the whole tag must match; moto matched them as regular expressions
    from the start, so "v*" matched every tag). Pushing an immutable tag that another manifest carries ->
    ImageTagAlreadyExistsException (moto: ImageAlreadyExistsException); pushing a manifest again with a tag it
    carries -> ImageAlreadyExistsException (unchanged).
  - replication: once the image is stored, for each replication rule whose repositoryFilters match the repository
    (PREFIX_MATCH: the name starts with the filter; no filters: every repository) each destination (region,
    registryId) receives the image with the same tag: the destination repository is created if missing (with the
    destination registry's creation template whose appliedFor has REPLICATION; none: ECR's defaults), then the image is
    put there (the same manifest, so the same digest). A destination in another account needs that account's
    registry policy (same region as the destination) to allow ecr:ReplicateImage (or ecr:*) to the source account
    (a Principal naming the account id or its root ARN, or "*"); otherwise that destination is FAILED with
    failureCode "ReplicationFailed: registry policy of <registryId> does not allow ecr:ReplicateImage". An
    immutable tag already on another manifest at the destination is FAILED too (failureCode "ImageTagAlreadyExists").
    Replicated images are not replicated again from their destination.
DescribeImageReplicationStatus repositoryName, imageId, registryId: RepositoryNotFoundException /
  ImageNotFoundException as DescribeImages; replicationStatuses [{region, registryId, status (COMPLETE or FAILED),
  failureCode}] for each destination the image was replicated to (empty when none).
PutImageTagMutability: refuses imageTagMutabilityExclusionFilters with MUTABLE/IMMUTABLE and their absence with the
  *_WITH_EXCLUSION modes (InvalidParameterException, as CreateRepository; moto turned MUTABLE + filters into
  MUTABLE_WITH_EXCLUSION); the reply also reports imageTagMutabilityExclusionFilters.
BatchGetImage on a repository that does not exist whose name starts with a pull-through cache rule's prefix + "/":
  the repository is created (creation template with appliedFor PULL_THROUGH_CACHE, else ECR's defaults) and each
  image asked for by tag is "pulled": a small synthetic OCI manifest (its annotations name the upstream registry URL,
  repository and tag; nothing is fetched) is put with that tag; images asked for by digest fail (ImageNotFound).

All state lives on moto's ECR backend and Image objects, so /moto-api/reset clears it.
"""
import json
import re
import threading

from moto.core.responses import ActionResult
from moto.ecr import models, responses
from moto.ecr.exceptions import ImageAlreadyExistsException, RepositoryNotFoundException

import ecsbridge_ecr_registry as registry

_lock = threading.RLock()
_local = threading.local()
_originals = {}

FILTER_VALUE = re.compile(r"^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$")
MAX_RULES = 10
MAX_DESTINATIONS = 25


def _invalid(constraint):
    return registry.error("InvalidParameterException", f"Invalid parameter at 'replicationConfiguration' failed to "
                                                       f"satisfy constraint: '{constraint}'")


# ---------------------------------------------------------------- replication configuration

def _put_replication_configuration(self, replication_config):
    rules = replication_config.get("rules") or []
    if len(rules) > MAX_RULES:
        raise registry.error("ValidationException", f"1 validation error detected: Value at "
                                                    f"'replicationConfiguration.rules' failed to satisfy constraint: "
                                                    f"Member must have length less than or equal to {MAX_RULES}")
    destinations = set()
    for rule in rules:
        if not rule.get("destinations"):
            raise _invalid("A replication rule must have at least one destination")
        for dest in rule["destinations"]:
            if dest.get("region") == self.region_name and dest.get("registryId") == self.account_id:
                raise _invalid("Replication destination cannot be the same as the source registry")
            destinations.add((dest.get("region"), dest.get("registryId")))
        for repo_filter in rule.get("repositoryFilters") or []:
            if repo_filter.get("filterType") != "PREFIX_MATCH":
                raise _invalid(f"Invalid repository filter type: {repo_filter.get('filterType')}")
            if not FILTER_VALUE.match(repo_filter.get("filter") or ""):
                raise _invalid(f"Invalid repository filter: {repo_filter.get('filter')}")
    if len(destinations) > MAX_DESTINATIONS:
        raise _invalid(f"A replication configuration can have at most {MAX_DESTINATIONS} unique destinations")
    self.replication_config = replication_config
    return {"replicationConfiguration": replication_config}


SCAN_FREQUENCIES = {"BASIC": ("SCAN_ON_PUSH",), "ENHANCED": ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")}
SCAN_FILTER = re.compile(r"^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$")


def _put_registry_scanning_configuration(self, scan_type, rules):
    def invalid(value, member, constraint):
        return registry.error("ValidationException", f"1 validation error detected: Value '{value}' at '{member}' "
                                                     f"failed to satisfy constraint: {constraint}")
    if scan_type not in SCAN_FREQUENCIES:
        raise invalid(scan_type, "scanType", "Member must satisfy enum value set: [BASIC, ENHANCED]")
    rules = rules or []
    if len(rules) > 2:
        raise invalid(rules, "rules", "Member must have length less than or equal to 2")
    for rule in rules:
        if rule.get("scanFrequency") not in SCAN_FREQUENCIES[scan_type]:
            raise registry.error("InvalidParameterException",
                                 f"Invalid parameter at 'rules' failed to satisfy constraint: 'scanFrequency "
                                 f"{rule.get('scanFrequency')} is not supported for scanType {scan_type}'")
        for repo_filter in rule.get("repositoryFilters") or []:
            if repo_filter.get("filterType") != "WILDCARD":
                raise invalid(repo_filter.get("filterType"), "rules.repositoryFilters.filterType",
                              "Member must satisfy enum value set: [WILDCARD]")
            if not SCAN_FILTER.match(repo_filter.get("filter") or ""):
                raise invalid(repo_filter.get("filter"), "rules.repositoryFilters.filter",
                              f"Member must satisfy regular expression pattern: {SCAN_FILTER.pattern}")
    return _originals["put_registry_scanning_configuration"](self, scan_type, rules)


def _rule_matches(rule, repository_name):
    filters = rule.get("repositoryFilters") or []
    return not filters or any(repository_name.startswith(f["filter"]) for f in filters)


def _allows_replication(policy_text, source_account):
    try:
        statements = json.loads(policy_text or "{}").get("Statement") or []
    except ValueError:
        return False
    if isinstance(statements, dict):
        statements = [statements]
    for statement in statements:
        actions = statement.get("Action") or []
        actions = [actions] if isinstance(actions, str) else actions
        if statement.get("Effect") != "Allow" or not {"ecr:ReplicateImage", "ecr:*", "*"} & set(actions):
            continue
        principal = statement.get("Principal")
        principals = principal if isinstance(principal, str) else (principal or {}).get("AWS", [])
        principals = [principals] if isinstance(principals, str) else principals
        if any(p in ("*", source_account, f"arn:aws:iam::{source_account}:root") for p in principals):
            return True
    return False


def _replicate(source, repository, image, tag):
    statuses = getattr(image, "_ecsbridge_replication", None)
    if statuses is None:
        statuses = image._ecsbridge_replication = {}
    for rule in source.replication_config.get("rules") or []:
        if not _rule_matches(rule, repository.name):
            continue
        for dest in rule["destinations"]:
            key = (dest["region"], dest["registryId"])
            statuses[key] = _replicate_to(source, repository, image, tag, *key)


def _replicate_to(source, repository, image, tag, region, registry_id):
    try:
        destination = models.ecr_backends[registry_id][region]
    except KeyError:
        return "FAILED", f"ReplicationFailed: unknown region {region}"
    if registry_id != source.account_id and not _allows_replication(destination.registry_policy, source.account_id):
        return "FAILED", f"ReplicationFailed: registry policy of {registry_id} does not allow ecr:ReplicateImage"
    _local.replicating = True
    try:
        if repository.name not in destination.repositories:
            registry.create_repository_from_template(destination, repository.name, "REPLICATION")
        destination.put_image(repository.name, image.image_manifest, tag, image.image_manifest_media_type)
    except ImageAlreadyExistsException:
        pass  # already there (a tag pushed again on the same manifest)
    except registry.EcrError as e:
        if e.code != "ImageTagAlreadyExistsException":
            raise
        return "FAILED", "ImageTagAlreadyExists"
    finally:
        _local.replicating = False
    return "COMPLETE", None


def describe_image_replication_status(self):
    backend = self.ecr_backend
    repository = backend._get_repository(self._get_param("repositoryName"), self._get_param("registryId"))
    image_id = self._get_param("imageId") or {}
    image = repository._get_image(image_id.get("imageTag"), image_id.get("imageDigest"))
    statuses = []
    for (region, registry_id), (status, failure) in sorted((getattr(image, "_ecsbridge_replication", None)
                                                            or {}).items()):
        entry = {"region": region, "registryId": registry_id, "status": status}
        if failure:
            entry["failureCode"] = failure
        statuses.append(entry)
    return ActionResult({"repositoryName": repository.name,
                                   "imageId": {"imageDigest": image.get_image_digest(),
                                               **({"imageTag": image_id["imageTag"]} if image_id.get("imageTag")
                                                  else {})},
                                   "replicationStatuses": statuses})


# ---------------------------------------------------------------- tag mutability

def _wildcard(pattern, tag):
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), tag) is not None


def tag_is_immutable(repository, tag):
    mode = repository.image_tag_mutability
    filters = repository.image_tag_mutability_exclusion_filters or []
    excluded = any(_wildcard(f["filter"], tag) for f in filters)
    return (mode == "IMMUTABLE" or (mode == "IMMUTABLE_WITH_EXCLUSION" and not excluded)
            or (mode == "MUTABLE_WITH_EXCLUSION" and excluded))


def _resolve_image_tag_mutability(self, repository, proposed_image_tag):
    """moto's hook, checked by _put_image instead: only the images carrying the tag."""
    return [image for image in repository.images if proposed_image_tag in image.image_tags]


def _put_image_tag_mutability(self, registry_id, repository_name, image_tag_mutability,
                              image_tag_mutability_exclusion_filters=None):
    self.validate_image_tag_mutability_params_compatibility(image_tag_mutability,
                                                            image_tag_mutability_exclusion_filters)
    answer = _originals["put_image_tag_mutability"](self, registry_id, repository_name, image_tag_mutability,
                                                    image_tag_mutability_exclusion_filters)
    if image_tag_mutability_exclusion_filters:
        answer["imageTagMutabilityExclusionFilters"] = image_tag_mutability_exclusion_filters
    return answer


# ---------------------------------------------------------------- PutImage, BatchGetImage

def _put_image(self, repository_name, image_manifest, image_tag, image_manifest_mediatype=None, digest=None):
    with _lock:
        repository = self.repositories.get(repository_name)
        if repository is None:
            if registry.template_for(self, repository_name, "CREATE_ON_PUSH") is None:
                raise RepositoryNotFoundException(repository_name, self.account_id)
            repository = registry.create_repository_from_template(self, repository_name, "CREATE_ON_PUSH")
        if image_tag and tag_is_immutable(repository, image_tag):
            for image in repository.images:
                if image_tag in image.image_tags and image.image_manifest != image_manifest:
                    raise registry.error("ImageTagAlreadyExistsException",
                                         f"The image tag '{image_tag}' already exists in the '{repository_name}' "
                                         f"repository and cannot be overwritten because the tag is immutable.")
        image = _originals["put_image"](self, repository_name, image_manifest, image_tag, image_manifest_mediatype,
                                        digest)
        if not getattr(_local, "replicating", False):
            _replicate(self, repository, image, image_tag)
        return image


def _synthetic_manifest(rule, repository_name, tag):
    upstream = repository_name[len(registry._norm(rule["ecrRepositoryPrefix"])) + 1:]
    return json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 2,
                                  "digest": "sha256:" + "0" * 64},
                       "layers": [],
                       "annotations": {"ecsbridge.io/moto-upstream": f"{rule['upstreamRegistryUrl']}/{upstream}:{tag}"}})


def _batch_get_image(self, repository_name, registry_id=None, image_ids=None, *args, **kwargs):
    with _lock:
        if repository_name not in self.repositories and (registry_id in (None, self.account_id)):
            rule = registry.rule_for(self, repository_name)
            if rule is not None:
                registry.create_repository_from_template(self, repository_name, "PULL_THROUGH_CACHE")
                for image_id in image_ids or []:
                    if image_id.get("imageTag") and "imageDigest" not in image_id:
                        _put_image(self, repository_name, _synthetic_manifest(rule, repository_name,
                                                                              image_id["imageTag"]),
                                   image_id["imageTag"])
        return _originals["batch_get_image"](self, repository_name, registry_id, image_ids, *args, **kwargs)


def install():
    """Patches moto's ECR (idempotent); ecsbridge_ecr.install() and ecsbridge_ecr_registry.install() run first."""
    if _originals:
        return
    backend = models.ECRBackend
    _originals.update(put_image=backend.put_image, batch_get_image=backend.batch_get_image,
                      put_image_tag_mutability=backend.put_image_tag_mutability,
                      put_registry_scanning_configuration=backend.put_registry_scanning_configuration)
    backend.put_registry_scanning_configuration = _put_registry_scanning_configuration
    backend.put_replication_configuration = _put_replication_configuration
    backend._resolve_image_tag_mutability = _resolve_image_tag_mutability
    backend.put_image_tag_mutability = _put_image_tag_mutability
    backend.put_image = _put_image
    backend.batch_get_image = _batch_get_image
    responses.ECRResponse.describe_image_replication_status = describe_image_replication_status
