package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Status fields every kind shares: kstatus conditions and the generation they describe. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class AwsResourceStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready, Reconciling and Stalled conditions (kstatus).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The last value of the ecsbridge.io/reconcile-requested-at annotation the operator handled.")
  private String lastHandledReconcileAt;

  @JsonPropertyDescription("The 12-digit AWS account this resource lives in (its AwsAccount's, or the operator's own); "
      + "fixed once set: a resource never moves between accounts.")
  private String accountId;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  public String getLastHandledReconcileAt() {
    return lastHandledReconcileAt;
  }

  public void setLastHandledReconcileAt(String lastHandledReconcileAt) {
    this.lastHandledReconcileAt = lastHandledReconcileAt;
  }

  public String getAccountId() {
    return accountId;
  }

  public void setAccountId(String accountId) {
    this.accountId = accountId;
  }
}
