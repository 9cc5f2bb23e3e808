package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** The role the operator assumes in the account, the account's regions and which namespaces may use it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.defaultRegion) || !has(self.allowedRegions) || size(self.allowedRegions) == 0 "
    + "|| self.defaultRegion in self.allowedRegions", message = "defaultRegion must be one of allowedRegions")
@JsonClassDescription("How the operator reaches the account (the role to assume, optionally through another "
    + "AwsAccount), the region resources there default to, and which namespaces may use it.")
public class AwsAccountSpec {
  static final String REGION = "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$";

  @Required
  @JsonPropertyDescription("The IAM role the operator assumes in the account (STS AssumeRole), e.g. "
      + "arn:aws:iam::111111111111:role/ecs-bridge.")
  @ValidationRule(value = "self.matches(r'^" + AwsValidation.ROLE_ARN + "$')",
      message = "roleArn must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>")
  @Size(max = 2048)
  public String roleArn;

  @JsonPropertyDescription("The external id the role's trust policy requires, if any (not a secret by AWS's design).")
  @Pattern("^[\\w+=,.@:/-]+$")
  @Size(min = 2, max = 1224)
  public String externalId;

  @JsonPropertyDescription("Role chaining: the AwsAccount whose role is assumed first; this account's role is then "
      + "assumed with that role's credentials. Unset: with the operator's own credentials.")
  public AccountRef sourceAccountRef;

  @JsonPropertyDescription("The region resources in this account default to, e.g. eu-west-1.")
  @Pattern(REGION)
  @Size(max = 32)
  public String defaultRegion;

  @JsonPropertyDescription("The regions resources in this account may use; unset or empty: any.")
  @Size(max = 64)
  public List<@Pattern(REGION) @Size(max = 32) String> allowedRegions;

  @JsonPropertyDescription("The namespaces whose resources may use this account (a Kubernetes label selector); "
      + "unset: none.")
  public LabelSelector namespaceSelector;

  /** Another AwsAccount, by name (cluster-scoped). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AccountRef {
    @Required
    @JsonPropertyDescription("The AwsAccount's name.")
    public String name;
  }
}
