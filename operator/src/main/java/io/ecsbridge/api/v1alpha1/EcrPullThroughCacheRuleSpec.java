package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Desired state of an ECR pull through cache rule, in the shape of CreatePullThroughCacheRule. The credential rules
 * per upstream registry are ECR's documented ones: Docker Hub, GitHub, Azure and GitLab need a Secrets Manager secret
 * named ecr-pullthroughcache/...; ECR Public and registry.k8s.io take none (Quay may have one); an ECR upstream needs
 * an IAM role and takes no secret, and is the only one whose rule may have the prefix ROOT.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.region) == has(oldSelf.region)",
    message = "region is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.upstreamRepositoryPrefix) == has(oldSelf.upstreamRepositoryPrefix)",
    message = "upstreamRepositoryPrefix is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "!has(oldSelf.credentialArn) || has(self.credentialArn)",
    message = "credentialArn cannot be removed (UpdatePullThroughCacheRule changes it, never removes it): delete and "
        + "re-create the rule")
@ValidationRule(value = "!(self.upstreamRegistry in ['docker-hub', 'github-container-registry', "
    + "'azure-container-registry', 'gitlab-container-registry']) || has(self.credentialArn)",
    message = "upstreamRegistry docker-hub, github-container-registry, azure-container-registry and "
        + "gitlab-container-registry need credentialArn (a Secrets Manager secret named ecr-pullthroughcache/...)")
@ValidationRule(value = "!(self.upstreamRegistry in ['ecr-public', 'k8s']) || !has(self.credentialArn)",
    message = "upstreamRegistry ecr-public and k8s take no credentialArn")
@ValidationRule(value = "self.ecrRepositoryPrefix != 'ROOT' || self.upstreamRegistry == 'ecr'",
    message = "ecrRepositoryPrefix ROOT is only for upstreamRegistry ecr")
@ValidationRule(value = "self.upstreamRegistry != 'ecr' || (has(self.customRoleArn) && !has(self.credentialArn))",
    message = "upstreamRegistry ecr needs customRoleArn (the IAM role ECR assumes to read the upstream registry) and "
        + "takes no credentialArn")
@ValidationRule(value = "self.upstreamRegistry == 'ecr' || (!has(self.customRoleArn) "
    + "&& !has(self.upstreamRepositoryPrefix))",
    message = "customRoleArn and upstreamRepositoryPrefix are only for upstreamRegistry ecr")
@ValidationRule(value = "self.upstreamRegistry == 'ecr' ? self.upstreamRegistryUrl.matches("
    + "r'^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$') : self.upstreamRegistry == "
    + "'azure-container-registry' ? self.upstreamRegistryUrl.matches(r'^[a-zA-Z0-9]+\\.azurecr\\.io$') : "
    + "self.upstreamRegistryUrl == {'ecr-public': 'public.ecr.aws', 'quay': 'quay.io', 'k8s': 'registry.k8s.io', "
    + "'docker-hub': 'registry-1.docker.io', 'github-container-registry': 'ghcr.io', "
    + "'gitlab-container-registry': 'registry.gitlab.com'}[self.upstreamRegistry]",
    message = "upstreamRegistryUrl must be the upstream registry's: ecr <account>.dkr.ecr.<region>.amazonaws.com, "
        + "ecr-public public.ecr.aws, quay quay.io, k8s registry.k8s.io, docker-hub registry-1.docker.io, "
        + "github-container-registry ghcr.io, azure-container-registry <name>.azurecr.io, gitlab-container-registry "
        + "registry.gitlab.com")
@JsonClassDescription("The rule, in the shape of ECR's CreatePullThroughCacheRule: the repository prefix, the upstream "
    + "registry and, where the upstream needs them, credentials (a Secrets Manager secret named "
    + "ecr-pullthroughcache/...) or an IAM role.")
public class EcrPullThroughCacheRuleSpec extends AwsResourceSpec {

  /** ECR's repository prefix pattern (PullThroughCacheRuleRepositoryPrefix), ROOT included. */
  static final String PREFIX = "^([a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*/?|ROOT)$";

  @JsonPropertyDescription("The prefix of the ECR repositories that cache the upstream registry: an image pulled as "
      + "<registry>/<prefix>/<upstream repository>:<tag> is cached there. 2 to 30 characters; ROOT for the whole "
      + "registry (upstreamRegistry ecr only). One rule per prefix in an account and region. Immutable.")
  @Required
  @Size(min = 2, max = 30)
  @Pattern(PREFIX)
  @ValidationRule(value = "self == oldSelf", message = "ecrRepositoryPrefix is immutable")
  public String ecrRepositoryPrefix;

  @JsonPropertyDescription("The upstream registry's URL, e.g. public.ecr.aws, registry-1.docker.io, ghcr.io, "
      + "<account>.dkr.ecr.<region>.amazonaws.com. Immutable.")
  @Required
  @Size(min = 1, max = 256)
  @ValidationRule(value = "self == oldSelf", message = "upstreamRegistryUrl is immutable")
  public String upstreamRegistryUrl;

  @JsonPropertyDescription("The upstream registry: ecr, ecr-public, quay, k8s, docker-hub, github-container-registry, "
      + "azure-container-registry or gitlab-container-registry. Immutable.")
  @Required
  @Pattern("^(ecr|ecr-public|quay|k8s|docker-hub|github-container-registry|azure-container-registry"
      + "|gitlab-container-registry)$")
  @ValidationRule(value = "self == oldSelf", message = "upstreamRegistry is immutable")
  public String upstreamRegistry;

  @JsonPropertyDescription("The prefix of the upstream ECR registry's repositories to cache (upstreamRegistry ecr "
      + "only); ECR's default is ROOT. Immutable.")
  @Size(min = 2, max = 30)
  @Pattern(PREFIX)
  @ValidationRule(value = "self == oldSelf", message = "upstreamRepositoryPrefix is immutable")
  public String upstreamRepositoryPrefix;

  @JsonPropertyDescription("ARN of the Secrets Manager secret holding the upstream registry's credentials; its name "
      + "starts with ecr-pullthroughcache/. Required by docker-hub, github-container-registry, "
      + "azure-container-registry and gitlab-container-registry. Can change; cannot be removed.")
  @Size(min = 50, max = 612)
  @Pattern("^arn:aws(-\\w+)*:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\\-pullthroughcache/[a-zA-Z0-9/_+=.@-]+$")
  public String credentialArn;

  @JsonPropertyDescription("ARN of the IAM role ECR assumes to read an upstream ECR registry (upstreamRegistry ecr, "
      + "required there); in the same account as this registry. Can change.")
  @Size(max = 2048)
  @ValidationRule(value = AwsValidation.EXECUTION_ROLE_ARN, message = "customRoleArn must be an IAM role ARN: "
      + "arn:<partition>:iam::<12-digit account>:role/<optional path/><name>")
  public String customRoleArn;
}
