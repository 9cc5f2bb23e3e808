package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What ECR reports of the registry, and which settings this resource wrote. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What ECR reports of the registry's settings and which of them this resource wrote, with the "
    + "Ready, Reconciling and Stalled conditions. Written by the operator.")
public class EcrRegistryStatus extends AwsResourceStatus implements IdentityStatus {
  @JsonPropertyDescription("The registry (the AWS account id).")
  public String registryId;

  @JsonPropertyDescription("The registry's scanning type as ECR reports it.")
  public String scanType;

  @JsonPropertyDescription("The replication rules as ECR reports them (DescribeRegistry), when this resource manages "
      + "or observes replication: per rule, its destinations and repository filters.")
  public List<ReplicationRule> replicationRules;

  @JsonPropertyDescription("Whether the registry has a permissions policy (GetRegistryPolicy), when this resource "
      + "manages or observes it.")
  public Boolean policyPresent;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ReplicationRule {
    @JsonPropertyDescription("The destinations as region/registryId, e.g. eu-west-1/123456789012.")
    public List<String> destinations;

    @JsonPropertyDescription("The repository name prefixes (PREFIX_MATCH); none: every repository.")
    public List<String> repositoryFilters;
  }

  @JsonPropertyDescription("The settings (scanningConfiguration, replicationConfiguration, policy) this resource "
      + "owns: it put them, found them at ECR's defaults, or adopted them. Only these are reset when it is deleted, "
      + "and a setting added to the spec later that differs from ECR's defaults is refused under Managed.")
  public List<String> ownedSettings;

  @JsonPropertyDescription("The registry settings this resource claimed and wrote (\"registry <region>\"); only these "
      + "are reset when it is deleted.")
  public String ownedIdentity;

  @Override
  public String getOwnedIdentity() {
    return ownedIdentity;
  }

  @Override
  public void setOwnedIdentity(String identity) {
    ownedIdentity = identity;
  }
}
