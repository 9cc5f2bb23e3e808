package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * Desired state of an ECR repository creation template, in the shape of CreateRepositoryCreationTemplate. The lifecycle
 * policy and the repository policy are EcrRepository's (the same model, compared the same way).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.region) == has(oldSelf.region)",
    message = "region is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.imageTagMutability) && self.imageTagMutability.endsWith('_WITH_EXCLUSION') "
    + "? has(self.imageTagMutabilityExclusionFilters) : !has(self.imageTagMutabilityExclusionFilters)",
    message = "imageTagMutabilityExclusionFilters are required with imageTagMutability IMMUTABLE_WITH_EXCLUSION or "
        + "MUTABLE_WITH_EXCLUSION and not allowed otherwise")
@JsonClassDescription("The template, in the shape of ECR's CreateRepositoryCreationTemplate request: the prefix it "
    + "applies to, the ways of creating a repository it applies for (PULL_THROUGH_CACHE, REPLICATION, CREATE_ON_PUSH) "
    + "and the settings of the repositories ECR creates.")
public class EcrRepositoryCreationTemplateSpec extends AwsResourceSpec {

  @JsonPropertyDescription("The repository namespace prefix the template applies to (prod applies to prod/...), or "
      + "ROOT for repositories that match no other template. One template per prefix in an account and region. "
      + "Immutable.")
  @Required
  @Size(min = 1, max = 256)
  @Pattern(EcrPullThroughCacheRuleSpec.PREFIX)
  @ValidationRule(value = "self == oldSelf", message = "prefix is immutable")
  public String prefix;

  @JsonPropertyDescription("A description of the template.")
  @Size(max = 256)
  public String description;

  @JsonPropertyDescription("The ways of creating a repository the template applies to: REPLICATION, "
      + "PULL_THROUGH_CACHE, CREATE_ON_PUSH (a push to a repository that does not exist creates it).")
  @Required
  @Size(min = 1, max = 3)
  @ValidationRule(value = "self.all(a, self.exists_one(b, b == a))", message = "appliedFor lists each scenario once")
  public List<AppliedFor> appliedFor;

  @JsonPropertyDescription("Tag mutability of the repositories created: MUTABLE (default), IMMUTABLE, "
      + "IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION (with imageTagMutabilityExclusionFilters).")
  @Default("MUTABLE")
  public EcrRepositorySpec.ImageTagMutability imageTagMutability;

  @JsonPropertyDescription("Tags excepted from imageTagMutability (the *_WITH_EXCLUSION settings only): 1 to 5.")
  @Size(min = 1, max = 5)
  public List<EcrRepositorySpec.ImageTagMutabilityExclusionFilter> imageTagMutabilityExclusionFilters;

  @JsonPropertyDescription("Encryption of the repositories created: AES256 (default), KMS or KMS_DSSE with the full "
      + "ARN of a KMS key in the template's region (the AWS managed key when absent).")
  public EncryptionConfiguration encryptionConfiguration;

  @JsonPropertyDescription("Lifecycle policy of the repositories created, as EcrRepository's lifecyclePolicy. "
      + "Removing it removes it from the template.")
  public EcrRepositorySpec.LifecyclePolicy lifecyclePolicy;

  @JsonPropertyDescription("Repository policy of the repositories created: an IAM policy document as an object, "
      + "compared semantically. Removing it removes it from the template.")
  @SchemaFrom(type = EcrRepositorySpec.PolicyDocument.class)
  public JsonNode repositoryPolicy;

  @JsonPropertyDescription("Tags of the repositories created (not of the template, which takes none). Keys 1 to 128 "
      + "characters, values up to 256; keys starting with ecsbridge.io/ or aws: are reserved.")
  @Size(max = 50)
  @ValidationRule(value = AwsValidation.TAG_KEYS_RESERVED, message = AwsValidation.TAG_KEYS_RESERVED_MESSAGE)
  @ValidationRule(value = AwsValidation.TAG_KEYS_LENGTH, message = AwsValidation.TAG_KEYS_LENGTH_MESSAGE)
  public Map<String, @Size(max = 256) String> resourceTags;

  @JsonPropertyDescription("ARN of the IAM role ECR assumes to create repositories with this template (needed for "
      + "KMS encryption or resourceTags); ECR's service-linked role when absent.")
  @Size(max = 2048)
  @ValidationRule(value = AwsValidation.EXECUTION_ROLE_ARN, message = "customRoleArn must be an IAM role ARN: "
      + "arn:<partition>:iam::<12-digit account>:role/<optional path/><name>")
  public String customRoleArn;

  public enum AppliedFor { REPLICATION, PULL_THROUGH_CACHE, CREATE_ON_PUSH }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!has(self.kmsKey) || self.encryptionType == 'KMS' || self.encryptionType == 'KMS_DSSE'",
      message = "kmsKey is only allowed with encryptionType KMS or KMS_DSSE")
  public static class EncryptionConfiguration {
    @JsonPropertyDescription("AES256, KMS or KMS_DSSE.")
    @Required
    public EcrRepositorySpec.EncryptionType encryptionType;

    @JsonPropertyDescription("The full ARN of the KMS key (KMS and KMS_DSSE).")
    @Size(max = 2048)
    @Pattern("^arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-z0-9-]+$")
    public String kmsKey;
  }
}
