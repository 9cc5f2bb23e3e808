package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcrRepositoryStatus;
import io.ecsbridge.aws.AwsIdentity;
import io.ecsbridge.aws.AwsScope;
import io.ecsbridge.aws.FakeEcrGateway;
import io.ecsbridge.contract.AccountScopes.Resolution;
import io.ecsbridge.kinds.ecr.EcrRepositoryReconciler;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import io.ecsbridge.status.InMemoryStatusWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The frame with accounts: the resolution runs before every pass and deletion; a verdict ends it before any AWS call;
 * a resolved pass runs as the account's identity and records status.accountId once (no spurious writes); deletion
 * never runs as another identity than the one the resource lives in.
 */
class AccountFrameTest {
  private static final AwsIdentity TEAM_A = new AwsIdentity("team-a", "111111111111",
      StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "a")), "eu-west-1");

  /** The ECR of the test, remembering which identity each call was made as. */
  private static final class Ecr extends FakeEcrGateway {
    final List<AwsIdentity> calls = new ArrayList<>();

    @Override
    public java.util.Map<String, Optional<software.amazon.awssdk.services.ecr.model.Repository>> describeAll(
        String region, List<String> names) {
      calls.add(AwsScope.current());
      return super.describeAll(region, names);
    }

    @Override
    public Repository create(String region, software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest request) {
      calls.add(AwsScope.current()); // a new repository is created before anything is read
      return super.create(region, request);
    }
  }

  /** Resolves to whatever the test says, counting the questions. */
  private static final class Accounts implements AccountScopes {
    Resolution next = Resolution.of(TEAM_A);
    int asked;

    @Override
    public Resolution resolve(HasMetadata resource, AwsResourceSpec spec, AwsResourceStatus status) {
      asked++;
      return next;
    }

    @Override
    public <R extends HasMetadata> List<EventSource<?, R>> eventSources(EventSourceContext<R> context) {
      return List.of();
    }
  }

  private final Ecr ecr = new Ecr();
  private final Accounts accounts = new Accounts();
  private final EventRecorder events = mock(EventRecorder.class);
  private final InMemoryStatusWriter writes = new InMemoryStatusWriter();
  @SuppressWarnings("unchecked")
  private final Context<EcrRepository> context = mock(Context.class);
  private final EcrRepositoryReconciler reconciler = new EcrRepositoryReconciler(
      new OperatorContext(events, Clock.systemUTC(), "op", Duration.ofMinutes(10),
          OperatorContext.DEFAULT_STALLED_RECHECK, writes).withAccounts(accounts),
      ecr, region -> region == null ? "eu-west-1" : region);

  private static EcrRepository repo(String spec) {
    return new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepository
        metadata: {name: app, namespace: shop, generation: 1, uid: u1}
        spec:
        %s
        """.formatted(spec.indent(2)), EcrRepository.class);
  }

  private static Optional<String> reason(EcrRepository r, String type) {
    return Conditions.find(r.getStatus().getConditions(), type).filter(c -> "True".equals(c.getStatus()))
        .map(c -> c.getReason());
  }

  @Test
  void aResolvedPassRunsAsTheAccountAndRecordsItsIdOnceWithTheFirstStatus() {
    EcrRepository r = repo("{}");
    reconciler.reconcile(r, context);
    assertThat(ecr.calls).isNotEmpty().allMatch(TEAM_A::equals);
    assertThat(ecr.repos).containsKey("app");
    assertThat(((EcrRepository) writes.written.get(0)).getStatus().getAccountId())
        .as("the first status, written before any AWS call, already names the account").isEqualTo("111111111111");
    assertThat(r.getStatus().getAccountId()).isEqualTo("111111111111");
    assertThat(reason(r, Conditions.READY)).isPresent();
    assertThat(AwsScope.bound()).as("unbound after the pass").isNull();

    reconciler.reconcile(r, context); // "created" becomes "in sync"
    int written = writes.written.size();
    reconciler.reconcile(r, context);
    assertThat(writes.written).as("an in-sync pass writes no status").hasSize(written);
    assertThat(ecr.calls).allMatch(TEAM_A::equals);
  }

  @Test
  void aVerdictEndsThePassBeforeAnyAwsCallToldOnceAndLiftedOnTheNextEvent() {
    accounts.next = Resolution.refused(Health.stalled(AccountScopes.AMBIGUOUS_ACCOUNT, "AwsAccounts a, b admit"));
    EcrRepository r = repo("{}");
    reconciler.reconcile(r, context);
    assertThat(ecr.calls).isEmpty();
    assertThat(reason(r, Conditions.STALLED)).hasValue(AccountScopes.AMBIGUOUS_ACCOUNT);
    assertThat(r.getStatus().getAccountId()).isNull();
    verify(events).warning(eq(r), eq(AccountScopes.AMBIGUOUS_ACCOUNT), eq("AwsAccounts a, b admit"));

    int written = writes.written.size();
    reconciler.reconcile(r, context);
    verify(events, times(1)).warning(eq(r), eq(AccountScopes.AMBIGUOUS_ACCOUNT), any());
    assertThat(writes.written).as("the same verdict again: no write").hasSize(written);

    // the platform team fixed the accounts: the next event resolves at once, without waiting for the backoff
    accounts.next = Resolution.of(TEAM_A);
    reconciler.reconcile(r, context);
    assertThat(reason(r, Conditions.READY)).isPresent();
    assertThat(r.getStatus().getAccountId()).isEqualTo("111111111111");
  }

  @Test
  void aPendingAccountIsReconcilingAndLookedAtSoon() {
    accounts.next = Resolution.refused(Health.progressing(AccountScopes.ACCOUNT_PENDING, "waiting"),
        Duration.ofSeconds(5));
    EcrRepository r = repo("{}");
    var control = reconciler.reconcile(r, context);
    assertThat(ecr.calls).isEmpty();
    assertThat(reason(r, Conditions.RECONCILING)).hasValue(AccountScopes.ACCOUNT_PENDING);
    assertThat(control.getScheduleDelay()).hasValue(5000L);
    verify(events, never()).warning(any(), any(), any());
  }

  /** After a start, a resource in sync waits for its account's credentials without a status write; a change does not. */
  @Test
  void aHeldWaitWritesNothingForAResourceInSync() {
    EcrRepository r = repo("{}");
    reconciler.reconcile(r, context);
    reconciler.reconcile(r, context);
    assertThat(reason(r, Conditions.READY)).isPresent();
    int written = writes.written.size();
    ecr.calls.clear();

    accounts.next = Resolution.held(Health.progressing(AccountScopes.ACCOUNT_PENDING, "just started"),
        Duration.ofSeconds(5));
    var control = reconciler.reconcile(r, context);
    assertThat(ecr.calls).isEmpty();
    assertThat(writes.written).as("no status write").hasSize(written);
    assertThat(reason(r, Conditions.READY)).isPresent();
    assertThat(control.getScheduleDelay()).hasValue(5000L);

    r.getMetadata().setGeneration(2L); // a person's change meanwhile: told as usual
    reconciler.reconcile(r, context);
    assertThat(reason(r, Conditions.RECONCILING)).hasValue(AccountScopes.ACCOUNT_PENDING);
    assertThat(writes.written).hasSize(written + 1);
  }

  @Test
  void anAccountChangeIsRefusedWithoutAnAwsCallAndTheRecordedAccountStays() {
    EcrRepository r = repo("{}");
    reconciler.reconcile(r, context);
    ecr.calls.clear();
    accounts.next = Resolution.refused(Health.stalled(AccountScopes.ACCOUNT_CHANGED, "cannot move"));
    r.getMetadata().setGeneration(2L);
    reconciler.reconcile(r, context);
    assertThat(ecr.calls).isEmpty();
    assertThat(reason(r, Conditions.STALLED)).hasValue(AccountScopes.ACCOUNT_CHANGED);
    assertThat(r.getStatus().getAccountId()).isEqualTo("111111111111");
  }

  @Test
  void deletionRunsAsTheAccountTheResourceLivesIn() {
    EcrRepository r = repo("{}");
    reconciler.reconcile(r, context);
    ecr.calls.clear();
    DeleteControl done = reconciler.cleanup(r, context);
    assertThat(done.isRemoveFinalizer()).isTrue();
    assertThat(ecr.repos).doesNotContainKey("app");
    assertThat(ecr.calls).isNotEmpty().allMatch(TEAM_A::equals);
  }

  @Test
  void deletionWhoseAccountIsGoneWaitsBlockedAndNeverFallsBackToAnotherIdentity() {
    EcrRepository r = repo("{}");
    reconciler.reconcile(r, context);
    ecr.calls.clear();
    accounts.next = Resolution.refused(Health.stalled(AccountScopes.ACCOUNT_NOT_ALLOWED,
        "AwsAccount team-a does not admit namespace shop"));
    DeleteControl waiting = reconciler.cleanup(r, context);
    assertThat(waiting.isRemoveFinalizer()).isFalse();
    assertThat(ecr.calls).isEmpty();
    assertThat(ecr.repos).containsKey("app");
    assertThat(reason(r, Conditions.STALLED)).hasValue(AccountScopes.ACCOUNT_UNAVAILABLE);
    String message = Conditions.find(r.getStatus().getConditions(), Conditions.STALLED).orElseThrow().getMessage();
    assertThat(message).contains("AWS account 111111111111", "AwsAccount team-a does not admit namespace shop",
        "Restore the AwsAccount", "deletionPolicy: Retain");
    verify(events).warning(eq(r), eq(AccountScopes.ACCOUNT_UNAVAILABLE), any());

    // Retain lets it go, untouched, without asking for an account
    r.getSpec().setDeletionPolicy(io.ecsbridge.api.v1alpha1.DeletionPolicy.Retain);
    int asked = accounts.asked;
    assertThat(reconciler.cleanup(r, context).isRemoveFinalizer()).isTrue();
    assertThat(accounts.asked).isEqualTo(asked);
    assertThat(ecr.repos).containsKey("app");
  }

  @Test
  void aResourceThatNeverReachedAwsIsReleasedWhenNoAccountResolves() {
    accounts.next = Resolution.refused(Health.stalled(AccountScopes.ACCOUNT_REQUIRED, "no AwsAccount"));
    EcrRepository r = repo("{}");
    reconciler.reconcile(r, context);
    assertThat(reconciler.cleanup(r, context).isRemoveFinalizer()).isTrue();
    assertThat(ecr.calls).isEmpty();
  }

  @Test
  void withoutAccountsEveryPassIsTheOperatorsOwnAndRecordsNoAccount() {
    EcrRepositoryReconciler plain = new EcrRepositoryReconciler(new OperatorContext(events, Clock.systemUTC(), "op",
        Duration.ofMinutes(10), OperatorContext.DEFAULT_STALLED_RECHECK, writes), ecr, region -> "eu-west-1");
    EcrRepository r = repo("{}");
    plain.reconcile(r, context);
    assertThat(ecr.calls).isNotEmpty().allMatch(AwsIdentity.OPERATOR::equals);
    assertThat(r.getStatus().getAccountId()).isNull();
    assertThat(r.getStatus()).isInstanceOf(EcrRepositoryStatus.class);
  }
}
