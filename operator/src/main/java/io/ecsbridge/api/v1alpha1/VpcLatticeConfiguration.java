package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A VPC Lattice target group the service's tasks are registered with (ECS's VpcLatticeConfiguration). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VpcLatticeConfiguration {
  @JsonPropertyDescription("ARN of the IAM role (infrastructure role) ECS uses to register the tasks.")
  @Required
  @Size(min = 1, max = 2048)
  @ValidationRule(value = ServiceVolumeConfiguration.ROLE_ARN_RULE,
      message = ServiceVolumeConfiguration.ROLE_ARN_MESSAGE)
  public String roleArn;

  @JsonPropertyDescription("ARN of the VPC Lattice target group.")
  @Required
  @Size(min = 1, max = 2048)
  @ValidationRule(value = "self.matches(r'^arn:aws(-[a-z]+)*:vpc-lattice:[a-z0-9-]+:[0-9]{12}:targetgroup/tg-[0-9a-z]+$')",
      message = "targetGroupArn must be a VPC Lattice target group ARN: "
          + "arn:aws:vpc-lattice:<region>:<account>:targetgroup/tg-<id>")
  public String targetGroupArn;

  @JsonPropertyDescription("Name of the task definition's port mapping to register.")
  @Required
  @Size(min = 1, max = 64)
  public String portName;
}
