package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.AwsResourceReconciler;

import static io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT;
import static io.ecsbridge.api.v1alpha1.Annotations.REDEPLOY_REQUESTED_AT;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.contract.AwsResourceReconciler.Result;
import io.ecsbridge.status.Health;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * What an EcsService's status remembers of its rollouts, and the verdict that uses it (no AWS call, no Event): the
 * task definition applied ({@code targetTaskDefinition}) and the redeploy request handled, recorded once ECS answered
 * the CreateService or UpdateService (a terminal refusal counts as handled, a retryable failure does not); the task
 * definition live before ({@code previousTaskDefinition}, where a circuit-breaker rollback returns to), the deployment
 * started and the Service Connect configuration sent; and the task definition whose rollout failed
 * ({@code failedTaskDefinition}), which is not applied again until the task definition changes or a person sets the
 * reconcile-requested-at or redeploy-requested-at annotation.
 */
final class RolloutMemory {
  private RolloutMemory() {}

  /**
   * What a pass knows of failed rollouts before it writes: the failed task definition status keeps ({@code kept}),
   * or what ECS did with the task definition applied before ({@code seen}, null when not judged).
   */
  record Before(String wanted, String kept, Rollout.Verdict seen) {
    /** The task definition not to apply again: the one remembered, or the one whose rollout is seen failed. */
    String failed() {
      return kept != null ? kept : seen != null && wanted.equals(seen.failedTaskDefinition()) ? wanted : null;
    }
  }

  /** A redeploy-requested-at value not handled yet: one forced new deployment. */
  static boolean redeployAsked(EcsService resource) {
    String redeploy = AwsResourceReconciler.annotation(resource, REDEPLOY_REQUESTED_AT);
    return redeploy != null && !redeploy.equals(resource.getStatus().lastHandledRedeployAt);
  }

  /** A redeploy or a reconcile request not handled yet: a person asks to retry a failed task definition. */
  static boolean retryAsked(EcsService resource) {
    String poke = AwsResourceReconciler.annotation(resource);
    return redeployAsked(resource) || poke != null && !poke.equals(resource.getStatus().getLastHandledReconcileAt());
  }

  /**
   * Judges the failed rollout before any write: the remembered failure is kept unless the spec wants another task
   * definition or a person asked to retry ({@link #retryAsked}); with none kept, the rollout of the task definition
   * applied before is judged before re-applying it (a rollback looks stable).
   *
   * @param service the live service (null: being created)
   */
  static Before before(EcsService resource, Service service, String wanted, boolean ecsController) {
    EcsServiceStatus status = resource.getStatus();
    return before(resource, service, wanted, ecsController,
        s -> Rollout.assess(s, wanted, status.lastDeploymentId, status.previousTaskDefinition));
  }

  /** The same, the rollout of the task definition applied before judged by {@code judge} (a staged strategy's). */
  static Before before(EcsService resource, Service service, String wanted, boolean ecsController,
      java.util.function.Function<Service, Rollout.Verdict> judge) {
    EcsServiceStatus status = resource.getStatus();
    boolean retryAsked = retryAsked(resource);
    String failed = status.failedTaskDefinition;
    String kept = failed != null && failed.equals(wanted) && !retryAsked ? failed : null;
    Rollout.Verdict seen = kept == null && service != null && wanted != null && ecsController && !retryAsked
        && wanted.equals(status.targetTaskDefinition) ? judge.apply(service) : null;
    return new Before(wanted, kept, seen);
  }

  /**
   * Makes the CreateService or UpdateService call, then records the task definition and the redeploy request as
   * handled: only once AWS answered (a retryable error leaves them unhandled, and the next pass sends the same again;
   * a terminal refusal counts as handled, so that the Stalled resource waits for a change).
   */
  static Service handled(EcsServiceStatus status, String wanted, String redeploy, Supplier<Service> write) {
    Service answer;
    try {
      answer = write.get();
    } catch (AwsException e) {
      if (!e.retryable()) {
        status.targetTaskDefinition = wanted;
        status.lastHandledRedeployAt = redeploy;
      }
      throw e;
    }
    status.targetTaskDefinition = wanted;
    status.lastHandledRedeployAt = redeploy;
    return answer;
  }

  /** After ECS answered a CreateService or UpdateService: the deployment it started. */
  static void started(EcsServiceStatus status, Service answer) {
    status.lastDeploymentId = Optional.ofNullable(primaryId(answer)).orElse(status.lastDeploymentId);
  }

  /** The verdict of a pass, and the failed rollouts it found, each to be told in one Warning Event. */
  record Verdict(Result result, List<Health> warnings) {}

  /**
   * Health from the rollout ({@link Rollout#assess}) of the service as ECS last answered; remembers a task definition
   * whose rollout failed (to be told once) and says that it is not applied again.
   *
   * @param wrote the pass's CreateService or UpdateService was answered: the rollout it started is looked at after
   *     {@link Rollout#FIRST_LOOK}
   */
  static Verdict verdict(EcsServiceStatus status, Service service, boolean ecsController, Before before,
      boolean wrote) {
    return verdict(status, Rollout.assess(service, ecsController ? before.wanted() : null, status.lastDeploymentId,
        status.previousTaskDefinition), ecsController, before, wrote);
  }

  /** The same with the rollout already judged (a staged strategy's service deployment, {@link DeploymentHealth}). */
  static Verdict verdict(EcsServiceStatus status, Rollout.Verdict verdict, boolean ecsController, Before before,
      boolean wrote) {
    String wanted = before.wanted();
    List<Health> warnings = new ArrayList<>();
    status.failedTaskDefinition = before.failed();
    if (status.failedTaskDefinition != null && !status.failedTaskDefinition.equals(before.kept())) {
      warnings.add(notAgain(before.seen().health(), status));
    }
    Health health = verdict.health();
    if (health.state() == Health.State.READY) {
      status.previousTaskDefinition = null; // that rollout is over: no rollback can return to it any more
    }
    if (verdict.failedTaskDefinition() != null
        && !verdict.failedTaskDefinition().equals(status.failedTaskDefinition)) {
      status.failedTaskDefinition = verdict.failedTaskDefinition();
      warnings.add(notAgain(health, status));
    }
    if (ecsController && wanted != null && wanted.equals(status.failedTaskDefinition)
        && health.state() != Health.State.STALLED) {
      health = Health.stalled("RolledBack", "The rollout of " + wanted + " failed earlier");
    }
    // RolloutFailed says exactly what ECS says; a rollback is our finding and says what happens next
    if (health.state() == Health.State.STALLED && status.failedTaskDefinition != null
        && !"RolloutFailed".equals(health.reason())) {
      health = notAgain(health, status);
    }
    // Stalled on a failed revision whatever the rollout under it does (a deployment of the old revision started by a
    // change of another field): nothing to poll for, and a Stalled resource gets no escalation of its polls
    Optional<Duration> requeue = health.state() == Health.State.STALLED ? Optional.empty()
        : verdict.requeue(wrote);
    return new Verdict(new Result(health, requeue), warnings);
  }

  private static Health notAgain(Health health, EcsServiceStatus status) {
    return new Health(health.state(), health.reason(), health.message() + ". " + status.failedTaskDefinition
        + " is not applied again until the task definition changes or a person sets the " + RECONCILE_REQUESTED_AT
        + " or " + REDEPLOY_REQUESTED_AT + " annotation");
  }

  private static String primaryId(Service service) {
    return service.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).map(Deployment::id)
        .findFirst().orElse(null);
  }
}
