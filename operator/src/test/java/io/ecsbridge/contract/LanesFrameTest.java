package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.aws.AwsBudgets;
import io.ecsbridge.aws.FakeEcrGateway;
import io.ecsbridge.aws.Lanes;
import io.ecsbridge.aws.ResyncDeferred;
import io.ecsbridge.kinds.ecr.EcrRepositoryReconciler;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.InMemoryStatusWriter;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The frame's lanes: the lane each pass runs in, and a deferred resync pass, which ends with no status write and no
 * Event and comes back when the budget said.
 */
class LanesFrameTest {
  private static final AwsBudgets.Key ECR = new AwsBudgets.Key("operator", "eu-west-1", "ecr");

  /** ECR that notes each read's lane and, when told, defers a resync's read as the call meter would. */
  private static final class Ecr extends FakeEcrGateway {
    final List<Lanes.Lane> lanes = new ArrayList<>();
    boolean budgetKeepsItsReserve;

    @Override
    public java.util.Map<String, Optional<software.amazon.awssdk.services.ecr.model.Repository>> describeAll(
        String region, List<String> names) {
      lanes.add(Lanes.current());
      if (budgetKeepsItsReserve && Lanes.current() == Lanes.Lane.RESYNC) {
        throw new ResyncDeferred(ECR, Duration.ofSeconds(3));
      }
      return super.describeAll(region, names);
    }

    @Override
    public Repository create(String region, software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest request) {
      lanes.add(Lanes.current()); // a new repository is created before anything is read
      return super.create(region, request);
    }
  }

  private final Ecr ecr = new Ecr();
  private final EventRecorder events = mock(EventRecorder.class);
  private final InMemoryStatusWriter writes = new InMemoryStatusWriter();
  @SuppressWarnings("unchecked")
  private final Context<EcrRepository> context = mock(Context.class);
  private final EcrRepositoryReconciler reconciler = new EcrRepositoryReconciler(
      new OperatorContext(events, Clock.systemUTC(), "op", Duration.ofMinutes(10),
          OperatorContext.DEFAULT_STALLED_RECHECK, writes),
      ecr, region -> region == null ? "eu-west-1" : region);

  private static EcrRepository repo() {
    return new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepository
        metadata: {name: app, namespace: shop, generation: 1, uid: u1}
        spec: {imageTagMutability: MUTABLE}
        """, EcrRepository.class);
  }

  /** The frame's memory of runs of deferred passes (package-private: not inherited into the kind's package). */
  private int deferrals() {
    return ((AwsResourceReconciler<?, ?, ?>) reconciler).deferralsRemembered();
  }

  /** Created and Ready, its reads' lanes then forgotten. */
  private EcrRepository inSync() {
    EcrRepository r = repo();
    reconciler.reconcile(r, context);
    assertThat(Conditions.isTrue(r.getStatus(), Conditions.READY)).isTrue();
    assertThat(ecr.lanes).as("a new resource's passes are a person's change").containsOnly(Lanes.Lane.USER);
    ecr.lanes.clear();
    return r;
  }

  @Test
  void aResourceInSyncResyncsInTheResyncLaneAndAnEditOrARequestInTheUsersLane() {
    EcrRepository r = inSync();
    reconciler.reconcile(r, context);
    assertThat(ecr.lanes).isNotEmpty().containsOnly(Lanes.Lane.RESYNC);
    ecr.lanes.clear();

    r.getMetadata().setGeneration(2L);
    r.getSpec().imageTagMutability = io.ecsbridge.api.v1alpha1.EcrRepositorySpec.ImageTagMutability.IMMUTABLE;
    reconciler.reconcile(r, context);
    assertThat(ecr.lanes).isNotEmpty().containsOnly(Lanes.Lane.USER);
    assertThat(ecr.writes).isNotEmpty();
    ecr.lanes.clear();

    reconciler.reconcile(r, context);
    assertThat(ecr.lanes).as("generation 2 observed: resyncs again").containsOnly(Lanes.Lane.RESYNC);
    ecr.lanes.clear();

    r.getMetadata().setAnnotations(new HashMap<>(java.util.Map.of(
        io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT, "now")));
    reconciler.reconcile(r, context);
    assertThat(ecr.lanes).containsOnly(Lanes.Lane.USER);
    assertThat(Lanes.current()).as("nothing left bound on the thread").isEqualTo(Lanes.Lane.USER);
  }

  @Test
  void aDeferredResyncWritesNoStatusTellsNoEventAndComesBackWhenTheBudgetSaid() {
    EcrRepository r = inSync();
    int written = writes.written.size();
    ecr.writes.clear();
    String before = new KubernetesSerialization().asJson(r.getStatus());
    clearInvocations(events);
    ecr.budgetKeepsItsReserve = true;

    UpdateControl<EcrRepository> control = reconciler.reconcile(r, context);

    assertThat(ecr.lanes).containsExactly(Lanes.Lane.RESYNC);
    assertThat(control.getScheduleDelay()).hasValue(3000L);
    assertThat(writes.written).as("no status write").hasSize(written);
    verifyNoInteractions(events);
    assertThat(ecr.writes).isEmpty();
    assertThat(new KubernetesSerialization().asJson(r.getStatus())).isEqualTo(before);

    // a person's change made meanwhile is not deferred: it takes the reserve
    r.getMetadata().setGeneration(2L);
    r.getSpec().imageTagMutability = io.ecsbridge.api.v1alpha1.EcrRepositorySpec.ImageTagMutability.IMMUTABLE;
    reconciler.reconcile(r, context);
    assertThat(ecr.writes).isNotEmpty();
    assertThat(r.getStatus().getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void aResourceReleasedWhileItsResyncsWereDeferredLeavesNothingRemembered() {
    EcrRepository r = inSync();
    ecr.budgetKeepsItsReserve = true;
    reconciler.reconcile(r, context);
    assertThat(deferrals()).as("its run of deferrals has begun").isEqualTo(1);

    r.getSpec().setDeletionPolicy(io.ecsbridge.api.v1alpha1.DeletionPolicy.Retain);
    assertThat(reconciler.cleanup(r, context).isRemoveFinalizer()).isTrue();
    assertThat(deferrals()).as("forgotten with the resource").isZero();
  }

  /**
   * A resource moved to another shard (a label change) leaves the controller's cache with a DELETED and no reconcile
   * (DESIGN.md "Handover"): what the frame kept of it went only when a finalizer was removed, so it stayed for good.
   */
  @Test
  void aResourceThatLeavesTheCacheWithoutAReconcileIsForgotten() {
    EcrRepository r = inSync();
    ecr.budgetKeepsItsReserve = true;
    reconciler.reconcile(r, context);
    assertThat(deferrals()).isEqualTo(1);

    @SuppressWarnings("unchecked")
    io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<EcrRepository> sourceContext =
        mock(io.javaoperatorsdk.operator.api.reconciler.EventSourceContext.class);
    @SuppressWarnings("unchecked")
    Departures<EcrRepository> departures = (Departures<EcrRepository>) reconciler.prepareEventSources(sourceContext)
        .stream().filter(Departures.class::isInstance).findFirst().orElseThrow();
    departures.onResourceDeleted(r);
    assertThat(deferrals()).as("forgotten when it left the cache").isZero();
  }

  /** Every pass as the operator; an AwsAccount or Namespace change marked for the next pass when the test says. */
  private static final class ChangedAccounts implements AccountScopes {
    boolean marked;

    @Override
    public Resolution resolve(io.fabric8.kubernetes.api.model.HasMetadata resource,
        io.ecsbridge.api.v1alpha1.AwsResourceSpec spec, io.ecsbridge.api.v1alpha1.AwsResourceStatus status) {
      return OPERATOR.resolve(resource, spec, status);
    }

    @Override
    public <R extends io.fabric8.kubernetes.api.model.HasMetadata> List<
        io.javaoperatorsdk.operator.processing.event.source.EventSource<?, R>> eventSources(
        io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<R> context) {
      return List.of();
    }

    @Override
    public boolean takeChanged(io.fabric8.kubernetes.api.model.HasMetadata resource) {
      boolean was = marked;
      marked = false;
      return was;
    }
  }

  @Test
  void aPassAskedForByAnAccountOrNamespaceChangeRunsInTheUsersLaneOnce() {
    ChangedAccounts accounts = new ChangedAccounts();
    EcrRepositoryReconciler withAccounts = new EcrRepositoryReconciler(
        new OperatorContext(events, Clock.systemUTC(), "op", Duration.ofMinutes(10),
            OperatorContext.DEFAULT_STALLED_RECHECK, writes).withAccounts(accounts),
        ecr, region -> region == null ? "eu-west-1" : region);
    EcrRepository r = repo();
    withAccounts.reconcile(r, context);
    withAccounts.reconcile(r, context);
    ecr.lanes.clear();

    withAccounts.reconcile(r, context);
    assertThat(ecr.lanes).as("in sync, nothing changed").isNotEmpty().containsOnly(Lanes.Lane.RESYNC);
    ecr.lanes.clear();

    accounts.marked = true;
    withAccounts.reconcile(r, context);
    assertThat(ecr.lanes).as("its AwsAccount or Namespace changed").isNotEmpty().containsOnly(Lanes.Lane.USER);
    assertThat(accounts.marked).as("the mark is taken by the pass").isFalse();
    ecr.lanes.clear();

    withAccounts.reconcile(r, context);
    assertThat(ecr.lanes).as("the next pass: a resync again").containsOnly(Lanes.Lane.RESYNC);
    ecr.lanes.clear();

    // under a budget that defers resyncs, the marked pass is not deferred
    ecr.budgetKeepsItsReserve = true;
    accounts.marked = true;
    UpdateControl<EcrRepository> control = withAccounts.reconcile(r, context);
    assertThat(ecr.lanes).containsOnly(Lanes.Lane.USER);
    assertThat(control.getScheduleDelay()).as("rescheduled at the resync period, not deferred")
        .hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ofMinutes(8).toMillis()));
  }
}
