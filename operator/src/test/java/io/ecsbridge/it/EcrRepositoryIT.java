package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.aws.AwsCallMeter;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.Tag;

/** EcrRepository end to end: the real API server, the operator, moto; both sides checked. */
class EcrRepositoryIT extends OperatorIT {

  private static final String POLICY = """
      {"Version": "2012-10-17", "Statement": [{"Sid": "pull", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}""";

  private EcrRepository repo(String name, String specYaml) {
    return resource(EcrRepository.class, name, specYaml);
  }

  private EcrRepository awaitReady(String name) {
    return awaitReady(EcrRepository.class, name);
  }

  private Repository describe(String name) {
    return aws.ecr().describeRepositories(r -> r.repositoryNames(name)).repositories().get(0);
  }

  private Map<String, String> tags(String arn) {
    return aws.ecr().listTagsForResource(r -> r.resourceArn(arn)).tags().stream()
        .collect(Collectors.toMap(Tag::key, Tag::value));
  }

  @Test
  void createsTheRepositoryAndReportsEveryStatusField() {
    create(repo("shop", """
        repositoryName: team/shop
        imageTagMutability: IMMUTABLE
        imageScanningConfiguration: {scanOnPush: true}
        lifecyclePolicy:
          rules:
          - rulePriority: 1
            description: keep ten releases
            selection: {tagStatus: tagged, tagPrefixList: [v], countType: imageCountMoreThan, countNumber: 10}
        repositoryPolicy: %s
        tags: {team: payments}
        """.formatted(POLICY.replace("\n", " "))));

    EcrRepository ready = awaitReady("shop");
    Repository live = describe("team/shop");
    assertThat(ready.getStatus().arn).isEqualTo(live.repositoryArn());
    assertThat(ready.getStatus().registryId).isEqualTo(live.registryId());
    assertThat(ready.getStatus().repositoryUri).isEqualTo(live.repositoryUri()).endsWith("/team/shop");
    assertThat(ready.getStatus().createdAt).isNotBlank();
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(ready.getStatus().getConditions()).extracting(Condition::getType)
        .containsExactlyInAnyOrder(Conditions.READY, Conditions.RECONCILING, Conditions.STALLED);
    assertThat(ready.getStatus().getConditions()).allSatisfy(c -> {
      assertThat(c.getObservedGeneration()).isEqualTo(1L);
      assertThat(c.getLastTransitionTime()).isNotBlank();
    });
    assertThat(isTrue(ready, Conditions.RECONCILING)).isFalse();
    assertThat(isTrue(ready, Conditions.STALLED)).isFalse();

    assertThat(live.imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE);
    assertThat(live.imageScanningConfiguration().scanOnPush()).isTrue();
    assertThat(tags(live.repositoryArn())).containsEntry("team", "payments")
        .containsEntry(Ownership.TAG, OWNER_INSTANCE + "/" + namespace + "/shop");
    assertThat(aws.ecr().getLifecyclePolicy(r -> r.repositoryName("team/shop")).lifecyclePolicyText())
        .contains("keep ten releases");
    assertThat(aws.ecr().getRepositoryPolicy(r -> r.repositoryName("team/shop")).policyText())
        .contains("ecr:BatchGetImage");
    assertThat(hasEvent(ready, "Created")).isTrue();
    // a new repository is created before anything is read (ECR refuses the create of a name that exists): one
    // CreateRepository, then the two policies it has; nothing read and no error on the way
    assertThat(awsCalls("ecr", "CreateRepository")).isEqualTo(1);
    assertThat(awsCalls("ecr", "DescribeRepositories")).as("no read before the create").isZero();
    assertThat(AwsCallMeter.count(operator.registry(), "ecr", null, "client_error")).as("ECR errors of a clean create")
        .isZero();
  }

  @Test
  void updatesEveryMutableFieldAndSaysSo() {
    EcrRepository created = create(repo("upd", """
        lifecyclePolicy:
          rules:
          - rulePriority: 1
            selection: {tagStatus: untagged, countType: sinceImagePushed, countUnit: days, countNumber: 14}
        repositoryPolicy: %s
        tags: {team: payments, stage: dev}
        """.formatted(POLICY.replace("\n", " "))));
    awaitReady("upd");
    String arn = describe("upd").repositoryArn();

    edit(created, r -> {
      var spec = ((EcrRepository) r).getSpec();
      spec.imageTagMutability = io.ecsbridge.api.v1alpha1.EcrRepositorySpec.ImageTagMutability.IMMUTABLE;
      spec.imageScanningConfiguration = new io.ecsbridge.api.v1alpha1.EcrRepositorySpec.ImageScanningConfiguration();
      spec.imageScanningConfiguration.scanOnPush = true;
      spec.lifecyclePolicy.rules.get(0).selection.countNumber = 7;
      spec.repositoryPolicy = null;
      spec.tags = Map.of("team", "checkout", "owner", "alice");
      return r;
    });

    eventually().untilAsserted(() -> {
      Repository live = describe("upd");
      assertThat(live.imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE);
      assertThat(live.imageScanningConfiguration().scanOnPush()).isTrue();
      assertThat(aws.ecr().getLifecyclePolicy(r -> r.repositoryName("upd")).lifecyclePolicyText())
          .contains("\"countNumber\":7");
      assertThat(tags(arn)).containsEntry("team", "checkout").containsEntry("owner", "alice")
          .doesNotContainKey("stage").containsKey(Ownership.TAG);
      assertThat(org.assertj.core.api.Assertions.catchThrowable(
          () -> aws.ecr().getRepositoryPolicy(r -> r.repositoryName("upd"))))
          .isInstanceOf(RepositoryPolicyNotFoundException.class);
    });
    EcrRepository ready = awaitReady("upd");
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(2L);
    assertThat(events(ready)).filteredOn(e -> "Updated".equals(e.getReason())).extracting(e -> e.getMessage())
        .anyMatch(m -> m.contains("imageTagMutability")).anyMatch(m -> m.contains("scanOnPush"))
        .anyMatch(m -> m.contains("lifecycle policy")).anyMatch(m -> m.contains("repository policy"))
        .anyMatch(m -> m.contains("Tagged")).anyMatch(m -> m.contains("Removed tags"));

    // removing the lifecycle policy deletes it in ECR
    edit(ready, r -> {
      ((EcrRepository) r).getSpec().lifecyclePolicy = null;
      return r;
    });
    eventually().untilAsserted(() -> assertThat(org.assertj.core.api.Assertions.catchThrowable(
        () -> aws.ecr().getLifecyclePolicy(r -> r.repositoryName("upd"))))
        .isInstanceOf(LifecyclePolicyNotFoundException.class));
  }

  @Test
  void inSyncResyncsReadButNeverWrite() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    create(repo("steady", """
        imageTagMutability: IMMUTABLE
        lifecyclePolicy:
          rules:
          - rulePriority: 1
            selection: {tagStatus: any, countType: imageCountMoreThan, countNumber: 100}
        repositoryPolicy: %s
        tags: {team: payments}
        """.formatted(POLICY.replace("\n", " "))));
    awaitReady("steady");
    double writes = awsWrites();
    double describes = awsCalls("ecr", "DescribeRepositories");
    double reads = awsCalls("ecr", null) - writes;
    // wait for at least three resyncs
    eventually().until(() -> awsCalls("ecr", "DescribeRepositories") >= describes + 3);
    double resyncs = awsCalls("ecr", "DescribeRepositories") - describes;
    assertThat(awsWrites()).as("write calls during in-sync resyncs").isEqualTo(writes);
    double readsPerResync = (awsCalls("ecr", null) - awsWrites() - reads) / resyncs;
    System.out.printf("AWS calls per in-sync EcrRepository resync: %.1f reads, 0 writes (%d resyncs)%n",
        readsPerResync, (long) resyncs);
    // DescribeRepositories, ListTagsForResource, GetLifecyclePolicy, GetRepositoryPolicy, and one DescribeImages page
    // (status.images: ECR lists images in no order, so the latest are known only by listing them)
    assertThat(readsPerResync).isLessThanOrEqualTo(5.0);
  }

  @Test
  void reportsTheLatestPushedImagesWithTheirScanFindingsAndFollowsATagPushedAgain() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s")); // a push is no event: seen on the next resync
    create(repo("scanned", "imageScanningConfiguration: {scanOnPush: true}"));
    awaitReady("scanned");
    String first = aws.ecr().putImage(r -> r.repositoryName("scanned").imageTag("v1")
        .imageManifest(manifest(1, "CRITICAL=1,HIGH=2"))).image().imageId().imageDigest();
    String clean = aws.ecr().putImage(r -> r.repositoryName("scanned").imageTag("base")
        .imageManifest(manifest(2, null))).image().imageId().imageDigest();

    EcrRepository seen = eventually().until(() -> get(EcrRepository.class, "scanned"), r -> r.getStatus().images != null
        && r.getStatus().images.size() == 2
        && r.getStatus().images.stream().allMatch(i -> "COMPLETE".equals(i.scanStatus)));
    var images = seen.getStatus().images;
    var described = aws.ecr().describeImages(r -> r.repositoryName("scanned")).imageDetails().stream()
        .collect(Collectors.toMap(d -> d.imageDigest(), d -> d));
    assertThat(images).extracting(i -> i.imageDigest).as("newest first").containsExactly(clean, first);
    assertThat(images.get(1).imageTags).containsExactly("v1");
    assertThat(images.get(1).findingSeverityCounts).isEqualTo(Map.of("CRITICAL", 1, "HIGH", 2));
    assertThat(images.get(1).imagePushedAt).isEqualTo(described.get(first).imagePushedAt().toString());
    assertThat(images.get(0).imageTags).containsExactly("base");
    assertThat(images.get(0).findingSeverityCounts).as("a clean image").isNull();
    assertThat(described.get(first).imageScanFindingsSummary().findingSeverityCountsAsStrings())
        .isEqualTo(Map.of("CRITICAL", 1, "HIGH", 2));

    // v1 pushed again: the tag moves to the new digest, the old image stays untagged
    String second = aws.ecr().putImage(r -> r.repositoryName("scanned").imageTag("v1")
        .imageManifest(manifest(3, null))).image().imageId().imageDigest();
    seen = eventually().until(() -> get(EcrRepository.class, "scanned"), r -> r.getStatus().images.size() == 3
        && second.equals(r.getStatus().images.get(0).imageDigest));
    images = seen.getStatus().images;
    assertThat(images.get(0).imageTags).containsExactly("v1");
    assertThat(images).filteredOn(i -> first.equals(i.imageDigest)).singleElement()
        .satisfies(i -> assertThat(i.imageTags).as("the old digest, untagged").isNull());
    assertThat(aws.ecr().describeImages(r -> r.repositoryName("scanned").imageIds(id -> id.imageTag("v1")))
        .imageDetails().get(0).imageDigest()).isEqualTo(second);
    assertThat(awsCalls("ecr", "StartImageScan")).as("the operator starts no scan").isZero();
  }

  /** An OCI manifest: its layer makes the digest; moto's extension reads the scan findings from its annotation. */
  private static String manifest(int layer, String findings) {
    return ("{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\","
        + " \"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\", \"size\": 7023,"
        + " \"digest\": \"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7\"},"
        + " \"layers\": [{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\", \"size\": 32654,"
        + " \"digest\": \"sha256:%064x\"}]%s}").formatted(layer, findings == null ? ""
        : ", \"annotations\": {\"ecsbridge.io/moto-scan-findings\": \"" + findings + "\"}");
  }

  @Test
  void correctsDriftOnResync() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    create(repo("drift", "imageTagMutability: IMMUTABLE\ntags: {team: payments}"));
    awaitReady("drift");
    String arn = describe("drift").repositoryArn();

    aws.ecr().putImageTagMutability(r -> r.repositoryName("drift").imageTagMutability(ImageTagMutability.MUTABLE));
    aws.ecr().tagResource(r -> r.resourceArn(arn).tags(Tag.builder().key("sneaky").value("yes").build()));

    eventually().untilAsserted(() -> {
      assertThat(describe("drift").imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE);
      assertThat(tags(arn)).doesNotContainKey("sneaky").containsEntry("team", "payments");
    });
    eventually().until(() -> hasEvent(get(EcrRepository.class, "drift"), "DriftCorrected"));
  }

  @Test
  void reconcileRequestedAnnotationTriggersAndIsEchoed() {
    create(repo("poke", "imageTagMutability: MUTABLE"));
    EcrRepository ready = awaitReady("poke");
    aws.ecr().putImageTagMutability(r -> r.repositoryName("poke").imageTagMutability(ImageTagMutability.IMMUTABLE));
    annotate(ready, Annotations.RECONCILE_REQUESTED_AT, "2026-11-25T10:00:00Z");
    eventually().until(() -> "2026-11-25T10:00:00Z".equals(
        get(EcrRepository.class, "poke").getStatus().getLastHandledReconcileAt()));
    assertThat(describe("poke").imageTagMutability()).isEqualTo(ImageTagMutability.MUTABLE);
  }

  @Test
  void observeOnlyNotFoundSeesTheRepositoryOnceItExists() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    create(repo("later", "managementPolicy: ObserveOnly\nimageTagMutability: IMMUTABLE"));
    eventually().until(() -> "NotFound".equals(reason(get(EcrRepository.class, "later"), Conditions.STALLED)));
    aws.ecr().createRepository(r -> r.repositoryName("later").imageTagMutability(ImageTagMutability.IMMUTABLE));
    EcrRepository seen = awaitReady("later");
    assertThat(seen.getStatus().arn).isEqualTo(describe("later").repositoryArn());
    assertThat(awsWrites()).as("ObserveOnly write calls").isZero();
  }

  @Test
  void deleteNeverLosesImagesWithoutForceDelete() {
    EcrRepository created = create(repo("images", "imageTagMutability: MUTABLE"));
    awaitReady("images");
    aws.ecr().putImage(r -> r.repositoryName("images").imageTag("v1").imageManifest(MANIFEST));

    k8s.resource(created).inNamespace(namespace).delete();
    eventually().until(() -> "RepositoryNotEmpty".equals(reason(get(EcrRepository.class, "images"),
        Conditions.STALLED)));
    EcrRepository blocked = get(EcrRepository.class, "images");
    assertThat(blocked.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(condition(blocked, Conditions.STALLED).orElseThrow().getMessage()).contains("forceDelete");
    assertThat(events(blocked)).anyMatch(e -> "RepositoryNotEmpty".equals(e.getReason())
        && "Warning".equals(e.getType()) && e.getMessage().contains("forceDelete"));
    assertThat(aws.ecr().listImages(r -> r.repositoryName("images")).imageIds()).hasSize(1);

    edit(blocked, r -> {
      ((EcrRepository) r).getSpec().forceDelete = true;
      return r;
    });
    eventually().until(() -> get(EcrRepository.class, "images") == null);
    assertThatRepositoryAbsent("images");
  }

  @Test
  void terminalAwsErrorStallsWithAwsMessageAndNoHotLoop() throws Exception {
    // resyncs every second: a Stalled resource must not call AWS on them either
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    // an IAM policy whose Effect is invalid: ECR (and moto) refuse it with InvalidParameterException
    create(repo("badpolicy", """
        repositoryPolicy: {"Version": "2012-10-17", "Statement": [{"Effect": "Perhaps", "Principal": "*", "Action": "ecr:*"}]}
        """));
    eventually().until(() -> isTrue(get(EcrRepository.class, "badpolicy"), Conditions.STALLED));
    EcrRepository stalled = get(EcrRepository.class, "badpolicy");
    Condition condition = condition(stalled, Conditions.STALLED).orElseThrow();
    assertThat(condition.getReason()).isEqualTo("InvalidParameter");
    assertThat(isTrue(stalled, Conditions.READY)).isFalse();
    assertThat(events(stalled)).anyMatch(e -> "Warning".equals(e.getType()) && "InvalidParameter".equals(e.getReason()));
    double calls = awsCalls("ecr", "SetRepositoryPolicy");
    // nothing changes: no AWS call on resyncs either, only on the slow stalled backoff (1 min first: see ErrorModelIT)
    org.awaitility.Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> awsCalls("ecr", "SetRepositoryPolicy") == calls);
    assertThat(calls).isEqualTo(1.0);

    // the fix: the spec changes, the operator tries again
    edit(stalled, r -> {
      ((EcrRepository) r).getSpec().repositoryPolicy = null;
      return r;
    });
    awaitReady("badpolicy");
  }

  @Test
  void aPolicyOverEcrsLimitIsStalledAndNothingIsCreated() {
    // moto takes any size; ECR refuses more than 10,240 characters of policy text, which admission cannot measure
    String statements = java.util.stream.IntStream.range(0, 60).mapToObj(i -> """
        {"Sid": "pull%02d", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1234567890%02d:root"},
         "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]}"""
        .formatted(i, i).replace("\n", " ")).collect(Collectors.joining(", "));
    create(repo("bigpolicy", "repositoryPolicy: {\"Version\": \"2012-10-17\", \"Statement\": [%s]}"
        .formatted(statements)));
    eventually().until(() -> isTrue(get(EcrRepository.class, "bigpolicy"), Conditions.STALLED));
    EcrRepository stalled = get(EcrRepository.class, "bigpolicy");
    Condition condition = condition(stalled, Conditions.STALLED).orElseThrow();
    assertThat(condition.getReason()).isEqualTo("PolicyTooLarge");
    assertThat(condition.getMessage()).contains("at most 10240");
    assertThat(events(stalled)).anyMatch(e -> "Warning".equals(e.getType()) && "PolicyTooLarge".equals(e.getReason()));
    assertThatRepositoryAbsent("bigpolicy");
    assertThat(awsWrites()).as("no AWS write at all").isZero();
  }

  @Test
  void transientAwsFailureKeepsReconcilingAndNeverStalls() throws Exception {
    startOperator(s -> s.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9"));
    create(repo("unreachable", "imageTagMutability: MUTABLE"));
    eventually().until(() -> "AwsRetrying".equals(reason(get(EcrRepository.class, "unreachable"),
        Conditions.RECONCILING)));
    EcrRepository retrying = get(EcrRepository.class, "unreachable");
    assertThat(isTrue(retrying, Conditions.RECONCILING)).isTrue();
    assertThat(isTrue(retrying, Conditions.STALLED)).isFalse();
    assertThat(isTrue(retrying, Conditions.READY)).isFalse();

    startOperator(s -> {});
    awaitReady("unreachable");
  }

  @Test
  void restartMidWayLosesNothingAndDuplicatesNothing() throws Exception {
    create(repo("restart", "imageTagMutability: MUTABLE"));
    operator.close();
    operator = null;
    startOperator(s -> {});
    EcrRepository ready = awaitReady("restart");
    String arn = ready.getStatus().arn;

    // while the operator is down, the spec changes and another resource is deleted
    operator.close();
    operator = null;
    edit(ready, r -> {
      ((EcrRepository) r).getSpec().imageTagMutability =
          io.ecsbridge.api.v1alpha1.EcrRepositorySpec.ImageTagMutability.IMMUTABLE;
      return r;
    });
    startOperator(s -> {});
    eventually().until(() -> {
      EcrRepository r = get(EcrRepository.class, "restart");
      return isReady(r) && r.getStatus().getObservedGeneration() == 2L;
    });
    assertThat(describe("restart").imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE);
    assertThat(describe("restart").repositoryArn()).isEqualTo(arn);
    assertThat(aws.ecr().describeRepositories().repositories()).hasSize(1);
    assertThat(events(ready)).filteredOn(e -> "Created".equals(e.getReason())).hasSize(1);

    operator.close();
    operator = null;
    k8s.resource(ready).inNamespace(namespace).delete();
    startOperator(s -> {});
    eventually().until(() -> get(EcrRepository.class, "restart") == null);
    assertThatRepositoryAbsent("restart");
  }

  private void assertThatRepositoryAbsent(String name) {
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> describe(name)))
        .isInstanceOf(RepositoryNotFoundException.class);
  }

  private static final String MANIFEST = """
      {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
       "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023,
                  "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},
       "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 32654,
                   "digest": "sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f"}]}""";
}
