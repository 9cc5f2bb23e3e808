package io.ecsbridge.contract;

import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.aws.Lanes.Lane;
import io.ecsbridge.status.Conditions;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The lane of a pass ({@link io.ecsbridge.aws.Lanes}), decided by the frame from what the resource shows before any
 * AWS call: USER when a person asked for something that this pass is the first to handle, RESYNC when the pass only
 * looks again at a resource already in sync (the periodic resync, the start-up pass of an in-sync resource, an event
 * that changed nothing the resource depends on).
 */
final class PassLanes {
  private PassLanes() {}

  /**
   * USER when the resource has no status yet (new), its spec changed since the last pass that saw it
   * (metadata.generation is not status.observedGeneration), its reconcile-requested-at annotation is not yet handled,
   * it is not Ready or is Reconciling (work in flight: a rollout, a retry; Stalled: its rechecks), or the kind tells that a
   * referenced object changed ({@code inputsChanged}: a ConfigMap, Secret or image a task definition uses, a new
   * revision or a redeploy for a service; the frame adds an AwsAccount or Namespace change that asked for this pass,
   * {@link AccountScopes#takeChanged}); else RESYNC. {@code inputsChanged} is asked last, only for a resource
   * otherwise in sync, and must not call AWS.
   */
  static Lane of(AwsResourceStatus status, long generation, String annotation, BooleanSupplier inputsChanged) {
    if (asked(status, generation, annotation)
        || !Conditions.isTrue(status, Conditions.READY)
        || Conditions.isTrue(status, Conditions.RECONCILING)
        || inputsChanged.getAsBoolean()) {
      return Lane.USER;
    }
    return Lane.RESYNC;
  }

  /**
   * A person asked for a pass the resource has not had yet: it has no status (new), its spec changed since the last
   * pass that saw it, or its reconcile-requested-at annotation is not handled yet ({@link ReconcileQueue}'s order).
   */
  static boolean asked(AwsResourceStatus status, long generation, String annotation) {
    return status == null
        || status.getObservedGeneration() == null || status.getObservedGeneration() != generation
        || !Objects.equals(status.getLastHandledReconcileAt(), annotation);
  }
}
