package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired content of a task definition family, in the shape of ECS's RegisterTaskDefinition request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.family) == has(oldSelf.family)",
    message = "family is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.region) == has(oldSelf.region)",
    message = "region is immutable: it cannot be added or removed after creation")
public class EcsTaskDefinitionSpec extends AwsResourceSpec {

  @JsonPropertyDescription("The task definition family. Defaults to metadata.name. Immutable.")
  @Size(min = 1, max = 255)
  @Pattern("^[a-zA-Z0-9_-]+$")
  @ValidationRule(value = "self == oldSelf", message = "family is immutable")
  public String family;
}
