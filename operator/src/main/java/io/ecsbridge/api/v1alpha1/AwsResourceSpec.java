package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** The fields every kind shares: where the resource lives and how far the operator may act on it. */
public abstract class AwsResourceSpec {

  @JsonPropertyDescription("AWS region of the resource, for example eu-west-1. Defaults to the operator's region. "
      + "Immutable.")
  @Pattern("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$")
  @ValidationRule(value = "self == oldSelf", message = "region is immutable")
  private String region;

  @JsonPropertyDescription("Managed (default): create the AWS resource if absent and refuse one that exists "
      + "without this resource's ownership tag. Adopt: take over an existing resource, or create it. "
      + "ObserveOnly: never write to AWS, only report status.")
  @Default("Managed")
  private ManagementPolicy managementPolicy = ManagementPolicy.Managed;

  @JsonPropertyDescription("Delete (default): delete the AWS resource when this resource is deleted. "
      + "Retain: leave it in AWS.")
  @Default("Delete")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Delete;

  @JsonPropertyDescription("The AwsAccount this resource lives in, by name: one of the AwsAccounts whose "
      + "namespaceSelector admits this namespace (the platform team decides which). Unset: the one account that "
      + "admits the namespace, else the operator's own identity. A resource never moves between accounts once "
      + "created.")
  private AwsAccountSpec.AccountRef accountRef;

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public ManagementPolicy getManagementPolicy() {
    return managementPolicy == null ? ManagementPolicy.Managed : managementPolicy;
  }

  public void setManagementPolicy(ManagementPolicy managementPolicy) {
    this.managementPolicy = managementPolicy;
  }

  public AwsAccountSpec.AccountRef getAccountRef() {
    return accountRef;
  }

  public void setAccountRef(AwsAccountSpec.AccountRef accountRef) {
    this.accountRef = accountRef;
  }

  /** The name spec.accountRef gives, or null. */
  public String accountName() {
    return accountRef == null ? null : accountRef.name;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy == null ? DeletionPolicy.Delete : deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
