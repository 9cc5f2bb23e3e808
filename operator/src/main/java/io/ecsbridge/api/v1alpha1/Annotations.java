package io.ecsbridge.api.v1alpha1;

/** The annotations users set on ecs-bridge custom resources to ask for something now. */
public final class Annotations {
  /** Any new value: reconcile at once (also retries a Stalled resource); echoed in status.lastHandledReconcileAt. */
  public static final String RECONCILE_REQUESTED_AT = "ecsbridge.io/reconcile-requested-at";
  /** EcsService, any new value: force a new deployment; echoed in status.lastHandledRedeployAt. */
  public static final String REDEPLOY_REQUESTED_AT = "ecsbridge.io/redeploy-requested-at";
  /**
   * EcsService, any new value: roll back the service deployment in progress (StopServiceDeployment, stopType
   * ROLLBACK), once per value; echoed in status.lastHandledRollbackAt.
   */
  public static final String ROLLBACK_REQUESTED_AT = "ecsbridge.io/rollback-requested-at";

  private Annotations() {}
}
