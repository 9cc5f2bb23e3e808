package io.ecsbridge.kinds.ecs;

import io.ecsbridge.status.Health;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/**
 * What a service's deployments say about its health, as ECS-NOTES.md describes them (pure: no AWS, no Kubernetes).
 * <ul>
 *   <li>Ready: service ACTIVE, a single deployment, PRIMARY COMPLETED on the expected task definition,
 *       running == desired.</li>
 *   <li>Reconciling (RolloutInProgress, look again shortly): PRIMARY IN_PROGRESS.</li>
 *   <li>Stalled: PRIMARY FAILED (RolloutFailed), or a circuit-breaker rollback (RolledBack): the PRIMARY runs another
 *       task definition than the one applied and says it rolls back, or the deployment we started is FAILED, or it is
 *       gone and the PRIMARY runs the task definition that was live before our update. After a rollback the service
 *       looks stable (one COMPLETED deployment, running == desired): it is still not Ready, because it does not run
 *       what the spec asks for.</li>
 *   <li>Our deployment gone and the PRIMARY on yet another task definition is no rollback: someone changed it outside
 *       (UpdatePending, or the state of that deployment), and the operator puts the spec's back.</li>
 * </ul>
 */
public final class Rollout {
  /** How soon to look again while ECS is rolling out. */
  public static final Duration POLL = Duration.ofSeconds(2);
  /**
   * How soon the pass whose CreateService or UpdateService started a rollout looks at it first (then every
   * {@link #POLL}): a rollout that ends within a second is seen Ready a second sooner, for one more read per rollout.
   */
  public static final Duration FIRST_LOOK = Duration.ofSeconds(1);
  /** How soon to look again while tasks start or stop after a change of desiredCount (no rollout). */
  public static final Duration SCALING_POLL = Duration.ofSeconds(15);

  private Rollout() {}

  /**
   * The verdict, whether ECS is moving (look again after {@link #POLL}, or {@link #FIRST_LOOK} after the pass's own
   * write), and the task definition whose rollout failed
   * (null unless the verdict is a failed rollout or a rollback).
   */
  public record Verdict(Health health, boolean moving, String failedTaskDefinition) {
    public Optional<Duration> requeue() {
      return requeue(false);
    }

    /** @param started the pass's own CreateService or UpdateService was answered: a rollout is looked at sooner */
    public Optional<Duration> requeue(boolean started) {
      if (moving) {
        return Optional.of(started ? FIRST_LOOK : POLL);
      }
      return "Scaling".equals(health.reason()) ? Optional.of(SCALING_POLL) : Optional.empty();
    }

    static Verdict of(Health health) {
      return new Verdict(health, false, null);
    }
  }

  /**
   * @param expectedTaskDefinition the task definition ARN the spec asks for (null: any, e.g. an external controller)
   * @param startedDeploymentId the id of the deployment our last CreateService/UpdateService started (may be null)
   * @param previousTaskDefinition the task definition that was live before our last UpdateService changed it (null:
   *     unknown), where a circuit-breaker rollback returns to
   */
  public static Verdict assess(Service service, String expectedTaskDefinition, String startedDeploymentId,
      String previousTaskDefinition) {
    String name = service.serviceName();
    if (!"ACTIVE".equals(service.status())) {
      return new Verdict(Health.progressing("ServiceNotActive", "ECS service " + name + " is " + service.status()),
          false, null);
    }
    String controller = service.deploymentController() == null ? "ECS"
        : service.deploymentController().typeAsString();
    if (!"ECS".equals(controller)) {
      return assessTaskSets(service, controller);
    }
    List<Deployment> deployments = service.deployments();
    Deployment primary = deployments.stream().filter(d -> "PRIMARY".equals(d.status())).findFirst().orElse(null);
    if (primary == null) {
      return new Verdict(Health.progressing("RolloutInProgress", "ECS service " + name + " has no PRIMARY deployment "
          + "yet"), true, null);
    }
    String reason = primary.rolloutStateReason() == null ? "" : primary.rolloutStateReason();
    boolean onExpected = expectedTaskDefinition == null
        || expectedTaskDefinition.equals(primary.taskDefinition());
    Deployment started = startedDeploymentId == null ? null
        : deployments.stream().filter(d -> startedDeploymentId.equals(d.id())).findFirst().orElse(null);

    if (!onExpected) {
      boolean rollingBack = reason.toLowerCase(Locale.ROOT).contains("rolling back");
      boolean startedFailed = started != null && "FAILED".equals(started.rolloutStateAsString());
      boolean backToPrevious = startedDeploymentId != null && started == null && previousTaskDefinition != null
          && previousTaskDefinition.equals(primary.taskDefinition());
      if (rollingBack || startedFailed || backToPrevious) {
        String failedReason = started != null && started.rolloutStateReason() != null ? started.rolloutStateReason()
            : reason;
        return new Verdict(Health.stalled("RolledBack", "The rollout of " + expectedTaskDefinition
            + " failed and ECS rolled back to " + primary.taskDefinition()
            + (failedReason.isEmpty() ? "" : ": " + failedReason)), false, expectedTaskDefinition);
      }
    }
    if ("FAILED".equals(primary.rolloutStateAsString())) {
      return new Verdict(Health.stalled("RolloutFailed", reason.isEmpty() ? "ECS deployment " + primary.id()
          + " failed" : reason), false, primary.taskDefinition());
    }
    if ("IN_PROGRESS".equals(primary.rolloutStateAsString())) {
      return new Verdict(Health.progressing("RolloutInProgress", "Deployment " + primary.id() + " of "
          + primary.taskDefinition() + " in progress: " + count(primary.runningCount()) + "/"
          + count(primary.desiredCount()) + " running" + (reason.isEmpty() ? "" : " (" + reason + ")")), true, null);
    }
    if (!onExpected) {
      // the operator has not applied the expected task definition (yet): not Ready, and nothing moves by itself
      return Verdict.of(Health.progressing("UpdatePending", "ECS service " + name + " runs "
          + primary.taskDefinition() + ", not " + expectedTaskDefinition));
    }
    if (deployments.size() > 1) {
      return new Verdict(Health.progressing("RolloutInProgress", "ECS service " + name + " is draining "
          + (deployments.size() - 1) + " older deployment(s)"), true, null);
    }
    if (!Objects.equals(count(service.runningCount()), count(service.desiredCount()))) {
      return Verdict.of(Health.progressing("Scaling", "ECS service " + name + " runs " + count(service.runningCount())
          + " of " + count(service.desiredCount()) + " tasks"));
    }
    return Verdict.of(Health.ready("RolloutComplete", "ECS service " + name + " runs " + primary.taskDefinition()
        + " with " + count(service.runningCount()) + "/" + count(service.desiredCount()) + " tasks"));
  }

  /** CODE_DEPLOY and EXTERNAL controllers: health from the task sets, or ACTIVE when there are none. */
  private static Verdict assessTaskSets(Service service, String controller) {
    List<TaskSet> sets = service.taskSets();
    String name = service.serviceName();
    if (sets.isEmpty()) {
      return Verdict.of(Health.ready("Active", "ECS service " + name + " is ACTIVE (deployments by " + controller
          + ")"));
    }
    boolean steady = sets.size() == 1 && "PRIMARY".equals(sets.get(0).status())
        && "STEADY_STATE".equals(sets.get(0).stabilityStatusAsString());
    if (steady) {
      return Verdict.of(Health.ready("Active", "ECS service " + name + " task set " + sets.get(0).id()
          + " is in steady state (deployments by " + controller + ")"));
    }
    return new Verdict(Health.progressing("RolloutInProgress", "ECS service " + name + " has " + sets.size()
        + " task set(s) stabilizing (deployments by " + controller + ")"), true, null);
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }
}
