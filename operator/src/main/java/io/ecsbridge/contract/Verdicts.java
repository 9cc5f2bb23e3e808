package io.ecsbridge.contract;

import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.ecsbridge.status.EventRecorder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Verdicts every kind reaches the same way, and how a verdict compares with the one status already shows. */
public final class Verdicts {
  private Verdicts() {}

  /** ObserveOnly never creates: the verdict when the resource does not exist. */
  public static Health notFound(String what, String where) {
    return Health.stalled("NotFound", what + " does not exist in " + where
        + " (managementPolicy: ObserveOnly never creates it)");
  }

  /** The verdict of ObserveOnly (which never writes): Ready when AWS matches the spec, else Stalled OutOfSync. */
  public static Health observed(String what, List<Change> changes) {
    return observedFields(what, changes.stream().map(Change::field).distinct().toList());
  }

  /** The same verdict from the names of the fields that differ. */
  public static Health observedFields(String what, Collection<String> fields) {
    if (fields.isEmpty()) {
      return Health.ready("Observed", what + " matches the spec (ObserveOnly)");
    }
    return Health.stalled("OutOfSync", what + " differs from the spec in " + String.join(", ", fields)
        + " (managementPolicy: ObserveOnly never writes)");
  }

  /** The Stalled condition when it is True. */
  public static Optional<Condition> stalled(AwsResourceStatus status) {
    return status == null ? Optional.empty() : Conditions.find(status.getConditions(), Conditions.STALLED)
        .filter(c -> "True".equals(c.getStatus()));
  }

  /**
   * Whether a Stalled verdict repeats the one status showed before the pass, for the same generation and reconcile
   * request: then it is not told again.
   */
  public static boolean repeats(Optional<Condition> before, Health health, long generation, boolean sameRequest) {
    return before.isPresent() && sameRequest && Objects.equals(before.get().getReason(), health.reason())
        && Objects.equals(before.get().getMessage(), Conditions.message(health.message()))
        && Objects.equals(before.get().getObservedGeneration(), generation);
  }

  /** Whether status already shows this verdict (its condition True with the same reason and message). */
  public static boolean shows(AwsResourceStatus status, Health health) {
    String type = health.state() == Health.State.STALLED ? Conditions.STALLED
        : health.state() == Health.State.PROGRESSING ? Conditions.RECONCILING : Conditions.READY;
    return Conditions.find(status.getConditions(), type)
        .filter(c -> "True".equals(c.getStatus()) && Objects.equals(c.getReason(), health.reason())
            && Objects.equals(c.getMessage(), Conditions.message(health.message())))
        .isPresent();
  }

  /**
   * A Stalled verdict is told in a Warning Event when it begins, when its reason or message changes, and when it is
   * reached again for a new generation or a reconcile request: once per episode, not once per look.
   */
  static void announceStalled(EventRecorder events, HasMetadata resource, Optional<Condition> before, Health health,
      long generation, boolean sameRequest) {
    if (health.state() == Health.State.STALLED && !repeats(before, health, generation, sameRequest)) {
      events.warning(resource, health.reason(), health.message());
    }
  }

  /**
   * A deletion that waits (services still in a cluster, images in a repository) says so in an Event, once: a Warning
   * when it is Stalled or blocked (only a change elsewhere ends it), else a Normal one.
   */
  static void announceDeleteWait(EventRecorder events, CustomResource<?, ? extends AwsResourceStatus> resource,
      Health health, boolean blocked) {
    if (shows(resource.getStatus(), health)) {
      return;
    }
    if (health.state() == Health.State.STALLED || blocked) {
      events.warning(resource, health.reason(), health.message());
    } else {
      events.normal(resource, health.reason(), health.message());
    }
  }
}
