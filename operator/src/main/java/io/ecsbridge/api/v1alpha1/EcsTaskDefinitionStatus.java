package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The family's current revision as ECS reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
}
