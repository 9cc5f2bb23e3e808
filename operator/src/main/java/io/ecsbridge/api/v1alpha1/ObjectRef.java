package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A reference to another ecs-bridge custom resource in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectRef {
  @JsonPropertyDescription("Name of the custom resource, in the same namespace as this one.")
  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  public String name;

  public ObjectRef() {}

  public ObjectRef(String name) {
    this.name = name;
  }
}
