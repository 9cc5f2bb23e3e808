package io.ecsbridge.kinds.ecs;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.aws.ServiceDeploymentGateway;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Rollback;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;

/**
 * The service deployments of a BLUE_GREEN, LINEAR or CANARY service: when to read them, what status keeps of the
 * current one ({@code status.rollout}) and what is told of it. A ROLLING service keeps its health from
 * DescribeServices' {@code deployments[]} ({@link Rollout}), as before these strategies existed.
 *
 * <p>Read only while a deployment is not finished: the current one (DescribeServices' {@code
 * currentServiceDeployment}, else the newest of ListServiceDeployments) is described when status holds none yet,
 * when the one it holds is not finished, when ECS names another one as current, or after a write of the pass. A
 * service in sync after a finished deployment reads no deployment API: its verdict is judged on what status kept.
 */
final class ServiceDeployments {
  private final ServiceDeploymentGateway gateway;

  ServiceDeployments(ServiceDeploymentGateway gateway) {
    this.gateway = gateway;
  }

  /** Whether the service's health comes from its service deployments: the ECS controller, a staged strategy. */
  static boolean staged(EcsServiceSpec spec) {
    return ServiceRequest.controller(spec).equals("ECS") && spec.deploymentConfiguration != null
        && spec.deploymentConfiguration.strategy != null
        && !"ROLLING".equals(spec.deploymentConfiguration.strategy.name());
  }

  /** Whether the current deployment is to be read: none kept, the kept one not finished, or ECS names another. */
  static boolean due(EcsServiceStatus status, Service service) {
    EcsServiceStatus.ServiceDeploymentStatus kept = status.rollout;
    if (kept == null || !DeploymentHealth.finished(kept.status)) {
      return true;
    }
    String current = service.currentServiceDeployment();
    return current != null && !current.equals(kept.serviceDeploymentArn);
  }

  /** The service's current deployment: DescribeServices names it, else the newest listed; empty when none. */
  Optional<ServiceDeployment> read(String region, String cluster, Service service) {
    String arn = service.currentServiceDeployment();
    if (arn == null) {
      arn = gateway.list(region, cluster, service.serviceName()).stream().findFirst()
          .map(ServiceDeploymentBrief::serviceDeploymentArn).orElse(null);
    }
    return arn == null ? Optional.empty() : gateway.describe(region, arn);
  }

  /**
   * The rollout's verdict of a staged service after the pass's writes: the deployment read before them (null: none
   * read), read again when the pass wrote (the answer may name a new one) or when it is due; else the one status
   * kept. Records what was read in status and returns the sentences to tell. No deployment known: the rolling
   * verdict of {@code deployments[]}. A write that {@code started} a deployment (the PRIMARY changed) while ECS still
   * names the finished one as current is Reconciling until ECS names the new one.
   */
  Judged judge(EcsServiceStatus status, String region, String cluster, Service current, ServiceDeployment read,
      boolean wrote, boolean started, String wanted, Supplier<Rollout.Verdict> rolling) {
    ServiceDeployment d = read;
    if (wrote || (d == null && due(status, current))) {
      d = read(region, cluster, current).orElse(d);
    }
    if (started && d != null && status.rollout != null && DeploymentHealth.finished(d.statusAsString())
        && Objects.equals(status.rollout.serviceDeploymentArn, d.serviceDeploymentArn())) {
      // the write started a deployment that ECS does not name yet: the finished one says nothing of it
      return new Judged(new Rollout.Verdict(Health.progressing("RolloutInProgress",
          "ECS service " + current.serviceName() + " is starting a new deployment"), true, null), List.of());
    }
    List<String> told = d == null ? List.of() : record(status, d, current.serviceName());
    if (d == null) {
      d = fromStatus(status.rollout);
    }
    Rollout.Verdict verdict = d == null ? rolling.get() : DeploymentHealth.assess(d, current, wanted);
    status.rolloutPhase = d == null ? null : DeploymentHealth.phase(d);
    return new Judged(verdict, told);
  }

  record Judged(Rollout.Verdict verdict, List<String> told) {}

  /** A staged service's current deployment before any write, when a read is due (null: not staged, not due, none). */
  ServiceDeployment readIfDue(EcsService resource, String region, String cluster,
      Service service) {
    return staged(resource.getSpec()) && due(resource.getStatus(), service)
        ? read(region, cluster, service).orElse(null) : null;
  }

  /** A staged service's deployment as status kept it (null: not staged, or none kept). */
  static ServiceDeployment kept(EcsService resource) {
    return staged(resource.getSpec()) ? fromStatus(resource.getStatus().rollout) : null;
  }

  /** A staged service's verdict after the pass ({@link #judge}), each stage and the end told in a Normal Event. */
  RolloutMemory.Verdict verdict(EcsService resource, EcsServiceReconciler.LiveService live,
      EventRecorder events) {
    EcsServiceStatus status = resource.getStatus();
    String wanted = live.place.taskDefinition();
    Judged judged = judge(status, live.place.region(), live.place.cluster(), live.current, live.deployment,
        live.wrote(),
        !live.created && !Objects.equals(primaryId(live.read), primaryId(live.current)), wanted,
        () -> Rollout.assess(live.current, wanted, status.lastDeploymentId, status.previousTaskDefinition));
    judged.told().forEach(t -> events.normal(resource, "ServiceDeployment", ShortNames.shorten(t)));
    return RolloutMemory.verdict(status, judged.verdict(), true, live.before, live.wrote());
  }

  private static String primaryId(Service service) {
    return service.deployments().stream().filter(d -> "PRIMARY".equals(d.status()))
        .map(Deployment::id).findFirst().orElse(null);
  }

  /** A rolling (or another controller's) service: {@code deployments[]} as before; the column from its PRIMARY. */
  static RolloutMemory.Verdict rollingVerdict(EcsServiceStatus status, EcsServiceReconciler.LiveService live,
      boolean ecsController) {
    status.rollout = null;
    status.rolloutPhase = live.current.deployments().stream().filter(d -> "PRIMARY".equals(d.status()))
        .map(d -> d.rolloutStateAsString()).findFirst().orElse(null);
    return RolloutMemory.verdict(status, live.current, ecsController, live.before, live.wrote());
  }

  /** StopServiceDeployment, stopType ROLLBACK. */
  void rollBack(String region, String serviceDeploymentArn) {
    gateway.rollBack(region, serviceDeploymentArn);
  }

  /**
   * Keeps the deployment in status and says what changed since the last one kept, one sentence per Normal Event:
   * a new deployment, a stage entered, the end.
   */
  static List<String> record(EcsServiceStatus status, ServiceDeployment d, String service) {
    EcsServiceStatus.ServiceDeploymentStatus before = status.rollout;
    EcsServiceStatus.ServiceDeploymentStatus now = toStatus(d);
    status.rollout = now;
    List<String> told = new ArrayList<>();
    boolean same = before != null && Objects.equals(before.serviceDeploymentArn, now.serviceDeploymentArn);
    String what = "Service deployment " + DeploymentHealth.id(now.serviceDeploymentArn)
        + (now.strategy == null ? "" : " (" + now.strategy + ")") + " of ECS service " + service;
    if (same && DeploymentHealth.finished(before.status)) {
      return told;
    }
    if (now.lifecycleStage != null && !DeploymentHealth.finished(now.status)
        && !(same && Objects.equals(before.lifecycleStage, now.lifecycleStage))) {
      told.add(what + ": stage " + now.lifecycleStage + DeploymentHealth.traffic(d.targetServiceRevision()));
    }
    if (DeploymentHealth.finished(now.status)) {
      told.add(what + " ended " + now.status + (now.statusReason == null || now.statusReason.isBlank() ? ""
          : ": " + now.statusReason));
    }
    return told;
  }

  /** The deployment status kept, as the SDK's object again (what a pass that reads nothing judges). */
  static ServiceDeployment fromStatus(EcsServiceStatus.ServiceDeploymentStatus kept) {
    if (kept == null) {
      return null;
    }
    return ServiceDeployment.builder().serviceDeploymentArn(kept.serviceDeploymentArn).status(kept.status)
        .statusReason(kept.statusReason).lifecycleStage(kept.lifecycleStage)
        .deploymentConfiguration(kept.strategy == null ? null : c -> c.strategy(kept.strategy))
        .rollback(kept.rollbackReason == null ? null : Rollback.builder().reason(kept.rollbackReason).build())
        .targetServiceRevision(kept.targetServiceRevision == null ? null : revision(kept.targetServiceRevision))
        .build();
  }

  static EcsServiceStatus.ServiceDeploymentStatus toStatus(ServiceDeployment d) {
    EcsServiceStatus.ServiceDeploymentStatus s = new EcsServiceStatus.ServiceDeploymentStatus();
    s.serviceDeploymentArn = d.serviceDeploymentArn();
    s.strategy = d.deploymentConfiguration() == null ? null : d.deploymentConfiguration().strategyAsString();
    s.status = d.statusAsString();
    s.statusReason = d.statusReason();
    s.lifecycleStage = d.lifecycleStageAsString();
    s.targetServiceRevision = d.targetServiceRevision() == null ? null : revision(d.targetServiceRevision());
    s.sourceServiceRevisions = d.sourceServiceRevisions().isEmpty() ? null
        : d.sourceServiceRevisions().stream().map(ServiceDeployments::revision).toList();
    s.rollbackReason = d.rollback() == null ? null : d.rollback().reason();
    s.startedAt = text(d.startedAt());
    s.finishedAt = text(d.finishedAt());
    return s;
  }

  private static EcsServiceStatus.ServiceRevision revision(ServiceRevisionSummary r) {
    EcsServiceStatus.ServiceRevision s = new EcsServiceStatus.ServiceRevision();
    s.arn = r.arn();
    s.requestedTaskCount = r.requestedTaskCount();
    s.runningTaskCount = r.runningTaskCount();
    s.pendingTaskCount = r.pendingTaskCount();
    s.requestedProductionTrafficWeight = r.requestedProductionTrafficWeight();
    s.requestedTestTrafficWeight = r.requestedTestTrafficWeight();
    return s;
  }

  private static ServiceRevisionSummary revision(EcsServiceStatus.ServiceRevision r) {
    return ServiceRevisionSummary.builder().arn(r.arn).requestedTaskCount(r.requestedTaskCount)
        .runningTaskCount(r.runningTaskCount).pendingTaskCount(r.pendingTaskCount)
        .requestedProductionTrafficWeight(r.requestedProductionTrafficWeight)
        .requestedTestTrafficWeight(r.requestedTestTrafficWeight).build();
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
