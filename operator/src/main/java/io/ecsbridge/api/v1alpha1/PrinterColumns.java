package io.ecsbridge.api.v1alpha1;

/**
 * The JSONPaths of the printer columns every kind shows (`kubectl get`): READY first, then the kind's own columns,
 * then REASON, AGE last; `-o wide` (priority 1) adds ACCOUNT and the kind's other columns after AGE, as kubectl's
 * built-in kinds do. The order is the order of the {@code @AdditionalPrinterColumn} annotations on the kind (make
 * crds keeps it: io.ecsbridge.build.CrdFinish).
 */
public final class PrinterColumns {
  /** The Ready condition's status: True, False (or empty before the first reconcile). */
  public static final String READY = ".status.conditions[?(@.type==\"Ready\")].status";
  /**
   * The Ready condition's reason: when Ready, why (Synced, RolloutComplete, Observed...); when not, the reason of the
   * verdict the frame reached, the same as Stalled's or Reconciling's (NotFound, RolloutInProgress, an AWS error
   * code...), or AwsRetrying while a new generation waits on a transient AWS error. A transient error on a generation
   * already Ready leaves Ready as it was (Reconciling says AwsRetrying).
   */
  public static final String REASON = ".status.conditions[?(@.type==\"Ready\")].reason";
  public static final String AGE = ".metadata.creationTimestamp";
  /** The AWS account the resource lives in, as the operator resolved it. */
  public static final String ACCOUNT = ".status.accountId";

  private PrinterColumns() {}
}
