package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.Ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcrRepositorySpec;
import io.ecsbridge.api.v1alpha1.EcrRepositoryStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.EcrGateway;
import io.ecsbridge.aws.FakeEcrGateway;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest;
import software.amazon.awssdk.services.ecr.model.PutImageTagMutabilityRequest;
import software.amazon.awssdk.services.ecr.model.Tag;

/** The reconciler's decisions against an in-memory ECR: what it writes, and when it must not. */
class EcrRepositoryReconcilerTest {
  private final FakeEcrGateway ecr = new FakeEcrGateway();
  private final EventRecorder events = mock(EventRecorder.class);
  @SuppressWarnings("unchecked")
  private final Context<EcrRepository> context = mock(Context.class);
  private EcrRepositoryReconciler reconciler;
  /** Status writes, kept in memory instead of the API server. */
  private final io.ecsbridge.status.InMemoryStatusWriter statusWrites = new io.ecsbridge.status.InMemoryStatusWriter();
  private final java.util.List<io.fabric8.kubernetes.api.model.HasMetadata> written = statusWrites.written;


  @BeforeEach
  void setUp() {
    reconciler = new EcrRepositoryReconciler(new OperatorContext(events, Clock.systemUTC(), "op", Duration.ofMinutes(10),
        OperatorContext.DEFAULT_STALLED_RECHECK, statusWrites),
        ecr, region -> region == null ? "eu-west-1" : region);
  }

  private static EcrRepository repo(String spec) {
    EcrRepository r = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepository
        metadata: {name: app, namespace: ns, generation: 1, uid: u1}
        spec:
        %s
        """.formatted(spec.indent(2)), EcrRepository.class);
    r.setStatus(new EcrRepositoryStatus());
    return r;
  }

  private Health sync(EcrRepository r) {
    return reconciler.sync(r, r.getStatus(), context).health();
  }

  @Test
  void createsWithOwnershipTagThenSyncsWithoutWrites() {
    EcrRepository r = repo("""
        imageTagMutability: IMMUTABLE
        lifecyclePolicy:
          rules:
          - {rulePriority: 1, selection: {tagStatus: untagged, countType: imageCountMoreThan, countNumber: 3}}
        repositoryPolicy: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: "*", Action: "ecr:BatchGetImage"}}
        tags: {team: a}
        """);
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecr.writes).containsExactly("CreateRepository", "PutLifecyclePolicy", "SetRepositoryPolicy");
    assertThat(ecr.repos.get("app").tags()).containsEntry(Ownership.TAG, "op/ns/app").containsEntry("team", "a");
    assertThat(r.getStatus().repositoryUri).endsWith("/app");

    ecr.writes.clear();
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecr.writes).as("an in-sync pass writes nothing").isEmpty();
  }

  @Test
  void aNewRepositoryIsCreatedWithOneCallAndReadFromTheNextPassOn() {
    EcrRepository r = repo("imageTagMutability: IMMUTABLE");
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecr.creates).containsExactly("app");
    assertThat(ecr.reads).as("nothing read before the create: ECR refuses it if the name exists").isEmpty();
    verify(events).normal(eq(r), eq("Created"), any());

    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecr.creates).as("a repository in status is read, never created first").containsExactly("app");
    assertThat(ecr.reads("DescribeRepositories")).isEqualTo(1);
  }

  @Test
  void aCreateFirstThatFindsTheNameTakenJudgesTheRepositoryAsIfReadFirst() {
    ecr.create("eu-west-1", CreateRepositoryRequest.builder().repositoryName("app")
        .tags(Tag.builder().key(Ownership.TAG).value("op/other/app").build()).build());
    ecr.writes.clear();
    ecr.creates.clear();
    EcrRepository r = repo("imageTagMutability: IMMUTABLE");
    Health refused = sync(r);
    assertThat(refused.state()).isEqualTo(Health.State.STALLED);
    assertThat(refused.reason()).isEqualTo("OwnedByAnother");
    assertThat(refused.message()).contains("other");
    assertThat(ecr.creates).containsExactly("app");
    assertThat(ecr.writes).as("a refused create changes nothing, and nothing else is written").isEmpty();
    assertThat(ecr.repos.get("app").tags()).containsEntry(Ownership.TAG, "op/other/app");
    assertThat(r.getStatus().arn).as("nothing of another's repository goes to status").isNull();

    io.ecsbridge.status.Conditions.apply(r.getStatus(), refused, 1, Clock.systemUTC()); // as the frame does
    ecr.creates.clear();
    assertThat(sync(r).reason()).isEqualTo("OwnedByAnother");
    assertThat(ecr.creates).as("a Stalled resource's recheck reads first: no refused create again").isEmpty();
  }

  @Test
  void aCreateFirstRefusedByIamStillFindsAndKeepsItsOwnRepository() {
    ecr.create("eu-west-1", CreateRepositoryRequest.builder().repositoryName("app").imageTagMutability("IMMUTABLE")
        .tags(Tag.builder().key(Ownership.TAG).value("op/ns/app").build()).build());
    ecr.writes.clear();
    ecr.createRefusal = new io.ecsbridge.aws.AwsException(io.ecsbridge.aws.AwsException.Kind.TERMINAL,
        "AccessDeniedException", 400, "not authorized to perform: ecr:CreateRepository", null);
    EcrRepository r = repo("imageTagMutability: IMMUTABLE"); // its status lost: recreated from Git, say
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(r.getStatus().arn).endsWith("repository/app");
    assertThat(ecr.writes).isEmpty();
    verify(events, org.mockito.Mockito.never()).normal(eq(r), eq("Created"), any());

    ecr.repos.clear();
    EcrRepository other = repo("imageTagMutability: IMMUTABLE");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sync(other)).as("no repository: the create's refusal stands")
        .isInstanceOf(io.ecsbridge.aws.AwsException.class).hasMessageContaining("ecr:CreateRepository");
    assertThat(ecr.reads("DescribeRepositories")).as("read after the refusal, to find an existing one").isEqualTo(2);
  }

  @Test
  void adoptAndObserveOnlyReadBeforeAnything() {
    EcrRepository adopt = repo("managementPolicy: Adopt");
    assertThat(sync(adopt).state()).isEqualTo(Health.State.READY);
    assertThat(ecr.reads).startsWith("DescribeRepositories");
    assertThat(ecr.creates).containsExactly("app");

    ecr.repos.clear();
    ecr.creates.clear();
    ecr.reads.clear();
    EcrRepository observe = repo("managementPolicy: ObserveOnly");
    assertThat(sync(observe).reason()).isEqualTo("NotFound");
    assertThat(ecr.creates).isEmpty();
    assertThat(ecr.reads).containsExactly("DescribeRepositories");
  }

  @Test
  void anEqualPolicyWrittenDifferentlyInAwsIsNotPutAgain() {
    EcrRepository r = repo("""
        repositoryPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: [a, b]}, Action: [x, y]}]}
        """);
    sync(r);
    ecr.repos.put("app", withPolicy(ecr.repos.get("app"),
        "{\"Statement\":{\"Action\":[\"y\",\"x\"],\"Principal\":{\"AWS\":[\"b\",\"a\"]},\"Effect\":\"Allow\"},"
            + "\"Version\":\"2012-10-17\"}"));
    ecr.writes.clear();
    sync(r);
    assertThat(ecr.writes).isEmpty();
  }

  @Test
  void tagMutabilityExclusionsAreCreatedComparedAsASetAndPutBackWithTheModeInOneCall() {
    EcrRepository r = repo("""
        imageTagMutability: IMMUTABLE_WITH_EXCLUSION
        imageTagMutabilityExclusionFilters: [{filter: latest}, {filter: "dev-*"}]
        """);
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecr.writes).containsExactly("CreateRepository");
    // ECR reports them in another order, with their type: the same
    ecr.putImageTagMutability("eu-west-1", PutImageTagMutabilityRequest.builder().repositoryName("app")
        .imageTagMutability("IMMUTABLE_WITH_EXCLUSION").imageTagMutabilityExclusionFilters(
            f -> f.filter("latest").filterType("WILDCARD"), f -> f.filter("dev-*").filterType("WILDCARD")).build());
    ecr.writes.clear();
    sync(r);
    assertThat(ecr.writes).isEmpty();
    // mode and filters both changed outside: one call puts back both
    ecr.putImageTagMutability("eu-west-1", PutImageTagMutabilityRequest.builder().repositoryName("app")
        .imageTagMutability("MUTABLE").build());
    ecr.writes.clear();
    sync(r);
    assertThat(ecr.writes).containsExactly("PutImageTagMutability");
    var live = ecr.repos.get("app").repository();
    assertThat(live.imageTagMutabilityAsString()).isEqualTo("IMMUTABLE_WITH_EXCLUSION");
    assertThat(live.imageTagMutabilityExclusionFilters()).extracting(f -> f.filter())
        .containsExactlyInAnyOrder("latest", "dev-*");
    // only the filters changed outside: the mode is sent with them
    ecr.putImageTagMutability("eu-west-1", PutImageTagMutabilityRequest.builder().repositoryName("app")
        .imageTagMutability("IMMUTABLE_WITH_EXCLUSION").imageTagMutabilityExclusionFilters(
            f -> f.filter("latest").filterType("WILDCARD")).build());
    ecr.writes.clear();
    sync(r);
    assertThat(ecr.writes).containsExactly("PutImageTagMutability");
    assertThat(ecr.repos.get("app").repository().imageTagMutabilityExclusionFilters()).hasSize(2);
  }

  @Test
  void driftIsPutBackWithADriftEvent() {
    EcrRepository r = repo("imageTagMutability: IMMUTABLE");
    sync(r);
    io.ecsbridge.status.Conditions.apply(r.getStatus(), Health.ready("Synced", ""), 1, Clock.systemUTC());
    ecr.putImageTagMutability("eu-west-1", PutImageTagMutabilityRequest.builder().repositoryName("app")
        .imageTagMutability("MUTABLE").build());
    ecr.repos.get("app").tags().put("extra", "x");
    ecr.writes.clear();
    sync(r);
    assertThat(ecr.writes).containsExactly("PutImageTagMutability", "UntagResource");
    verify(events, org.mockito.Mockito.times(2)).normal(eq(r), eq("DriftCorrected"), any());
  }

  @Test
  void anAdoptedOrObservedRepositoryEncryptedOtherwiseIsNeverReady() {
    ecr.create("eu-west-1", CreateRepositoryRequest.builder().repositoryName("app").build());
    ecr.writes.clear();
    EcrRepository observed = repo("managementPolicy: ObserveOnly\nencryptionConfiguration: {encryptionType: KMS}");
    Health verdict = sync(observed);
    assertThat(verdict.state()).isEqualTo(Health.State.STALLED);
    assertThat(verdict.reason()).isEqualTo("OutOfSync");
    assertThat(verdict.message()).contains("encrypted with AES256", "asks for KMS");
    EcrRepository adopted = repo("managementPolicy: Adopt\nencryptionConfiguration: {encryptionType: KMS}");
    assertThat(sync(adopted).reason()).isEqualTo("EncryptionMismatch");
    assertThat(ecr.writes).isEmpty();
  }

  @Test
  void aForeignRepositoryIsRefusedUnlessAdopted() {
    ecr.create("eu-west-1", CreateRepositoryRequest.builder().repositoryName("app")
        .tags(Tag.builder().key("team").value("other").build()).build());
    ecr.writes.clear();
    EcrRepository r = repo("imageTagMutability: IMMUTABLE");
    Health refused = sync(r);
    assertThat(refused.state()).isEqualTo(Health.State.STALLED);
    assertThat(refused.reason()).isEqualTo("AlreadyExists");
    assertThat(ecr.writes).isEmpty();

    r.getSpec().setManagementPolicy(ManagementPolicy.Adopt);
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecr.repos.get("app").tags()).containsEntry(Ownership.TAG, "op/ns/app").doesNotContainKey("team");
    verify(events).normal(eq(r), eq("Adopted"), any());
  }

  @Test
  void observeOnlyReportsDifferencesWithoutWriting() {
    ecr.create("eu-west-1", CreateRepositoryRequest.builder().repositoryName("app").build());
    ecr.writes.clear();
    EcrRepository r = repo("managementPolicy: ObserveOnly\nimageTagMutability: IMMUTABLE");
    Health h = sync(r);
    assertThat(h.reason()).isEqualTo("OutOfSync");
    assertThat(h.message()).contains("imageTagMutability");
    assertThat(ecr.writes).isEmpty();
  }

  @Test
  void aRepositoryWithImagesIsNotDeletedWithoutForceDelete() {
    EcrRepository r = repo("imageTagMutability: MUTABLE");
    sync(r);
    ecr.images.put("app", 2);
    var result = reconciler.delete(r, r.getStatus(), context);
    assertThat(result.done()).isFalse();
    assertThat(result.health().reason()).isEqualTo("RepositoryNotEmpty");
    assertThat(ecr.repos).containsKey("app");

    r.getSpec().forceDelete = true;
    assertThat(reconciler.delete(r, r.getStatus(), context).done()).isTrue();
    assertThat(ecr.repos).doesNotContainKey("app");
  }

  @Test
  void aReconcileInterruptedByTheOperatorsStopRecordsNoEventAndNoStatus() {
    EcrRepository r = repo("imageTagMutability: MUTABLE");
    var interrupted = io.ecsbridge.aws.AwsErrors.classify(
        software.amazon.awssdk.core.exception.AbortedException.create("Thread was interrupted"));
    reconciler.updateErrorStatus(r, context, interrupted);
    assertThat(written).as("status writes").isEmpty();
    org.mockito.Mockito.verifyNoInteractions(events);

    var throttled = io.ecsbridge.aws.AwsErrors.classify(
        software.amazon.awssdk.core.exception.SdkClientException.create("connection reset"));
    reconciler.updateErrorStatus(r, context, throttled);
    assertThat(written).as("status writes").hasSize(1);
    verify(events).warning(eq(r), eq("AwsRetrying"), any());

    // a network timeout is a failure to tell, not the operator's stop (SocketTimeoutException is an
    // InterruptedIOException)
    var timeout = io.ecsbridge.aws.AwsErrors.classify(software.amazon.awssdk.core.exception.SdkClientException
        .create("Unable to execute HTTP request: Read timed out", new java.net.SocketTimeoutException("Read timed out")));
    reconciler.updateErrorStatus(r, context, timeout);
    verify(events).warning(eq(r), eq("AwsRetrying"), org.mockito.ArgumentMatchers.contains("Read timed out"));
  }

  @Test
  void aStalledVerdictIsToldOncePerEpisodeAndNotLookedAtAgainBeforeItsBackoff() {
    EcrRepository r = repo("repositoryPolicy: " + policyOfLength(10_241));
    reconciler.reconcile(r, context);
    reconciler.reconcile(r, context); // a resync inside the backoff: nothing new to tell
    verify(events, org.mockito.Mockito.times(1)).warning(eq(r), eq("PolicyTooLarge"), any());
    assertThat(written).as("status writes: the Stalled verdict, once").hasSize(1);

    r.getMetadata().setAnnotations(Map.of(io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT, "again"));
    reconciler.reconcile(r, context); // a person asked: looked at and told again
    verify(events, org.mockito.Mockito.times(2)).warning(eq(r), eq("PolicyTooLarge"), any());
  }

  private static EcrGateway.Repository withPolicy(EcrGateway.Repository r, String policy) {
    return new EcrGateway.Repository(r.repository(), r.tags(), r.lifecyclePolicyText(), policy);
  }

  /** A policy whose JSON, as the operator sends it to ECR, is exactly {@code length} characters long. */
  private static String policyOfLength(int length) {
    String base = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"\",\"Effect\":\"Allow\","
        + "\"Principal\":\"*\",\"Action\":\"ecr:BatchGetImage\"}]}";
    return base.replace("\"Sid\":\"\"", "\"Sid\":\"" + "s".repeat(length - base.length()) + "\"");
  }

  @Test
  void aPolicyOverEcrsLimitIsStalledBeforeAnythingIsWritten() {
    // ECR takes at most 10,240 characters of policy text; admission cannot measure a JSON document (no CEL
    // function serializes one), so the reconciler refuses it before the first write, the repository included
    EcrRepository r = repo("repositoryPolicy: " + policyOfLength(10_241));
    Health health = sync(r);
    assertThat(health.state()).isEqualTo(Health.State.STALLED);
    assertThat(health.reason()).isEqualTo("PolicyTooLarge");
    assertThat(health.message()).contains("10241 characters", "at most 10240");
    assertThat(ecr.writes).as("nothing is created or written").isEmpty();
    // the Warning Event of a Stalled verdict is the generic reconciler's (EcrRepositoryReconcilerTest.aStalledVerdictIsToldOncePerEpisode, ITs)
  }

  @Test
  void aPolicyOverEcrsLimitOnAnExistingRepositoryIsNotSet() {
    EcrRepository r = repo("imageTagMutability: MUTABLE");
    sync(r);
    ecr.writes.clear();
    r.getSpec().repositoryPolicy = new KubernetesSerialization().unmarshal(policyOfLength(20_000),
        com.fasterxml.jackson.databind.JsonNode.class);
    r.getSpec().imageTagMutability = EcrRepositorySpec.ImageTagMutability.IMMUTABLE;
    assertThat(sync(r).reason()).isEqualTo("PolicyTooLarge");
    assertThat(ecr.writes).as("no write at all, not even the other changes").isEmpty();
  }

  @Test
  void aPolicyOfExactlyEcrsLimitIsSet() {
    EcrRepository r = repo("repositoryPolicy: " + policyOfLength(10_240));
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecr.repos.get("app").repositoryPolicyText()).hasSize(10_240);
  }

  @Test
  void thePolicyLimitCountsCharactersNotBytes() {
    // 10,240 characters of which many take 2 or 3 bytes in UTF-8: ECR's limit is on characters
    String policy = policyOfLength(10_240).replace("ssss", "éééé");
    EcrRepository r = repo("repositoryPolicy: " + policy);
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
  }

  @Test
  void reportsTheLatestImagesAndWritesStatusOnlyWhenTheyChange() {
    EcrRepository r = repo("imageTagMutability: MUTABLE");
    reconciler.reconcile(r, context);
    assertThat(r.getStatus().images).as("no image yet").isNull();
    for (int i = 1; i <= 6; i++) {
      ecr.push("app", new EcrGateway.Image("sha256:" + i, java.util.List.of("v" + i),
          java.time.Instant.ofEpochSecond(100 + i), "COMPLETE", i == 6 ? Map.of("HIGH", 2) : Map.of()));
    }
    reconciler.reconcile(r, context);
    assertThat(r.getStatus().images).extracting(i -> i.imageDigest)
        .containsExactly("sha256:6", "sha256:5", "sha256:4", "sha256:3", "sha256:2");
    var newest = r.getStatus().images.get(0);
    assertThat(newest.imageTags).containsExactly("v6");
    assertThat(newest.imagePushedAt).isEqualTo("1970-01-01T00:01:46Z");
    assertThat(newest.scanStatus).isEqualTo("COMPLETE");
    assertThat(newest.findingSeverityCounts).containsEntry("HIGH", 2);

    int writes = written.size();
    ecr.writes.clear();
    reconciler.reconcile(r, context);
    assertThat(written).as("images unchanged: no status write").hasSize(writes);
    assertThat(ecr.writes).isEmpty();

    ecr.push("app", new EcrGateway.Image("sha256:7", java.util.List.of("v6"), java.time.Instant.ofEpochSecond(200),
        "IN_PROGRESS", null));
    var result = reconciler.sync(r, r.getStatus(), context);
    assertThat(result.requeue()).as("a scan in progress is looked at again")
        .contains(EcrRepositoryReconciler.SCAN_POLL);
    assertThat(r.getStatus().images.get(0).imageTags).containsExactly("v6");
    assertThat(r.getStatus().images.get(1).imageTags).as("the tag moved away").isNull();
    assertThat(ecr.writes).isEmpty();
  }
}
