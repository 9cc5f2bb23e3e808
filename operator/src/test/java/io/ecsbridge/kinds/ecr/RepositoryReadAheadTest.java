package io.ecsbridge.kinds.ecr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.aws.AwsBudgets;
import io.ecsbridge.aws.AwsIdentity;
import io.ecsbridge.aws.EcrGateway.Details;
import io.ecsbridge.aws.ResyncDeferred;
import io.ecsbridge.aws.EcrGateway;
import io.ecsbridge.aws.FakeEcrGateway;
import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.contract.AccountScopes;
import io.ecsbridge.contract.OperatorContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.InMemoryStatusWriter;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/**
 * An in-sync EcrRepository resync against an in-memory ECR, through the whole frame (its lanes): what it reads, by
 * operation, with the read-ahead of DescribeRepositories and the images read on about every 6th resync; what still
 * reads afresh; and that nothing is written while in sync.
 */
class RepositoryReadAheadTest {
  private static final Duration PERIOD = Duration.ofMinutes(10);
  private static final int N = 25;

  /** ECR whose next ListTagsForResource of one repository is deferred as the call meter would (before sending). */
  private static final class Ecr extends FakeEcrGateway {
    volatile String deferTagsOf;

    @Override
    public Optional<Details> details(String region, String name, String arn, boolean images) {
      if (name.equals(deferTagsOf)) {
        deferTagsOf = null;
        throw new ResyncDeferred(new AwsBudgets.Key("operator", region, "ecr"), Duration.ofSeconds(1));
      }
      return super.details(region, name, arn, images);
    }
  }

  private final Ecr ecr = new Ecr();
  private final InMemoryStatusWriter statusWrites = new InMemoryStatusWriter();
  private final AtomicLong now = new AtomicLong();
  @SuppressWarnings("unchecked")
  private final Context<EcrRepository> context = mock(Context.class);
  private final Map<ResourceID, EcrRepository> cache = new LinkedHashMap<>();
  private EcrRepositoryReconciler reconciler;
  /** Each resource's account, by name (the operator's own when absent). */
  private final Map<String, AwsIdentity> accountOf = new HashMap<>();

  private final class Accounts implements AccountScopes {
    @Override
    public Resolution resolve(HasMetadata resource, AwsResourceSpec spec, AwsResourceStatus status) {
      return Resolution.of(accountOf.getOrDefault(resource.getMetadata().getName(), AwsIdentity.OPERATOR));
    }

    @Override
    public <R extends HasMetadata> List<EventSource<?, R>> eventSources(EventSourceContext<R> context) {
      return List.of();
    }
  }

  @BeforeEach
  @SuppressWarnings("unchecked")
  void setUp() {
    reconciler = new EcrRepositoryReconciler(new OperatorContext(mock(EventRecorder.class), Clock.systemUTC(), "op",
        PERIOD, OperatorContext.DEFAULT_STALLED_RECHECK, statusWrites).withAccounts(new Accounts()), ecr,
        region -> region == null ? "eu-west-1" : region, now::get);
    EventSourceContext<EcrRepository> sources = mock(EventSourceContext.class);
    IndexerResourceCache<EcrRepository> primaries = mock(IndexerResourceCache.class);
    when(primaries.get(any())).thenAnswer(a -> Optional.ofNullable(cache.get((ResourceID) a.getArgument(0))));
    when(sources.getPrimaryCache()).thenReturn(primaries);
    reconciler.eventSources(sources);
  }

  private EcrRepository repo(String name) {
    EcrRepository r = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepository
        metadata: {name: %s, namespace: ns, generation: 1, uid: %s, resourceVersion: "7"}
        spec: {imageTagMutability: MUTABLE}
        """.formatted(name, name), EcrRepository.class);
    cache.put(ResourceID.fromResource(r), r);
    return r;
  }

  @Test
  void nothingIsRememberedOfARepositoryOnceItsFinalizerGoesEvenWhenRetained() {
    List<EcrRepository> all = inSync();
    resyncAll(all);
    assertThat(reconciler.remembered()).isPositive();
    for (EcrRepository r : all) {
      r.getSpec().setDeletionPolicy(io.ecsbridge.api.v1alpha1.DeletionPolicy.Retain);
      assertThat(reconciler.cleanup(r, context).isRemoveFinalizer()).isTrue();
    }
    assertThat(reconciler.remembered()).as("read-ahead, kept reads and images of released repositories").isZero();
    assertThat(ecr.writes).as("Retain: nothing deleted").isEmpty();
  }

  /**
   * A scan that never ends (enhanced scanning whose Inspector side is off, a stuck basic scan) was looked at every
   * 30 s for good, each look a full read with DescribeImages: some 120 passes an hour for one repository.
   */
  @Test
  void aScanInProgressIsAwaitedForAnHourThenNoLongerPolledUntilAnotherImageIsScanned() {
    EcrRepository r = inSync().get(0);
    ecr.push(r.repositoryName(), new EcrGateway.Image("sha256:1", List.of("v1"), java.time.Instant.ofEpochSecond(100),
        "PENDING", null));
    r.getMetadata().setAnnotations(new HashMap<>(Map.of(Annotations.RECONCILE_REQUESTED_AT, "a")));
    long poll = EcrRepositoryReconciler.SCAN_POLL.toMillis();
    assertThat(reconciler.reconcile(r, context).getScheduleDelay()).as("its scan awaited").hasValue(poll);

    now.addAndGet(Duration.ofMinutes(59).toNanos());
    ecr.reads.clear();
    assertThat(reconciler.reconcile(r, context).getScheduleDelay()).as("a resync within the hour").hasValue(poll);
    assertThat(ecr.reads("DescribeImages")).isEqualTo(1);

    now.addAndGet(Duration.ofMinutes(2).toNanos());
    assertThat(reconciler.reconcile(r, context).getScheduleDelay()).as("an hour since it was first seen: no poll")
        .hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ofMinutes(8).toMillis()));
    now.addAndGet(EcrRepositoryReconciler.SCAN_POLL.toNanos());
    assertThat(reconciler.reconcile(r, context).getScheduleDelay()).as("nor on a later pass that reads its images")
        .hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ofMinutes(8).toMillis()));

    ecr.push(r.repositoryName(), new EcrGateway.Image("sha256:2", List.of("v2"), java.time.Instant.ofEpochSecond(200),
        "IN_PROGRESS", null));
    r.getMetadata().getAnnotations().put(Annotations.RECONCILE_REQUESTED_AT, "b");
    assertThat(reconciler.reconcile(r, context).getScheduleDelay()).as("another image's scan: awaited again")
        .hasValue(poll);
  }

  /** N repositories created and Ready, the reads of their creation forgotten. */
  private List<EcrRepository> inSync() {
    List<EcrRepository> all = new java.util.ArrayList<>();
    for (int i = 0; i < N; i++) {
      EcrRepository r = repo("app-" + i);
      reconciler.reconcile(r, context);
      resourceVersion(r);
      assertThat(Conditions.isTrue(r.getStatus(), Conditions.READY)).isTrue();
      all.add(r);
    }
    ecr.reads.clear();
    ecr.describeCalls.clear();
    ecr.writes.clear();
    statusWrites.written.clear();
    return all;
  }

  private void resyncAll(List<EcrRepository> all) {
    now.addAndGet(PERIOD.toNanos());
    all.forEach(this::reconcile);
  }

  /** A pass on the resource as the informer's cache holds it: a status write gives it a new resourceVersion. */
  private void reconcile(EcrRepository r) {
    reconciler.reconcile(r, context);
    resourceVersion(r);
  }

  private void resourceVersion(EcrRepository r) {
    if (r.getMetadata().getResourceVersion() == null) {
      r.getMetadata().setResourceVersion(String.valueOf(++versions));
    }
  }

  private long versions = 100;

  @Test
  void aResyncTakesItsDescribeRepositoriesFromAReadAheadAndItsImagesOnEverySixthResync() {
    List<EcrRepository> all = inSync();

    resyncAll(all); // the first after creation: each read alone (none was read yet), its status told "in sync"
    assertThat(ecr.describeCalls).extracting(List::size).containsOnly(1);
    ecr.reads.clear();
    ecr.describeCalls.clear();
    statusWrites.written.clear();

    resyncAll(all);
    assertThat(ecr.describeCalls).as("20 a call: the first pass reads 19 companions, the 21st the last 4")
        .extracting(List::size).containsExactly(20, 5);
    assertThat(ecr.reads("ListTagsForResource")).isEqualTo(N);
    assertThat(ecr.reads("GetLifecyclePolicy")).isEqualTo(N);
    assertThat(ecr.reads("GetRepositoryPolicy")).isEqualTo(N);
    assertThat(ecr.reads("DescribeImages")).as("images are read on about every 6th resync").isZero();
    assertThat(ecr.writes).isEmpty();
    assertThat(statusWrites.written).as("an in-sync resync writes nothing").isEmpty();

    ecr.reads.clear();
    for (int i = 0; i < RepositoryImagesDue.EVERY - 2; i++) {
      resyncAll(all);
    }
    assertThat(ecr.reads("DescribeImages")).as("up to the 5th resync since the last read").isZero();
    resyncAll(all);
    assertThat(ecr.reads("DescribeImages")).as("the 6th").isEqualTo(N);
    assertThat(statusWrites.written).isEmpty();
  }

  @Test
  void aPersonsChangeOrAnotherResourceVersionReadAfresh() {
    List<EcrRepository> all = inSync();
    resyncAll(all);
    now.addAndGet(PERIOD.toNanos());
    ecr.describeCalls.clear();
    ecr.reads.clear();

    reconcile(all.get(0)); // reads ahead for the 19 read longest ago
    assertThat(ecr.describeCalls).hasSize(1);
    List<String> ahead = ecr.describeCalls.get(0);
    EcrRepository edited = byName(all, ahead.get(1));
    EcrRepository requested = byName(all, ahead.get(2));
    EcrRepository plain = byName(all, ahead.get(3));

    edited.getMetadata().setResourceVersion("8"); // e.g. a label: the read was not made for this state
    reconcile(edited);
    assertThat(ecr.describeCalls).as("another resourceVersion reads afresh").hasSize(2);

    requested.getMetadata().setAnnotations(new HashMap<>(Map.of(Annotations.RECONCILE_REQUESTED_AT, "now")));
    reconcile(requested);
    assertThat(ecr.describeCalls.get(2)).as("a person's request: alone").containsExactly(requested.repositoryName());
    assertThat(ecr.reads("DescribeImages")).as("with its images").isEqualTo(1);

    reconcile(plain);
    assertThat(ecr.describeCalls).as("the read ahead serves").hasSize(3);
  }

  @Test
  void aDriftSeenOnAReadAheadIsHealedFromAFreshRead() {
    List<EcrRepository> all = inSync();
    resyncAll(all);
    now.addAndGet(PERIOD.toNanos());
    reconcile(all.get(0));
    EcrRepository drifted = byName(all, ecr.describeCalls.get(ecr.describeCalls.size() - 1).get(1));
    // the drift is made after the read ahead: the pass sees it on its fresh read before writing
    ecr.repos.computeIfPresent(drifted.repositoryName(), (n, r) -> new EcrGateway.Repository(
        r.repository().toBuilder().imageTagMutability("IMMUTABLE").build(), r.tags(), r.lifecyclePolicyText(),
        r.repositoryPolicyText()));
    ecr.describeCalls.clear();
    reconcile(drifted);
    assertThat(ecr.describeCalls).as("the read ahead showed no drift: nothing to do").isEmpty();

    // a drift read ahead: the pass reads again before it writes
    now.addAndGet(PERIOD.toNanos());
    ecr.repos.computeIfPresent(drifted.repositoryName(), (n, r) -> new EcrGateway.Repository(
        r.repository().toBuilder().imageTagMutability("IMMUTABLE").build(), r.tags(), r.lifecyclePolicyText(),
        r.repositoryPolicyText()));
    EcrRepository lead = all.stream().filter(r -> r != drifted).findFirst().orElseThrow();
    reconcile(lead);
    assertThat(ecr.describeCalls.get(0)).contains(drifted.repositoryName());
    reconcile(drifted);
    assertThat(ecr.describeCalls.get(ecr.describeCalls.size() - 1)).as("read again alone before the write")
        .containsExactly(drifted.repositoryName());
    assertThat(ecr.writes).containsExactly("PutImageTagMutability");
    assertThat(ecr.repos.get(drifted.repositoryName()).repository().imageTagMutabilityAsString()).isEqualTo("MUTABLE");
  }

  @Test
  void aResyncDeferredByItsBudgetKeepsWhatWasReadAheadForItsNextRun() {
    List<EcrRepository> all = inSync();
    resyncAll(all);
    now.addAndGet(PERIOD.toNanos());
    reconcile(all.get(0));
    EcrRepository companion = byName(all, ecr.describeCalls.get(ecr.describeCalls.size() - 1).get(1));
    int calls = ecr.describeCalls.size();
    ecr.deferTagsOf = companion.repositoryName();
    reconcile(companion);
    assertThat(ecr.deferTagsOf).as("deferred at its first call").isNull();
    reconcile(companion);
    assertThat(ecr.describeCalls).as("its next run took the read ahead").hasSize(calls);
    assertThat(Conditions.isTrue(companion.getStatus(), Conditions.READY)).isTrue();
  }

  @Test
  void twoAccountsNeverShareARead() {
    AwsIdentity a = new AwsIdentity("team-a", "111111111111", AnonymousCredentialsProvider.create(), null);
    AwsIdentity b = new AwsIdentity("team-b", "222222222222", AnonymousCredentialsProvider.create(), null);
    for (int i = 0; i < N; i++) {
      accountOf.put("app-" + i, i % 2 == 0 ? a : b);
    }
    List<EcrRepository> all = inSync();
    for (int round = 0; round < 3; round++) {
      ecr.describeCalls.clear();
      resyncAll(all);
    }
    assertThat(ecr.describeCalls).isNotEmpty().allSatisfy(call -> assertThat(call.stream()
        .map(n -> accountOf.get(n)).distinct()).as("one account per call").hasSize(1));
    assertThat(ecr.describeCalls).as("each account's 12 or 13 in one call").extracting(List::size)
        .containsExactlyInAnyOrder(13, 12);
  }

  private static EcrRepository byName(List<EcrRepository> all, String name) {
    return all.stream().filter(r -> r.repositoryName().equals(name)).findFirst().orElseThrow();
  }

}
