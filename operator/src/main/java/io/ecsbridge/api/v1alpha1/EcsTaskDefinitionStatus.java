package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The family's current revision as ECS reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("The family's current revision as ECS reports it (ARN, revision number) and what the operator "
    + "derived from the spec's references, with the Ready, Reconciling and Stalled conditions. Written by the "
    + "operator.")
public class EcsTaskDefinitionStatus extends AwsResourceStatus {
  @JsonPropertyDescription("ARN of the current revision (the one services referencing this family run).")
  public String taskDefinitionArn;

  @JsonPropertyDescription("Revision number of the current revision.")
  public Long revision;

  @JsonPropertyDescription("Hash of the normalized content of the current revision (also a tag on the revision).")
  public String contentHash;

  @JsonPropertyDescription("Hash of the values the spec's ConfigMap references resolved to at the last pass (absent "
      + "without references): a change is looked at at once.")
  public String referencesHash;

  @JsonPropertyDescription("The Secrets Manager secret (ARN) ecs-bridge made of the referenced Secrets' values for "
      + "the current content (absent without Secret references).")
  public String valuesSecretArn;

  @JsonPropertyDescription("The resourceVersion of each referenced Secret (by name) whose values valuesSecretArn "
      + "holds: a change is looked at at once. No value, and nothing derived from one, is kept here.")
  public java.util.Map<String, String> secretVersions;

  @JsonPropertyDescription("The Parameter Store path (as an ARN, ending in /) under which ecs-bridge wrote the values "
      + "of the ConfigMap references with as: Parameter for the current content (absent without them).")
  public String parametersArn;

  @JsonPropertyDescription("Hash of the ConfigMap values written under parametersArn: other values are written "
      + "under a new path.")
  public String parametersHash;

  @JsonPropertyDescription("Per container with imageFrom: the tag and the digest the current pass resolved it to, "
      + "and when that digest was first resolved.")
  public java.util.List<ImageStatus> images;

  @JsonPropertyDescription("Hash of what the referenced EcrRepository custom resources reported at the last pass "
      + "(URI, the tag's digest and scan): a change is looked at at once.")
  public String imageSourcesHash;

  /** A container's imageFrom, resolved. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ImageStatus {
    @JsonPropertyDescription("The container.")
    public String container;

    @JsonPropertyDescription("The repository URI.")
    public String repository;

    @JsonPropertyDescription("The tag.")
    public String tag;

    @JsonPropertyDescription("The digest the tag pointed at (sha256:...).")
    public String digest;

    @JsonPropertyDescription("When this digest was first resolved (RFC 3339).")
    public String resolvedAt;
  }
}
