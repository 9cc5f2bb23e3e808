package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The parts of an EcsService spec for ECS-native blue/green, linear and canary deployments, in the shapes (and with the
 * member names) of ECS's API: {@code deploymentConfiguration.lifecycleHooks[]}, {@code linearConfiguration},
 * {@code canaryConfiguration}, {@code loadBalancers[].advancedConfiguration} and Service Connect
 * {@code clientAliases[].testTrafficRules}. Ranges as the ECS API reference gives them.
 */
public final class DeploymentStrategies {
  private static final String PARTITION = "aws(-[a-z]+)*";
  private static final String REGION = "[a-z0-9-]+";
  private static final String ACCOUNT = "[0-9]{12}";
  private static final String ELB = "arn:" + PARTITION + ":elasticloadbalancing:" + REGION + ":" + ACCOUNT + ":";

  /** CEL: the strategies that shift traffic between two service revisions (not ROLLING). */
  static final String SHIFTS_TRAFFIC = "(self.strategy == 'BLUE_GREEN' || self.strategy == 'LINEAR' "
      + "|| self.strategy == 'CANARY')";

  private DeploymentStrategies() {}

  public enum DeploymentStrategy { ROLLING, BLUE_GREEN, LINEAR, CANARY }

  public enum LifecycleStage {
    RECONCILE_SERVICE, PRE_SCALE_UP, POST_SCALE_UP, TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT,
    PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class DeploymentLifecycleHook {
    @JsonPropertyDescription("ARN of the Lambda function ECS invokes at the lifecycle stages (the hook target).")
    @Required
    @Size(max = 2048)
    @ValidationRule(value = "self.matches(r'^arn:" + PARTITION + ":lambda:" + REGION + ":" + ACCOUNT
        + ":function:[a-zA-Z0-9_-]+(:[a-zA-Z0-9_$-]+)?$')",
        message = "hookTargetArn must be a Lambda function ARN: arn:aws:lambda:<region>:<account>:function:<name>")
    public String hookTargetArn;

    @JsonPropertyDescription("ARN of the IAM role that lets ECS invoke the function.")
    @Required
    @Size(max = 2048)
    @ValidationRule(value = "self.matches(r'^" + AwsValidation.ROLE_ARN + "$')",
        message = "roleArn must be an IAM role ARN: arn:aws:iam::<account>:role/<name>")
    public String roleArn;

    @JsonPropertyDescription("The stages at which the hook runs: RECONCILE_SERVICE, PRE_SCALE_UP, POST_SCALE_UP, "
        + "TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT "
        + "(each at most once).")
    @Required
    @Size(min = 1, max = 7)
    @ValidationRule(value = "self.all(s, self.exists_one(t, t == s))", message = "lifecycleStages must be unique")
    public List<LifecycleStage> lifecycleStages;

    @JsonPropertyDescription("Custom parameters ECS passes to the function on each invocation (any JSON value).")
    @PreserveUnknownFields
    public JsonNode hookDetails;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LinearConfiguration {
    @JsonPropertyDescription("Percent of production traffic shifted at each step: 3.0 to 100.0 (multiples of 0.1). "
        + "Default 10.0.")
    @Min(3.0)
    @Max(100.0)
    @JsonSerialize(using = WholeNumbers.class)
    public Double stepPercent;

    @JsonPropertyDescription("Minutes to wait between steps: 0 to 1440. Default 6.")
    @Min(0)
    @Max(1440)
    public Integer stepBakeTimeInMinutes;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CanaryConfiguration {
    @JsonPropertyDescription("Percent of production traffic the canary gets: 0.1 to 100.0 (multiples of 0.1). "
        + "Default 5.0.")
    @Min(0.1)
    @Max(100.0)
    public Double canaryPercent;

    @JsonPropertyDescription("Minutes to wait with the canary before shifting the rest: 0 to 1440. Default 10.")
    @Min(0)
    @Max(1440)
    public Integer canaryBakeTimeInMinutes;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AdvancedConfiguration {
    @JsonPropertyDescription("The second (green) target group ECS shifts traffic to during BLUE_GREEN, LINEAR and "
        + "CANARY deployments.")
    @Required
    @Size(max = 2048)
    @ValidationRule(value = "self.matches(r'^" + ELB + "targetgroup/[a-zA-Z0-9-]{1,32}/[0-9a-f]{16}$')",
        message = "alternateTargetGroupArn must be an Elastic Load Balancing target group ARN: "
            + "arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>")
    public String alternateTargetGroupArn;

    @JsonPropertyDescription("The listener rule (Application Load Balancer) or listener (Network Load Balancer) "
        + "that routes production traffic.")
    @Size(max = 2048)
    @ValidationRule(value = "self.matches(r'^" + ELB + "listener(-rule)?/.+$')",
        message = "productionListenerRule must be an Elastic Load Balancing listener rule or listener ARN")
    public String productionListenerRule;

    @JsonPropertyDescription("The listener rule (Application Load Balancer) or listener (Network Load Balancer) "
        + "that routes test traffic.")
    @Size(max = 2048)
    @ValidationRule(value = "self.matches(r'^" + ELB + "listener(-rule)?/.+$')",
        message = "testListenerRule must be an Elastic Load Balancing listener rule or listener ARN")
    public String testListenerRule;

    @JsonPropertyDescription("ARN of the IAM role that lets ECS call Elastic Load Balancing for you.")
    @Size(max = 2048)
    @ValidationRule(value = "self.matches(r'^" + AwsValidation.ROLE_ARN + "$')",
        message = "roleArn must be an IAM role ARN: arn:aws:iam::<account>:role/<name>")
    public String roleArn;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceConnectTestTrafficRules {
    @JsonPropertyDescription("Requests with this header go to the new (green) revision during test traffic.")
    @Required
    public ServiceConnectTestTrafficHeaderRules header;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceConnectTestTrafficHeaderRules {
    @JsonPropertyDescription("Name of the HTTP header.")
    @Required
    @Size(min = 1)
    public String name;

    @JsonPropertyDescription("How its value must match (absent: any value).")
    public ServiceConnectTestTrafficHeaderMatchRules value;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceConnectTestTrafficHeaderMatchRules {
    @JsonPropertyDescription("The exact value the header must have.")
    @Required
    public String exact;
  }
}
