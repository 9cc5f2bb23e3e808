package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsClusterSpec;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus.ImageStatus;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * imageFrom end to end (the real API server, the operator, moto with the project's ECR extension): a tag of an
 * EcrRepository custom resource is registered as {@code <repositoryUri>@<digest>} (read back from moto) and reported in
 * status.images; the tag pushed again registers exactly one new revision, which a service on the taskDefinitionRef
 * rolls out to; a tag not pushed yet is Reconciling ImageNotFound on a backoff (no AWS write) and Ready once pushed;
 * maxSeverity holds a digest with findings above it (Stalled ImageVulnerable, a Warning Event, the service stays on its
 * revision) and waits for a scan in progress (Reconciling ScanPending). The resync period is 10 min: ECR sends no
 * event on a push, so the test stands in for the EcrRepository's resync with its reconcile annotation.
 */
class ImageFromIT extends OperatorIT {

  private static final String RECONCILE = "ecsbridge.io/reconcile-requested-at";

  private static String td(String maxSeverity) {
    return """
        containerDefinitions:
        - name: web
          imageFrom: {ecrRepositoryRef: {name: app}, tag: v1%s}
          memory: 128
        """.formatted(maxSeverity == null ? "" : ", maxSeverity: " + maxSeverity);
  }

  /** An OCI manifest: its layer makes the digest; the moto extension reads scan findings and duration from it. */
  private static String manifest(int layer, String findings, String scanSeconds) {
    StringBuilder annotations = new StringBuilder();
    if (findings != null) {
      annotations.append("\"ecsbridge.io/moto-scan-findings\": \"").append(findings).append('"');
    }
    if (scanSeconds != null) {
      annotations.append(annotations.isEmpty() ? "" : ", ").append("\"ecsbridge.io/moto-scan-seconds\": \"")
          .append(scanSeconds).append('"');
    }
    return ("{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\","
        + " \"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\", \"size\": 7023,"
        + " \"digest\": \"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7\"},"
        + " \"layers\": [{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\", \"size\": 32654,"
        + " \"digest\": \"sha256:%064x\"}]%s}").formatted(layer, annotations.isEmpty() ? ""
        : ", \"annotations\": {" + annotations + "}");
  }

  private String push(int layer, String findings, String scanSeconds) {
    return aws.ecr().putImage(r -> r.repositoryName("app").imageTag("v1")
        .imageManifest(manifest(layer, findings, scanSeconds))).image().imageId().imageDigest();
  }

  private String registeredImage(String arn) {
    return aws.ecs().describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition().containerDefinitions()
        .get(0).image();
  }

  private String repository(boolean scanOnPush) {
    create(resource(EcrRepository.class, "app", "imageScanningConfiguration: {scanOnPush: " + scanOnPush + "}"));
    return awaitReady(EcrRepository.class, "app").getStatus().repositoryUri;
  }

  /** What the EcrRepository's resync does: its reconcile reads the latest images into status.images. */
  private void repositoryResync(String value) {
    annotate(get(EcrRepository.class, "app"), RECONCILE, value);
  }

  private void serviceOnTheTaskDefinition() {
    EcsCluster cluster = new EcsCluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName("prod").build());
    cluster.setSpec(new EcsClusterSpec());
    create(cluster);
    create(resource(EcsService.class, "web", """
        clusterRef: {name: prod}
        taskDefinitionRef: {name: web}
        desiredCount: 1
        launchType: EC2
        """));
  }

  private String serviceTaskDefinition() {
    return aws.ecs().describeServices(r -> r.cluster("prod").services("web")).services().get(0).taskDefinition();
  }

  @Test
  void aRePushIsSeenOnTheTagPollWithoutAnyRequest() throws Exception {
    startOperator(settings -> settings.put("ECSBRIDGE_IMAGE_TAG_POLL", "1s"));
    repository(false);
    push(1, null, null);
    create(resource(EcsTaskDefinition.class, "web", td(null)));
    serviceOnTheTaskDefinition();
    awaitReady(EcsService.class, "web");
    String revision1 = get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn;
    double updates = awsCalls("ecs", "UpdateService");
    long t0 = System.nanoTime();
    String second = push(2, null, null); // no reconcile requested: only the tag poll can see it
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
        .until(() -> awsCalls("ecs", "UpdateService") > updates);
    System.out.printf("tag re-pushed -> UpdateService with ECSBRIDGE_IMAGE_TAG_POLL=1s and nothing requested: %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
    EcsTaskDefinition td = get(EcsTaskDefinition.class, "web");
    assertThat(td.getStatus().taskDefinitionArn).isNotEqualTo(revision1);
    assertThat(td.getStatus().images.get(0).digest).isEqualTo(second);
  }

  @Test
  void aTagIsPinnedToItsDigestAndARePushRollsOutExactlyOneNewRevision() {
    String uri = repository(false);
    String first = push(1, null, null);
    create(resource(EcsTaskDefinition.class, "web", td(null)));
    serviceOnTheTaskDefinition();
    EcsService ready = awaitReady(EcsService.class, "web");
    EcsTaskDefinition td = get(EcsTaskDefinition.class, "web");
    String revision1 = td.getStatus().taskDefinitionArn;
    assertThat(ready.getStatus().taskDefinition).isEqualTo(revision1);
    assertThat(registeredImage(revision1)).isEqualTo(uri + "@" + first);
    ImageStatus image = td.getStatus().images.get(0);
    assertThat(new String[] {image.container, image.repository, image.tag, image.digest})
        .containsExactly("web", uri, "v1", first);
    assertThat(Instant.parse(image.resolvedAt)).isBefore(Instant.now().plusSeconds(1));

    double updates = awsCalls("ecs", "UpdateService");
    double registers = awsCalls("ecs", "RegisterTaskDefinition");
    long t0 = System.nanoTime();
    String second = push(2, null, null);
    repositoryResync("repush");
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> awsCalls("ecs", "UpdateService") > updates);
    long latencyMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("tag re-pushed -> UpdateService: %d ms (the EcrRepository's reconcile requested right after the "
        + "push, standing in for its resync; polled every 10 ms)%n", latencyMs);

    String revision2 = get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn;
    assertThat(revision2).isNotEqualTo(revision1);
    assertThat(registeredImage(revision2)).isEqualTo(uri + "@" + second);
    eventually().until(() -> {
      EcsService s = get(EcsService.class, "web");
      return isReady(s) && revision2.equals(s.getStatus().taskDefinition);
    });
    assertThat(serviceTaskDefinition()).isEqualTo(revision2);
    assertThat(get(EcsTaskDefinition.class, "web").getStatus().images.get(0).digest).isEqualTo(second);
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).as("one new revision").isEqualTo(registers + 1);
    assertThat(awsCalls("ecs", "UpdateService")).as("one rollout").isEqualTo(updates + 1);
    assertThat(hasEvent(get(EcsTaskDefinition.class, "web"), "DriftCorrected")).as("a new digest is Updated").isFalse();

    // an unchanged resync writes nothing (and reads the tag once)
    double writes = awsWrites();
    double describeImages = awsCalls("ecr", "DescribeImages");
    annotate(get(EcsTaskDefinition.class, "web"), RECONCILE, "resync-1");
    eventually().until(() -> "resync-1".equals(get(EcsTaskDefinition.class, "web").getStatus()
        .getLastHandledReconcileAt()));
    assertThat(awsWrites()).as("AWS writes of an unchanged resync").isEqualTo(writes);
    assertThat(awsCalls("ecr", "DescribeImages") - describeImages).as("DescribeImages per pass").isEqualTo(1.0);
  }

  @Test
  void aTagNotPushedYetIsImageNotFoundOnABackoffThenReady() {
    String uri = repository(false);
    create(resource(EcsTaskDefinition.class, "web", td(null)));
    eventually().until(() -> "ImageNotFound".equals(reason(get(EcsTaskDefinition.class, "web"),
        Conditions.RECONCILING)));
    double looks = awsCalls("ecr", "DescribeImages");
    long start = System.nanoTime();
    await().pollDelay(Duration.ofSeconds(6)).until(() -> true);
    double seconds = (System.nanoTime() - start) / 1e9;
    double perSecond = (awsCalls("ecr", "DescribeImages") - looks) / seconds;
    System.out.printf("ImageNotFound: %.2f DescribeImages per second of the task definition over %.1f s%n",
        perSecond, seconds);
    assertThat(perSecond).as("looked at on a backoff, not in a hot loop").isLessThanOrEqualTo(1.0);
    assertThat(awsCalls("ecs", null)).as("no ECS call while the image is not found").isZero();
    assertThat(isReady(get(EcsTaskDefinition.class, "web"))).isFalse();

    String digest = push(1, null, null);
    EcsTaskDefinition td = awaitReady(EcsTaskDefinition.class, "web");
    assertThat(registeredImage(td.getStatus().taskDefinitionArn)).isEqualTo(uri + "@" + digest);
  }

  @Test
  void maxSeverityHoldsAVulnerableDigestAndWaitsForAScanInProgress() {
    String uri = repository(true);
    String clean = push(1, "LOW=2", null);
    create(resource(EcsTaskDefinition.class, "web", td("MEDIUM")));
    serviceOnTheTaskDefinition();
    awaitReady(EcsService.class, "web");
    String revision1 = get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn;
    assertThat(registeredImage(revision1)).isEqualTo(uri + "@" + clean);
    double registers = awsCalls("ecs", "RegisterTaskDefinition");
    double updates = awsCalls("ecs", "UpdateService");

    String vulnerable = push(2, "CRITICAL=1,HIGH=2,LOW=1", null);
    repositoryResync("vulnerable"); // the task definition then polls ECR while the scan is in progress (ScanPending)
    eventually().until(() -> "ImageVulnerable".equals(reason(get(EcsTaskDefinition.class, "web"), Conditions.STALLED)));
    EcsTaskDefinition held = get(EcsTaskDefinition.class, "web");
    String message = condition(held, Conditions.STALLED).get().getMessage();
    assertThat(message).contains(vulnerable).contains("above maxSeverity MEDIUM: CRITICAL 1, HIGH 2, LOW 1");
    assertThat(events(held)).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("ImageVulnerable");
      assertThat(e.getType()).isEqualTo("Warning");
    });
    assertThat(held.getStatus().taskDefinitionArn).isEqualTo(revision1);
    assertThat(held.getStatus().images.get(0).digest).as("the current revision's image").isEqualTo(clean);
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).as("no new revision").isEqualTo(registers);
    assertThat(awsCalls("ecs", "UpdateService")).as("no rollout").isEqualTo(updates);
    assertThat(serviceTaskDefinition()).as("the service stays on its revision").isEqualTo(revision1);

    // a push whose scan is still running: the Stalled task definition is looked at at once (its repository reports
    // another digest for the tag) and waits
    String scanning = push(3, null, "3600");
    repositoryResync("scanning");
    eventually().until(() -> "ScanPending".equals(reason(get(EcsTaskDefinition.class, "web"),
        Conditions.RECONCILING)));
    assertThat(condition(get(EcsTaskDefinition.class, "web"), Conditions.RECONCILING).get().getMessage())
        .contains(scanning).contains("IN_PROGRESS");
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).as("no new revision while scanning").isEqualTo(registers);
    assertThat(serviceTaskDefinition()).isEqualTo(revision1);
  }
}
