package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** Desired state of an ECR repository, in the shape of ECR's CreateRepository request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.repositoryName) == has(oldSelf.repositoryName)",
    message = "repositoryName is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.encryptionConfiguration) == has(oldSelf.encryptionConfiguration)",
    message = "encryptionConfiguration is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.region) == has(oldSelf.region)",
    message = "region is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.imageTagMutabilityExclusionFilters) || !has(self.imageTagMutability) "
    + "|| !self.imageTagMutability.endsWith('_WITH_EXCLUSION')",
    message = "imageTagMutability IMMUTABLE_WITH_EXCLUSION and MUTABLE_WITH_EXCLUSION need "
        + "imageTagMutabilityExclusionFilters")
@ValidationRule(value = "!has(self.imageTagMutabilityExclusionFilters) || (has(self.imageTagMutability) "
    + "&& self.imageTagMutability.endsWith('_WITH_EXCLUSION'))",
    message = "imageTagMutabilityExclusionFilters are only allowed with imageTagMutability IMMUTABLE_WITH_EXCLUSION "
        + "or MUTABLE_WITH_EXCLUSION")
@JsonClassDescription("The desired repository, in the shape of ECR's CreateRepository request, with its lifecycle and "
    + "repository policies. The name defaults to metadata.name.")
public class EcrRepositorySpec extends AwsResourceSpec {

  @JsonPropertyDescription("Name of the repository in ECR (may contain namespaces, as in team/app). Defaults to "
      + "metadata.name. Immutable.")
  @Size(min = 2, max = 256)
  @Pattern("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")
  @ValidationRule(value = "self == oldSelf", message = "repositoryName is immutable")
  public String repositoryName;

  @JsonPropertyDescription("MUTABLE (default) lets an image tag be pushed again; IMMUTABLE refuses overwrites; "
      + "IMMUTABLE_WITH_EXCLUSION and MUTABLE_WITH_EXCLUSION do so except for the tags that match "
      + "imageTagMutabilityExclusionFilters (required with them).")
  @Default("MUTABLE")
  public ImageTagMutability imageTagMutability;

  @JsonPropertyDescription("The tags excepted from imageTagMutability (only with IMMUTABLE_WITH_EXCLUSION, whose "
      + "matching tags can move, and MUTABLE_WITH_EXCLUSION, whose matching tags cannot): 1 to 5 filters, a set.")
  @Size(min = 1, max = 5)
  @ValidationRule(value = "self.all(f, self.exists_one(g, g.filter == f.filter))",
      message = "each imageTagMutabilityExclusionFilters filter must be unique")
  public List<ImageTagMutabilityExclusionFilter> imageTagMutabilityExclusionFilters;

  @JsonPropertyDescription("Image scanning settings.")
  public ImageScanningConfiguration imageScanningConfiguration;

  @JsonPropertyDescription("Encryption at rest. Fixed when the repository is created: immutable.")
  @ValidationRule(value = "self == oldSelf", message = "encryptionConfiguration is immutable")
  public EncryptionConfiguration encryptionConfiguration;

  @JsonPropertyDescription("Lifecycle policy: rules that expire images. Removing it deletes the policy in ECR.")
  public LifecyclePolicy lifecyclePolicy;

  @JsonPropertyDescription("Repository policy: an IAM policy document (Version, Statement[]) as an object. "
      + "Compared semantically with ECR's copy. Removing it deletes the policy in ECR. ECR takes at most 10,240 "
      + "characters of JSON: a longer policy is Stalled (PolicyTooLarge) before anything is written.")
  @SchemaFrom(type = PolicyDocument.class)
  public JsonNode repositoryPolicy;

  @JsonPropertyDescription("Tags of the repository. This is the whole set: tags added in AWS by others are removed. "
      + "Keys 1 to 128 characters, values up to 256; keys starting with ecsbridge.io/ or aws: (any case) are "
      + "reserved.")
  @Size(max = 49)
  @ValidationRule(value = AwsValidation.TAG_KEYS_RESERVED, message = AwsValidation.TAG_KEYS_RESERVED_MESSAGE)
  @ValidationRule(value = AwsValidation.TAG_KEYS_LENGTH, message = AwsValidation.TAG_KEYS_LENGTH_MESSAGE)
  public Map<String, @Size(max = 256) String> tags;

  @JsonPropertyDescription("Delete the repository even if it still holds images when this resource is deleted. "
      + "Without it, a repository with images is never deleted: the resource stays, Stalled, RepositoryNotEmpty.")
  @Default("false")
  public Boolean forceDelete;

  public String getRepositoryName() {
    return repositoryName;
  }

  /**
   * The admission schema of repositoryPolicy (the field itself stays a JsonNode, kept as written): an object, with
   * the Statement IAM requires, a Version IAM knows, and every other element preserved unchecked (CEL cannot see
   * them, nor serialize the document, so the 10,240-character limit is checked by the reconciler).
   */
  @PreserveUnknownFields
  public static class PolicyDocument {
    @JsonProperty("Version")
    @JsonPropertyDescription("2012-10-17 (current) or 2008-10-17 (IAM's default when absent).")
    @ValidationRule(value = "self == '2012-10-17' || self == '2008-10-17'",
        message = "repositoryPolicy Version is 2012-10-17 or 2008-10-17")
    public String version;

    @JsonProperty("Id")
    @JsonPropertyDescription("Optional identifier of the policy.")
    public String id;

    @JsonProperty("Statement")
    @JsonPropertyDescription("One statement (an object) or a list of them.")
    @Required
    @PreserveUnknownFields
    public JsonNode statement;
  }

  public enum ImageTagMutability { MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ImageTagMutabilityExclusionFilter {
    @JsonPropertyDescription("WILDCARD (the default and only type ECR has).")
    @Default("WILDCARD")
    public ExclusionFilterType filterType;

    @JsonPropertyDescription("A tag pattern: letters, digits, '.', '_', '-', and '*' matching any characters "
        + "(1 to 128).")
    @Required
    @Pattern("^[0-9a-zA-Z._*-]{1,128}$")
    public String filter;
  }

  public enum ExclusionFilterType { WILDCARD }

  public enum EncryptionType { AES256, KMS, KMS_DSSE }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ImageScanningConfiguration {
    @JsonPropertyDescription("Scan each image when it is pushed. Default false.")
    @Default("false")
    public Boolean scanOnPush;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!has(self.kmsKey) || self.encryptionType == 'KMS' || self.encryptionType == 'KMS_DSSE'",
      message = "kmsKey is only allowed with encryptionType KMS or KMS_DSSE")
  public static class EncryptionConfiguration {
    @JsonPropertyDescription("AES256 (default), KMS or KMS_DSSE.")
    @Default("AES256")
    public EncryptionType encryptionType;

    @JsonPropertyDescription("ARN, id or alias of the KMS key (KMS and KMS_DSSE only; AWS-managed key when absent).")
    @Size(min = 1, max = 2048)
    public String kmsKey;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LifecyclePolicy {
    @JsonPropertyDescription("The rules, each with a unique rulePriority (lower is evaluated first).")
    @Required
    @Size(min = 1, max = 50)
    @ValidationRule(value = "self.all(r, self.exists_one(s, s.rulePriority == r.rulePriority))",
        message = "rulePriority must be unique across rules")
    @ValidationRule(value = "self.all(r, r.selection.tagStatus != 'any' || "
        + "self.all(s, s.rulePriority <= r.rulePriority))",
        message = "a rule with tagStatus any must have the highest rulePriority")
    public List<LifecycleRule> rules;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LifecycleRule {
    @JsonPropertyDescription("Order of evaluation, unique, lowest first.")
    @Required
    @Min(1)
    @Max(999)
    public Integer rulePriority;

    @JsonPropertyDescription("Free text describing the rule.")
    @Size(max = 256)
    public String description;

    @JsonPropertyDescription("Which images the rule applies to.")
    @Required
    public LifecycleSelection selection;

    @JsonPropertyDescription("What happens to the selected images.")
    public LifecycleAction action;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "self.countType == 'sinceImagePushed' ? has(self.countUnit) : !has(self.countUnit)",
      message = "countUnit is required with countType sinceImagePushed and not allowed with imageCountMoreThan")
  @ValidationRule(value = "self.tagStatus == 'tagged' || (!has(self.tagPrefixList) && !has(self.tagPatternList))",
      message = "tagPrefixList and tagPatternList are only allowed with tagStatus tagged")
  @ValidationRule(value = "self.tagStatus != 'tagged' || has(self.tagPrefixList) || has(self.tagPatternList)",
      message = "tagStatus tagged needs tagPrefixList or tagPatternList")
  @ValidationRule(value = "!(has(self.tagPrefixList) && has(self.tagPatternList))",
      message = "use either tagPrefixList or tagPatternList, not both")
  public static class LifecycleSelection {
    @JsonPropertyDescription("tagged, untagged or any.")
    @Required
    public TagStatus tagStatus;

    @JsonPropertyDescription("Tag prefixes selecting images (tagStatus tagged).")
    @Size(min = 1, max = 100)
    public List<String> tagPrefixList;

    @JsonPropertyDescription("Tag wildcard patterns selecting images (tagStatus tagged).")
    @Size(min = 1, max = 100)
    public List<String> tagPatternList;

    @JsonPropertyDescription("imageCountMoreThan or sinceImagePushed.")
    @Required
    public CountType countType;

    @JsonPropertyDescription("days; only with sinceImagePushed.")
    public CountUnit countUnit;

    @JsonPropertyDescription("How many images, or how many days.")
    @Required
    @Min(1)
    public Integer countNumber;
  }

  public enum TagStatus { tagged, untagged, any }

  public enum CountType { imageCountMoreThan, sinceImagePushed }

  public enum CountUnit { days }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LifecycleAction {
    @JsonPropertyDescription("expire (the default and only action for now).")
    @Default("expire")
    public ActionType type;
  }

  public enum ActionType { expire }
}
