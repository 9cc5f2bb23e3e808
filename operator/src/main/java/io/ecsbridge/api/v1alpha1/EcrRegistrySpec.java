package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The registry's settings (the ECR API's shapes). Only the settings given are managed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.region) == has(oldSelf.region)",
    message = "region is immutable: it cannot be added or removed")
public class EcrRegistrySpec extends AwsResourceSpec {

  @JsonPropertyDescription("The registry's scanning configuration (PutRegistryScanningConfiguration). Absent: not "
      + "managed.")
  public ScanningConfiguration scanningConfiguration;

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
    @Size(min = 1, max = 256)
    @Pattern("^[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*$")
    public String filter;

    @JsonPropertyDescription("WILDCARD (the only type ECR has).")
    public FilterType filterType;
  }

  public enum FilterType { WILDCARD }
}
