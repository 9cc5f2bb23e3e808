"""ecs-bridge's extension of moto 5.2.1's ECR: pull-through cache rules, repository creation templates and ECR's
registry policy actions (moto 5.2.1 has no pull-through cache rules nor templates).

install() adds these operations to moto's ECR in this process (the launcher calls it after ecsbridge_ecr.install()).
Member names, shapes and error codes are ECR's (AWS SDK for Java 2.39.6 / botocore's ecr service-2.json).

Pull-through cache rules (one per normalised ecrRepositoryPrefix: "ecr-public" and "ecr-public/" are the same rule)
  CreatePullThroughCacheRule ecrRepositoryPrefix, upstreamRegistryUrl (required), upstreamRegistry, credentialArn,
    customRoleArn, upstreamRepositoryPrefix, registryId. Checks, in this order:
    - ecrRepositoryPrefix: 2..30 characters, ECR's pattern (ROOT allowed only for an ecr upstream) -> ValidationException
    - upstreamRegistry absent: inferred from upstreamRegistryUrl (ECR's documented URL per registry); a URL that is no
      known registry -> UnsupportedUpstreamRegistryException; upstreamRegistry given and the URL not its URL ->
      InvalidParameterException
    - credentialArn required for docker-hub, github-container-registry, azure-container-registry,
      gitlab-container-registry; refused for ecr, ecr-public, k8s; optional for quay and chainguard
      -> InvalidParameterException
    - customRoleArn required for ecr and refused for every other upstream -> InvalidParameterException
    - credentialArn: ECR's pattern (a Secrets Manager ARN, name starting "ecr-pullthroughcache/") ->
      ValidationException; the secret must exist (not deleted) in moto's Secrets Manager of the ARN's account and
      region -> SecretNotFoundException
    - the prefix already has a rule -> PullThroughCacheRuleAlreadyExistsException
    Reply: the rule's members with createdAt (no tags: ECR's rules take none).
  DescribePullThroughCacheRules registryId, ecrRepositoryPrefixes (an unknown one ->
    PullThroughCacheRuleNotFoundException), maxResults (1..1000, default 100) / nextToken; sorted by prefix;
    each rule: ecrRepositoryPrefix, upstreamRegistryUrl, createdAt, updatedAt, registryId, credentialArn,
    customRoleArn, upstreamRepositoryPrefix, upstreamRegistry (members not set are left out).
  UpdatePullThroughCacheRule ecrRepositoryPrefix, credentialArn, customRoleArn (the SDK's members): each one sent
    replaces the stored one after the same checks as Create; one not sent is kept; updatedAt moves.
  DeletePullThroughCacheRule: the deleted rule (without updatedAt, upstreamRegistry: ECR's reply shape).
  ValidatePullThroughCacheRule: isValid true, or false with failure "The credential secret <arn> was not found." when
    the secret has been deleted since.
  Unknown prefix on Update/Delete/Validate -> PullThroughCacheRuleNotFoundException.
  registryId naming another account (every rule is the caller's registry's): Describe lists nothing (with
    ecrRepositoryPrefixes, Update, Delete, Validate: PullThroughCacheRuleNotFoundException naming that registry);
    Create -> InvalidParameterException.

Repository creation templates (one per prefix; "ROOT" = every repository no other template's prefix matches)
  CreateRepositoryCreationTemplate prefix, appliedFor (required, REPLICATION / PULL_THROUGH_CACHE / CREATE_ON_PUSH),
    description, encryptionConfiguration, resourceTags, imageTagMutability (+ imageTagMutabilityExclusionFilters,
    with the same rules as CreateRepository), repositoryPolicy (JSON with a Statement, else
    InvalidParameterException), lifecyclePolicy (moto's lifecycle policy validation, InvalidParameterException),
    customRoleArn. Prefix pattern/length, enum values -> ValidationException; the prefix exists ->
    TemplateAlreadyExistsException.
    Reply: registryId + repositoryCreationTemplate (imageTagMutability MUTABLE and encryptionConfiguration
    {encryptionType: AES256} when not sent; createdAt, updatedAt).
  DescribeRepositoryCreationTemplates prefixes (unknown ones are left out, no error: ECR lists no
    TemplateNotFoundException for it), maxResults (default 100) / nextToken; sorted by prefix.
  UpdateRepositoryCreationTemplate: each member sent replaces the stored one (resourceTags [] clears the tags, "" clears
    description, repositoryPolicy, lifecyclePolicy, customRoleArn); members not sent are kept; updatedAt moves.
  DeleteRepositoryCreationTemplate: registryId + the deleted template. Unknown prefix -> TemplateNotFoundException.
  template_for(backend, repository_name, applied_for) gives the template ECR applies (longest matching prefix, then
    ROOT); apply_template(backend, repository, template) sets a new repository's settings from it (used by
    ecsbridge_ecr_replication.py).

Registry policy: PutRegistryPolicy also accepts ecr:BatchImportUpstreamImage (ECR's registry permission for pull through
  cache; moto allowed only ecr:CreateRepository and ecr:ReplicateImage). Get/Delete without a policy ->
  RegistryPolicyNotFoundException (moto already did).

All state lives on moto's ECR backend objects, so /moto-api/reset clears it.
"""
import json
import re
import threading
from datetime import datetime, timezone

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from moto.ecr import models, responses
from moto.ecr.policy_validation import EcrLifecyclePolicyValidator

_lock = threading.RLock()
_originals = {}

PTC_PREFIX = re.compile(r"^((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*/?|ROOT)$")
TEMPLATE_PREFIX = re.compile(r"^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*/?|ROOT)$")
CREDENTIAL_ARN = re.compile(r"^arn:aws(-\w+)*:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\-pullthroughcache/"
                            r"[a-zA-Z0-9/_+=.@-]+$")
UPSTREAM_URLS = {
    "ecr": re.compile(r"^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$"),
    "ecr-public": re.compile(r"^public\.ecr\.aws$"),
    "docker-hub": re.compile(r"^registry-1\.docker\.io$"),
    "github-container-registry": re.compile(r"^ghcr\.io$"),
    "gitlab-container-registry": re.compile(r"^registry\.gitlab\.com$"),
    "k8s": re.compile(r"^registry\.k8s\.io$"),
    "azure-container-registry": re.compile(r"^[a-z0-9-]+\.azurecr\.io$"),
    "quay": re.compile(r"^quay\.io$"),
    "chainguard": re.compile(r"^cgr\.dev$"),
}
CREDENTIAL_REQUIRED = {"docker-hub", "github-container-registry", "azure-container-registry",
                       "gitlab-container-registry"}
CREDENTIAL_REFUSED = {"ecr", "ecr-public", "k8s"}
APPLIED_FOR = ("REPLICATION", "PULL_THROUGH_CACHE", "CREATE_ON_PUSH")
MUTABILITY = ("MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION")
REGISTRY_POLICY_ACTIONS = {"ecr:CreateRepository", "ecr:ReplicateImage", "ecr:BatchImportUpstreamImage"}


class EcrError(ServiceException):
    """An ECR error; defined outside moto's packages so that moto serialises it with the ECR model of the request."""


def error(code, message):
    return EcrError(code, message)


def _validation(value, member, constraint):
    return error("ValidationException", f"1 validation error detected: Value '{value}' at '{member}' failed to "
                                        f"satisfy constraint: {constraint}")


def _now():
    return datetime.now(timezone.utc)


def _state(backend):
    """This backend's rules and templates (created on first use; moto's reset re-initialises the backend)."""
    state = getattr(backend, "_ecsbridge_registry", None)
    if state is None:
        state = backend._ecsbridge_registry = {"rules": {}, "templates": {}}
    return state


def _norm(prefix):
    return prefix[:-1] if prefix.endswith("/") else prefix


def _page(items, max_results, next_token, key):
    max_results = 100 if max_results is None else int(max_results)
    if not 1 <= max_results <= 1000:
        raise _validation(max_results, "maxResults", "Member must have value between 1 and 1000")
    try:
        start = int(next_token or 0)
    except ValueError:
        raise error("InvalidParameterException", "Invalid parameter at 'nextToken' failed to satisfy constraint: "
                                                 "'Invalid pagination token'")
    page = items[start:start + max_results]
    answer = {key: page}
    if start + max_results < len(items):
        answer["nextToken"] = str(start + max_results)
    return answer


# ---------------------------------------------------------------- pull-through cache rules

def _check_ptc_prefix(prefix, member="ecrRepositoryPrefix"):
    if not 2 <= len(prefix) <= 30:
        raise _validation(prefix, member, "Member must have length between 2 and 30")
    if not PTC_PREFIX.match(prefix):
        raise _validation(prefix, member, f"Member must satisfy regular expression pattern: {PTC_PREFIX.pattern}")


def _check_credential(arn):
    """A Secrets Manager secret of moto's, named ecr-pullthroughcache/..."""
    if not CREDENTIAL_ARN.match(arn) or not 50 <= len(arn) <= 612:
        raise _validation(arn, "credentialArn", f"Member must satisfy regular expression pattern: "
                                                f"{CREDENTIAL_ARN.pattern}")
    if not _secret_exists(arn):
        raise error("SecretNotFoundException", f"The specified secret '{arn}' was not found.")


def _secret_exists(arn):
    from moto.secretsmanager.models import secretsmanager_backends
    parts = arn.split(":")
    region, account = parts[3], parts[4]
    try:
        secret = secretsmanager_backends[account][region].secrets.get(arn)
    except KeyError:
        return False
    return secret is not None and not getattr(secret, "deleted_date", None)


def _check_role_and_credential(upstream, credential_arn, custom_role_arn):
    if upstream in CREDENTIAL_REQUIRED and not credential_arn:
        raise error("InvalidParameterException", f"Invalid parameter at 'credentialArn' failed to satisfy constraint: "
                                                 f"'A credential ARN is required for upstream registry {upstream}'")
    if upstream in CREDENTIAL_REFUSED and credential_arn:
        raise error("InvalidParameterException", f"Invalid parameter at 'credentialArn' failed to satisfy constraint: "
                                                 f"'Upstream registry {upstream} does not support credentials'")
    if upstream == "ecr" and not custom_role_arn:
        raise error("InvalidParameterException", "Invalid parameter at 'customRoleArn' failed to satisfy constraint: "
                                                 "'A custom role ARN is required for upstream registry ecr'")
    if upstream != "ecr" and custom_role_arn:
        raise error("InvalidParameterException", f"Invalid parameter at 'customRoleArn' failed to satisfy constraint: "
                                                 f"'Upstream registry {upstream} does not support a custom role'")
    if credential_arn:
        _check_credential(credential_arn)


def _upstream(url, upstream):
    if upstream is not None:
        if upstream not in UPSTREAM_URLS:
            raise _validation(upstream, "upstreamRegistry",
                              f"Member must satisfy enum value set: [{', '.join(UPSTREAM_URLS)}]")
        if not UPSTREAM_URLS[upstream].match(url or ""):
            raise error("InvalidParameterException", f"Invalid parameter at 'upstreamRegistryUrl' failed to satisfy "
                                                     f"constraint: '{url} is not a URL of upstream registry {upstream}'")
        return upstream
    for name, pattern in UPSTREAM_URLS.items():
        if pattern.match(url or ""):
            return name
    raise error("UnsupportedUpstreamRegistryException", f"The upstream registry {url} is not supported.")


def _theirs(backend, registry_id):
    """True when registry_id names another account's registry (nothing of which is reachable from this one)."""
    return registry_id not in (None, "", backend.account_id)


def _rule(backend, prefix, registry_id=None):
    rule = None if _theirs(backend, registry_id) else _state(backend)["rules"].get(_norm(prefix or ""))
    if rule is None:
        raise error("PullThroughCacheRuleNotFoundException",
                    f"The pull through cache rule with prefix '{prefix}' does not exist in the registry with id "
                    f"'{registry_id or backend.account_id}'")
    return rule


def _rule_view(rule, *members):
    return {k: v for k, v in rule.items() if v is not None and (not members or k in members)}


def create_pull_through_cache_rule(self):
    backend = self.ecr_backend
    prefix = self._get_param("ecrRepositoryPrefix") or ""
    url = self._get_param("upstreamRegistryUrl")
    credential_arn = self._get_param("credentialArn")
    custom_role_arn = self._get_param("customRoleArn")
    upstream_prefix = self._get_param("upstreamRepositoryPrefix")
    _check_ptc_prefix(prefix)
    if upstream_prefix is not None:
        _check_ptc_prefix(upstream_prefix, "upstreamRepositoryPrefix")
    upstream = _upstream(url, self._get_param("upstreamRegistry"))
    if prefix == "ROOT" and upstream != "ecr":
        raise error("InvalidParameterException", "Invalid parameter at 'ecrRepositoryPrefix' failed to satisfy "
                                                 "constraint: 'ROOT is only supported for upstream registry ecr'")
    _check_role_and_credential(upstream, credential_arn, custom_role_arn)
    if _theirs(backend, self._get_param("registryId")):
        raise error("InvalidParameterException", f"Invalid parameter at 'registryId' failed to satisfy constraint: "
                                                 f"'The registry id must be the caller's account id "
                                                 f"{backend.account_id}'")
    with _lock:
        rules = _state(backend)["rules"]
        if _norm(prefix) in rules:
            raise error("PullThroughCacheRuleAlreadyExistsException",
                        f"A pull through cache rule with prefix '{prefix}' already exists in the registry with id "
                        f"'{backend.account_id}'")
        now = _now()
        rule = {"ecrRepositoryPrefix": prefix, "upstreamRegistryUrl": url, "createdAt": now, "updatedAt": now,
                "registryId": backend.account_id, "credentialArn": credential_arn, "customRoleArn": custom_role_arn,
                "upstreamRepositoryPrefix": upstream_prefix, "upstreamRegistry": upstream}
        rules[_norm(prefix)] = rule
        return ActionResult(_rule_view(rule, "ecrRepositoryPrefix", "upstreamRegistryUrl", "createdAt", "registryId",
                                       "upstreamRegistry", "credentialArn", "customRoleArn",
                                       "upstreamRepositoryPrefix"))


def describe_pull_through_cache_rules(self):
    backend = self.ecr_backend
    prefixes = self._get_param("ecrRepositoryPrefixes")
    with _lock:
        if prefixes:
            found = [_rule(backend, p, self._get_param("registryId")) for p in prefixes]
        elif _theirs(backend, self._get_param("registryId")):
            found = []
        else:
            found = [rule for _, rule in sorted(_state(backend)["rules"].items())]
        answer = _page([_rule_view(r) for r in found], self._get_param("maxResults"), self._get_param("nextToken"),
                       "pullThroughCacheRules")
    return ActionResult(answer)


def update_pull_through_cache_rule(self):
    backend = self.ecr_backend
    with _lock:
        rule = _rule(backend, self._get_param("ecrRepositoryPrefix"), self._get_param("registryId"))
        credential_arn = self._get_param("credentialArn")
        custom_role_arn = self._get_param("customRoleArn")
        new_credential = rule["credentialArn"] if credential_arn is None else credential_arn
        new_role = rule["customRoleArn"] if custom_role_arn is None else custom_role_arn
        _check_role_and_credential(rule["upstreamRegistry"], new_credential, new_role)
        rule.update(credentialArn=new_credential or None, customRoleArn=new_role or None, updatedAt=_now())
        return ActionResult(_rule_view(rule, "ecrRepositoryPrefix", "registryId", "updatedAt", "credentialArn",
                                       "customRoleArn", "upstreamRepositoryPrefix"))


def delete_pull_through_cache_rule(self):
    backend = self.ecr_backend
    with _lock:
        rule = _rule(backend, self._get_param("ecrRepositoryPrefix"), self._get_param("registryId"))
        del _state(backend)["rules"][_norm(rule["ecrRepositoryPrefix"])]
        return ActionResult(_rule_view(rule, "ecrRepositoryPrefix", "upstreamRegistryUrl", "createdAt", "registryId",
                                       "credentialArn", "customRoleArn", "upstreamRepositoryPrefix"))


def validate_pull_through_cache_rule(self):
    backend = self.ecr_backend
    with _lock:
        rule = _rule(backend, self._get_param("ecrRepositoryPrefix"), self._get_param("registryId"))
        answer = _rule_view(rule, "ecrRepositoryPrefix", "registryId", "upstreamRegistryUrl", "credentialArn",
                            "customRoleArn", "upstreamRepositoryPrefix")
    if rule["credentialArn"] and not _secret_exists(rule["credentialArn"]):
        answer.update(isValid=False, failure=f"The credential secret {rule['credentialArn']} was not found.")
    else:
        answer["isValid"] = True
    return ActionResult(answer)


def rule_for(backend, repository_name):
    """The pull-through cache rule whose prefix starts repository_name (longest first), or None."""
    rules = _state(backend)["rules"]
    for prefix in sorted(rules, key=len, reverse=True):
        if prefix != "ROOT" and repository_name.startswith(prefix + "/"):
            return rules[prefix]
    return None


# ---------------------------------------------------------------- repository creation templates

TEMPLATE_MEMBERS = ("description", "encryptionConfiguration", "resourceTags", "imageTagMutability",
                    "imageTagMutabilityExclusionFilters", "repositoryPolicy", "lifecyclePolicy", "appliedFor",
                    "customRoleArn")


def _check_template(values):
    applied_for = values.get("appliedFor")
    if applied_for is not None:
        if not applied_for:
            raise _validation(applied_for, "appliedFor", "Member must have length greater than or equal to 1")
        for item in applied_for:
            if item not in APPLIED_FOR:
                raise _validation(item, "appliedFor", f"Member must satisfy enum value set: [{', '.join(APPLIED_FOR)}]")
    mutability = values.get("imageTagMutability")
    if mutability is not None and mutability not in MUTABILITY:
        raise _validation(mutability, "imageTagMutability",
                          f"Member must satisfy enum value set: [{', '.join(MUTABILITY)}]")
    if "imageTagMutability" in values or "imageTagMutabilityExclusionFilters" in values:
        filters = values.get("imageTagMutabilityExclusionFilters")
        for f in filters or []:
            if f.get("filterType") != "WILDCARD":
                raise error("InvalidParameterException", "Invalid parameter at 'imageTagMutabilityExclusionFilters' "
                            f"failed to satisfy constraint: Invalid value for 'filterType' in mutability exclusion "
                            f"filter: {f.get('filterType')}")
        models.ECRBackend.validate_image_tag_mutability_params_compatibility(mutability or "MUTABLE", filters)
    encryption = values.get("encryptionConfiguration")
    if encryption is not None and encryption.get("encryptionType") not in ("AES256", "KMS", "KMS_DSSE"):
        raise _validation(encryption.get("encryptionType"), "encryptionConfiguration.encryptionType",
                          "Member must satisfy enum value set: [AES256, KMS, KMS_DSSE]")
    policy = values.get("repositoryPolicy")
    if policy:
        try:
            parsed = json.loads(policy)
            if not isinstance(parsed, dict) or "Statement" not in parsed:
                raise ValueError
        except ValueError:
            raise error("InvalidParameterException", "Invalid parameter at 'repositoryPolicy' failed to satisfy "
                                                     "constraint: 'Invalid repository policy provided'")
    lifecycle = values.get("lifecyclePolicy")
    if lifecycle:
        try:
            EcrLifecyclePolicyValidator(lifecycle).validate()
        except ServiceException as e:
            raise error("InvalidParameterException", e.message.replace("'LifecyclePolicyText'", "'lifecyclePolicy'"))


def _template_params(self):
    return {m: self._get_param(m) for m in TEMPLATE_MEMBERS if self._get_param(m) is not None}


def _template(backend, prefix):
    template = _state(backend)["templates"].get(_norm(prefix or ""))
    if template is None:
        raise error("TemplateNotFoundException", f"The repository creation template with prefix '{prefix}' does not "
                                                 f"exist in the registry with id '{backend.account_id}'")
    return template


def _template_view(template):
    view = {k: v for k, v in template.items() if v not in (None, "")}
    if not view.get("resourceTags"):
        view.pop("resourceTags", None)
    return view


def create_repository_creation_template(self):
    backend = self.ecr_backend
    prefix = self._get_param("prefix") or ""
    if not 1 <= len(prefix) <= 256 or not TEMPLATE_PREFIX.match(prefix):
        raise _validation(prefix, "prefix", f"Member must satisfy regular expression pattern: "
                                            f"{TEMPLATE_PREFIX.pattern}")
    values = _template_params(self)
    if "appliedFor" not in values:
        raise _validation(None, "appliedFor", "Member must not be null")
    _check_template(values)
    with _lock:
        templates = _state(backend)["templates"]
        if _norm(prefix) in templates:
            raise error("TemplateAlreadyExistsException", f"The repository creation template with prefix '{prefix}' "
                                                          f"already exists in the registry with id "
                                                          f"'{backend.account_id}'")
        now = _now()
        template = {"prefix": prefix, "imageTagMutability": "MUTABLE",
                    "encryptionConfiguration": {"encryptionType": "AES256"}, **values,
                    "createdAt": now, "updatedAt": now}
        templates[_norm(prefix)] = template
        return ActionResult({"registryId": backend.account_id, "repositoryCreationTemplate": _template_view(template)})


def describe_repository_creation_templates(self):
    backend = self.ecr_backend
    prefixes = self._get_param("prefixes")
    with _lock:
        templates = _state(backend)["templates"]
        if prefixes:
            found = [templates[_norm(p)] for p in prefixes if _norm(p) in templates]
        else:
            found = [t for _, t in sorted(templates.items())]
        answer = _page([_template_view(t) for t in found], self._get_param("maxResults"),
                       self._get_param("nextToken"), "repositoryCreationTemplates")
    return ActionResult({"registryId": backend.account_id, **answer})


def update_repository_creation_template(self):
    backend = self.ecr_backend
    values = _template_params(self)
    with _lock:
        template = _template(backend, self._get_param("prefix"))
        merged = {**template, **values}
        if "imageTagMutability" in values and "imageTagMutabilityExclusionFilters" not in values:
            merged.pop("imageTagMutabilityExclusionFilters", None)
        _check_template(merged)
        template.clear()
        template.update(merged, updatedAt=_now())
        return ActionResult({"registryId": backend.account_id, "repositoryCreationTemplate": _template_view(template)})


def delete_repository_creation_template(self):
    backend = self.ecr_backend
    with _lock:
        template = _template(backend, self._get_param("prefix"))
        del _state(backend)["templates"][_norm(template["prefix"])]
        return ActionResult({"registryId": backend.account_id, "repositoryCreationTemplate": _template_view(template)})


def template_for(backend, repository_name, applied_for):
    """The creation template ECR applies to a repository it creates for applied_for: longest prefix, then ROOT."""
    templates = [t for t in _state(backend)["templates"].values() if applied_for in (t.get("appliedFor") or [])]
    matching = [t for t in templates if repository_name.startswith(_norm(t["prefix"]) + "/")]
    if matching:
        return max(matching, key=lambda t: len(_norm(t["prefix"])))
    return next((t for t in templates if t["prefix"] == "ROOT"), None)


def create_repository_from_template(backend, repository_name, applied_for):
    """Creates repository_name in backend as ECR does for applied_for, with its creation template's settings."""
    template = template_for(backend, repository_name, applied_for) or {}
    mutability = template.get("imageTagMutability") or "MUTABLE"
    filters = template.get("imageTagMutabilityExclusionFilters") or None
    encryption = template.get("encryptionConfiguration")
    repository = backend.create_repository(repository_name, None, dict(encryption) if encryption else None, None,
                                           mutability, list(template.get("resourceTags") or []), filters)
    if template.get("repositoryPolicy"):
        repository.policy = template["repositoryPolicy"]
    if template.get("lifecyclePolicy"):
        repository.lifecycle_policy = template["lifecyclePolicy"]
    return repository


# ---------------------------------------------------------------- registry policy

def _validate_registry_policy_action(self, policy_text):
    from moto.iam.exceptions import MalformedPolicyDocument
    for statement in json.loads(policy_text)["Statement"]:
        actions = statement["Action"]
        if set([actions] if isinstance(actions, str) else actions) - REGISTRY_POLICY_ACTIONS:
            raise MalformedPolicyDocument()


OPERATIONS = (create_pull_through_cache_rule, describe_pull_through_cache_rules, update_pull_through_cache_rule,
              delete_pull_through_cache_rule, validate_pull_through_cache_rule, create_repository_creation_template,
              describe_repository_creation_templates, update_repository_creation_template,
              delete_repository_creation_template)


def install():
    """Adds the operations to moto's ECR (idempotent)."""
    if _originals:
        return
    _originals["validate_registry_policy_action"] = models.ECRBackend._validate_registry_policy_action
    models.ECRBackend._validate_registry_policy_action = _validate_registry_policy_action
    for operation in OPERATIONS:
        setattr(responses.ECRResponse, operation.__name__, operation)
