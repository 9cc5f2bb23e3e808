package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.ecsbridge.api.v1alpha1.ContainerDefinition.ImageFrom;
import io.ecsbridge.api.v1alpha1.ContainerDefinition.Severity;
import io.ecsbridge.api.v1alpha1.EcrImageStatus;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcrRepositoryStatus;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus;
import io.ecsbridge.api.v1alpha1.ObjectRef;
import io.ecsbridge.aws.EcrGateway.Image;
import io.ecsbridge.aws.FakeEcrGateway;
import io.ecsbridge.aws.FakeTaskDefinitionGateway;
import io.ecsbridge.contract.AwsResourceReconciler.Result;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** imageFrom: resolution to a digest, the scan gate's severity order and its messages, through a reconciler pass. */
class ImageReferencesTest {

  private static final String URI = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app";
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);

  private final FakeTaskDefinitionGateway ecs = new FakeTaskDefinitionGateway();
  private final FakeEcrGateway ecr = new FakeEcrGateway();
  private final Map<String, EcrRepository> repos = new HashMap<>();
  @SuppressWarnings("unchecked")
  private final Context<EcsTaskDefinition> context = mock(Context.class);
  private final EcsTaskDefinitionReconciler reconciler = new EcsTaskDefinitionReconciler(
      new OperatorContext(mock(EventRecorder.class), Clock.systemUTC(), "op", Duration.ofMinutes(10)), ecs,
      region -> "eu-west-1", namespace -> Set.of(), (c, namespace, name) -> Optional.empty(), null, null,
      new ImageReferences((c, namespace, name) -> Optional.ofNullable(repos.get(namespace + "/" + name)), ecr,
          region -> "eu-west-1"));

  private void repository(String namespace, boolean ready, List<EcrImageStatus> images) {
    EcrRepository repo = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepository
        metadata: {name: app, namespace: %s}
        spec: {}
        """.formatted(namespace), EcrRepository.class);
    repo.setStatus(new EcrRepositoryStatus());
    repo.getStatus().repositoryUri = URI;
    repo.getStatus().images = images;
    Conditions.apply(repo.getStatus(), ready ? Health.ready("Synced", "ok") : Health.progressing("Reconciling", "x"),
        1L, Clock.systemUTC());
    repos.put(namespace + "/app", repo);
  }

  private static EcsTaskDefinition td(String maxSeverity) {
    EcsTaskDefinition r = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsTaskDefinition
        metadata: {name: web, namespace: ns, generation: 1, uid: u1}
        spec:
          containerDefinitions:
          - name: web
            imageFrom: {ecrRepositoryRef: {name: app}, tag: v1%s}
            memory: 128
          - name: sidecar
            image: busybox
            memory: 64
        """.formatted(maxSeverity == null ? "" : ", maxSeverity: " + maxSeverity), EcsTaskDefinition.class);
    r.setStatus(new EcsTaskDefinitionStatus());
    return r;
  }

  private void push(String digest, String scan, Map<String, Integer> findings) {
    ecr.push("app", new Image(digest, List.of("v1"), Instant.now(), scan, findings));
  }

  private Result sync(EcsTaskDefinition r) {
    Result result = reconciler.sync(r, r.getStatus(), context);
    Conditions.apply(r.getStatus(), result.health(), 1L, Clock.systemUTC());
    return result;
  }

  private String registeredImage(long revision, int container) {
    return ecs.families.get("web").get(revision).content.get("containerDefinitions").get(container).get("image")
        .asText();
  }

  @Test
  void aTagResolvesToItsDigestAndARePushIsExactlyOneNewRevision() {
    repository("other", true, null);
    EcsTaskDefinition r = td(null);
    Result missing = sync(r);
    assertThat(missing.health().reason()).isEqualTo("ReferenceNotReady");
    assertThat(missing.health().message()).isEqualTo("EcrRepository app does not exist (imageFrom of container web)");
    assertThat(ecs.calls).as("no AWS call while the repository is missing").isEmpty();

    repository("ns", false, null);
    assertThat(sync(r).health().message()).contains("EcrRepository app is not Ready");

    repository("ns", true, null);
    Result notFound = sync(r);
    assertThat(notFound.health().state()).isEqualTo(Health.State.PROGRESSING);
    assertThat(notFound.health().reason()).isEqualTo("ImageNotFound");
    assertThat(notFound.health().message()).isEqualTo("No image has the tag v1 of EcrRepository app (container web) "
        + "yet; looking again on a backoff");
    assertThat(notFound.requeue()).as("a backoff poll, escalated by the frame").contains(Duration.ofSeconds(2));
    assertThat(ecs.writes).isEmpty();

    push(D1, null, null);
    assertThat(sync(r).health().state()).isEqualTo(Health.State.READY);
    assertThat(registeredImage(1, 0)).isEqualTo(URI + "@" + D1);
    assertThat(registeredImage(1, 1)).isEqualTo("busybox");
    assertThat(ecs.families.get("web").get(1L).content.get("containerDefinitions").get(0).has("imageFrom")).isFalse();
    EcsTaskDefinitionStatus.ImageStatus image = r.getStatus().images.get(0);
    assertThat(List.of(image.container, image.repository, image.tag, image.digest))
        .containsExactly("web", URI, "v1", D1);
    String resolvedAt = image.resolvedAt;

    ecs.writes.clear();
    assertThat(sync(r).health().state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).as("an unchanged resync").isEmpty();
    assertThat(r.getStatus().images.get(0).resolvedAt).as("kept while the digest is the same").isEqualTo(resolvedAt);

    push(D2, null, null);
    assertThat(sync(r).health().state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).containsExactly("RegisterTaskDefinition");
    assertThat(registeredImage(2, 0)).isEqualTo(URI + "@" + D2);
    assertThat(r.getStatus().images.get(0).digest).isEqualTo(D2);
    assertThat(sync(r).health().state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).as("one revision per new digest").containsExactly("RegisterTaskDefinition");
  }

  @Test
  void theScanGateHoldsAVulnerableDigestWaitsForAScanAndStallsWithoutOne() {
    repository("ns", true, null);
    EcsTaskDefinition r = td("MEDIUM");
    push(D1, "COMPLETE", Map.of("LOW", 4, "MEDIUM", 1));
    assertThat(sync(r).health().state()).as("findings at maxSeverity and below pass").isEqualTo(Health.State.READY);
    ecs.writes.clear();

    push(D2, "IN_PROGRESS", Map.of());
    Result pending = sync(r);
    assertThat(pending.health().reason()).isEqualTo("ScanPending");
    assertThat(pending.health().state()).isEqualTo(Health.State.PROGRESSING);
    assertThat(pending.requeue()).contains(Duration.ofSeconds(2));

    push(D2, "COMPLETE", Map.of("HIGH", 2, "CRITICAL", 1, "LOW", 3));
    Result vulnerable = sync(r);
    assertThat(vulnerable.health().state()).isEqualTo(Health.State.STALLED);
    assertThat(vulnerable.health().reason()).isEqualTo("ImageVulnerable");
    assertThat(vulnerable.health().message()).isEqualTo("The image " + D2 + " (tag v1 of EcrRepository app (container "
        + "web)) has findings above maxSeverity MEDIUM: CRITICAL 1, HIGH 2, LOW 3; not rolled out, services stay on "
        + "the current revision");
    assertThat(ecs.writes).as("no new revision for a held digest").isEmpty();
    assertThat(r.getStatus().images.get(0).digest).as("status.images: the current revision's").isEqualTo(D1);

    push(D2, null, Map.of());
    Result unscanned = sync(r);
    assertThat(unscanned.health().reason()).isEqualTo("ScanUnavailable");
    assertThat(unscanned.health().message()).contains("has no scan, so maxSeverity MEDIUM cannot be checked");
    push(D2, "FAILED", Map.of());
    assertThat(sync(r).health().message()).contains("has scan status FAILED");
    assertThat(ecs.writes).isEmpty();
  }

  @Test
  void anInSyncTaskDefinitionWithImageFromLooksAtItsTagsAgainOnTheTagPoll() {
    EcsTaskDefinitionReconciler polling = new EcsTaskDefinitionReconciler(
        new OperatorContext(mock(EventRecorder.class), Clock.systemUTC(), "op", Duration.ofMinutes(10)), ecs,
        region -> "eu-west-1", namespace -> Set.of(), (c, namespace, name) -> Optional.empty(), null, null,
        new ImageReferences((c, namespace, name) -> Optional.ofNullable(repos.get(namespace + "/" + name)), ecr,
            region -> "eu-west-1", Duration.ofMinutes(1)));
    repository("ns", true, null);
    push(D1, "COMPLETE", Map.of());
    EcsTaskDefinition r = td(null);
    Result created = polling.sync(r, r.getStatus(), context);
    assertThat(created.health().state()).isEqualTo(Health.State.READY);
    assertThat(created.requeue()).as("ECR sends no event on a push: the tag is looked at again")
        .contains(Duration.ofMinutes(1));
    assertThat(sync(r).requeue()).as("no tag poll configured: the resync only").isEmpty();
  }

  @Test
  void aRepositoryWithoutStatusYetIsNotReadyNotAnError() {
    repository("ns", true, null);
    repos.get("ns/app").setStatus(null); // created a moment ago: the operator has not written its first status yet
    Result waiting = sync(td(null));
    assertThat(waiting.health().reason()).isEqualTo("ReferenceNotReady");
    assertThat(waiting.health().message()).contains("EcrRepository app is not Ready");
    assertThat(ecs.calls).as("no AWS call while the repository is not Ready").isEmpty();
  }

  @Test
  void severitiesAreJudgedInEcrsOrder() {
    Map<String, Integer> counts = Map.of("CRITICAL", 1, "HIGH", 2, "MEDIUM", 3, "LOW", 4, "INFORMATIONAL", 5,
        "UNDEFINED", 6);
    assertThat(ImageReferences.above(counts, Severity.CRITICAL)).isEmpty();
    assertThat(ImageReferences.above(counts, Severity.HIGH)).containsExactly(Map.entry("CRITICAL", 1));
    assertThat(ImageReferences.above(counts, Severity.LOW).keySet()).containsExactly("CRITICAL", "HIGH", "MEDIUM");
    assertThat(ImageReferences.above(counts, Severity.UNDEFINED).keySet())
        .containsExactly("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL");
    assertThat(ImageReferences.above(Map.of("HIGH", 0), Severity.LOW)).as("a zero count").isEmpty();
    assertThat(ImageReferences.above(Map.of("SEVERE", 1), Severity.CRITICAL)).as("unknown: above all")
        .containsOnlyKeys("SEVERE");
    assertThat(ImageReferences.counts(counts))
        .isEqualTo("CRITICAL 1, HIGH 2, MEDIUM 3, LOW 4, INFORMATIONAL 5, UNDEFINED 6");
    ImageFrom from = new ImageFrom();
    from.ecrRepositoryRef = new ObjectRef("app");
    from.tag = "v1";
    assertThat(ImageReferences.gate("web", "app", from, Optional.of(new Image(D1, List.of("v1"), Instant.now(),
        null, null)))).as("no maxSeverity: no gate").isNull();
  }

  @Test
  void aStalledTaskDefinitionIsLookedAtWhenItsRepositoryReportsAnotherDigestForTheTag() {
    EcrImageStatus v1 = new EcrImageStatus();
    v1.imageDigest = D2;
    v1.imageTags = List.of("v1");
    v1.scanStatus = "COMPLETE";
    v1.findingSeverityCounts = Map.of("CRITICAL", 1);
    repository("ns", true, List.of(v1));
    EcsTaskDefinition r = td("HIGH");
    push(D2, "COMPLETE", Map.of("CRITICAL", 1));
    assertThat(sync(r).health().reason()).isEqualTo("ImageVulnerable");
    assertThat(reconciler.inputsChanged(r, context)).as("nothing changed").isFalse();

    EcrImageStatus other = new EcrImageStatus();
    other.imageDigest = D1;
    other.imageTags = List.of("unrelated");
    repository("ns", true, List.of(other, v1));
    assertThat(reconciler.inputsChanged(r, context)).as("another tag pushed").isFalse();

    EcrImageStatus fixed = new EcrImageStatus();
    fixed.imageDigest = D1;
    fixed.imageTags = List.of("v1");
    fixed.scanStatus = "COMPLETE";
    v1.imageTags = null;
    repository("ns", true, List.of(fixed, v1));
    assertThat(reconciler.inputsChanged(r, context)).as("the tag moved").isTrue();
    push(D1, "COMPLETE", Map.of("HIGH", 1));
    assertThat(sync(r).health().state()).isEqualTo(Health.State.READY);
    assertThat(registeredImage(1, 0)).isEqualTo(URI + "@" + D1);
  }
}
