package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The registry's settings (the ECR API's shapes). Only the settings given are managed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.region) == has(oldSelf.region)",
    message = "region is immutable: it cannot be added or removed")
@JsonClassDescription("The registry's settings, in the shapes of the ECR API. Only the settings given are managed: an "
    + "absent one is left as it is in AWS.")
public class EcrRegistrySpec extends AwsResourceSpec {

  @JsonPropertyDescription("The registry's scanning configuration (PutRegistryScanningConfiguration). Absent: not "
      + "managed.")
  public ScanningConfiguration scanningConfiguration;

  @JsonPropertyDescription("The registry's replication configuration (PutReplicationConfiguration): which "
      + "repositories' images ECR copies to which regions and registries. Absent: not managed; rules: [] replicates "
      + "nothing.")
  public ReplicationConfiguration replicationConfiguration;

  @JsonPropertyDescription("The registry's permissions policy (PutRegistryPolicy): an IAM policy document (Version, "
      + "Statement[]) as an object, compared semantically with ECR's copy. Absent: not managed (deletion with "
      + "deletionPolicy Delete deletes a policy this resource put).")
  @SchemaFrom(type = PolicyDocument.class)
  public JsonNode policy;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  // distinct destinations: each entry counts 1 / (how often it appears), so that a destination in several rules counts once
  @ValidationRule(value = "size(self.rules) == 0 || self.rules.map(r, r.destinations.map(d, 1.0 / double("
      + "self.rules.map(o, o.destinations.filter(x, x.region == d.region && x.registryId == d.registryId).size())"
      + ".sum())).sum()).sum() <= 25.5",
      message = "replicationConfiguration takes at most 25 distinct destinations across all rules")
  public static class ReplicationConfiguration {
    @JsonPropertyDescription("The replication rules (at most 10); none replicates nothing.")
    @Required
    @Size(max = 10)
    public List<ReplicationRule> rules;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ReplicationRule {
    @JsonPropertyDescription("Where the images go (1 to 25 in total across all rules).")
    @Required
    @Size(min = 1, max = 25)
    public List<ReplicationDestination> destinations;

    @JsonPropertyDescription("Which repositories are replicated (by name prefix). None: every repository.")
    @Size(min = 1, max = 100)
    public List<RepositoryFilter> repositoryFilters;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ReplicationDestination {
    @JsonPropertyDescription("The region to replicate to, e.g. eu-west-1.")
    @Required
    @Size(min = 2, max = 25)
    @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$")
    public String region;

    @JsonPropertyDescription("The account id (12 digits) of the registry to replicate to; this account's own for "
        + "cross-region replication.")
    @Required
    @Size(min = 12, max = 12)
    @Pattern("^[0-9]{12}$")
    public String registryId;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RepositoryFilter {
    @JsonPropertyDescription("A repository name prefix.")
    @Required
    @Size(min = 2, max = 256)
    @Pattern("^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$")
    public String filter;

    @JsonPropertyDescription("PREFIX_MATCH (the default and only type ECR has).")
    @Default("PREFIX_MATCH")
    public RepositoryFilterType filterType;
  }

  public enum RepositoryFilterType { PREFIX_MATCH }

  /**
   * The admission schema of policy (the field stays a JsonNode, kept as written): an object with a Statement, a
   * Version IAM knows, the rest preserved unchecked.
   */
  @PreserveUnknownFields
  public static class PolicyDocument {
    @JsonProperty("Version")
    @JsonPropertyDescription("2012-10-17 (current) or 2008-10-17.")
    @ValidationRule(value = "self == '2012-10-17' || self == '2008-10-17'",
        message = "policy Version is 2012-10-17 or 2008-10-17")
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

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "self.scanType == 'ENHANCED' || !has(self.rules) "
      + "|| self.rules.all(r, r.scanFrequency == 'SCAN_ON_PUSH')",
      message = "BASIC scanning takes only SCAN_ON_PUSH rules; CONTINUOUS_SCAN needs scanType ENHANCED")
  public static class ScanningConfiguration {
    @JsonPropertyDescription("BASIC (default) or ENHANCED (Amazon Inspector).")
    @Required
    public ScanType scanType;

    @JsonPropertyDescription("Which repositories are scanned how often. None: every repository is scanned manually.")
    @Size(max = 2)
    public List<Rule> rules;
  }

  public enum ScanType { BASIC, ENHANCED }

  public enum ScanFrequency { SCAN_ON_PUSH, CONTINUOUS_SCAN }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Rule {
    @JsonPropertyDescription("SCAN_ON_PUSH, or CONTINUOUS_SCAN (ENHANCED only).")
    @Required
    public ScanFrequency scanFrequency;

    @JsonPropertyDescription("The repositories the rule applies to.")
    @Required
    @Size(min = 1, max = 100)
    public List<Filter> repositoryFilters;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Filter {
    @JsonPropertyDescription("A repository name pattern; * matches any characters.")
    @Required
    @Size(min = 1, max = 255)
    @Pattern("^[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*$")
    public String filter;

    @JsonPropertyDescription("WILDCARD (the only type ECR has).")
    public FilterType filterType;
  }

  public enum FilterType { WILDCARD }
}
