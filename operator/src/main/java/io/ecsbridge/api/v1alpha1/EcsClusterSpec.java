package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of an ECS cluster, in the shape of ECS's CreateCluster request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.clusterName) == has(oldSelf.clusterName)",
    message = "clusterName is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.region) == has(oldSelf.region)",
    message = "region is immutable: it cannot be added or removed after creation")
public class EcsClusterSpec extends AwsResourceSpec {

  @JsonPropertyDescription("Name of the cluster in ECS. Defaults to metadata.name. Immutable.")
  @Size(min = 1, max = 255)
  @Pattern("^[a-zA-Z0-9_-]+$")
  @ValidationRule(value = "self == oldSelf", message = "clusterName is immutable")
  public String clusterName;
}
