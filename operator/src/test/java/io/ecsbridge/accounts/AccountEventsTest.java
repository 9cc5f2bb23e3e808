package io.ecsbridge.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.AwsAccountStatus;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.status.Conditions;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A controller's account event source: a Namespace event reconciles the resources the mapping names (a label change
 * only, for an update), each marked as a changed input before its event; no marks for a source without them. An
 * AwsAccount's update reconciles only when it changed what a resource reads, marked only when a person changed it.
 */
class AccountEventsTest {
  private final List<ResourceID> asked = new ArrayList<>();
  private final AccountChanges changes = new AccountChanges(10);
  @SuppressWarnings("unchecked")
  private final EventSourceContext<EcrRepository> context = mock(EventSourceContext.class, RETURNS_DEEP_STUBS);

  private static EcrRepository repo(String name, String uid) {
    EcrRepository r = new EcrRepository();
    r.getMetadata().setName(name);
    r.getMetadata().setNamespace("shop");
    r.getMetadata().setUid(uid);
    return r;
  }

  private static Namespace ns(Map<String, String> labels) {
    return new NamespaceBuilder().withNewMetadata().withName("shop").withLabels(labels).endMetadata().build();
  }

  private AccountEvents<EcrRepository> events(AccountChanges marks) {
    return events(marks, null);
  }

  private AccountEvents<EcrRepository> events(AccountChanges marks,
      java.util.function.Function<AwsAccount, Stream<EcrRepository>> byAccount) {
    AccountEvents<EcrRepository> source = new AccountEvents<>("accounts", context, new AccountDirectory(), byAccount,
        ns -> Stream.of(repo("a", "u-a"), repo("b", "u-b")), marks);
    source.setEventHandler(e -> asked.add(((Event) e).getRelatedCustomResourceID()));
    return source;
  }

  @Test
  void aNamespaceLabelChangeReconcilesItsResourcesMarkedAsChangedInputs() {
    AccountEvents<EcrRepository> source = events(changes);
    source.namespace(ns(Map.of("team", "a")), ns(Map.of("team", "a", "env", "prod")));
    assertThat(asked).extracting(ResourceID::getName).containsExactly("a", "b");
    assertThat(changes.take("u-a")).isTrue();
    assertThat(changes.take("u-b")).isTrue();

    asked.clear();
    source.namespace(ns(Map.of("team", "a")), ns(Map.of("team", "a")));
    assertThat(asked).as("an update that leaves the labels alone").isEmpty();
    assertThat(changes.size()).isZero();

    source.namespace(ns(Map.of("team", "a")), null);
    assertThat(asked).as("deleted").hasSize(2);
    source.account(null, new io.ecsbridge.api.v1alpha1.AwsAccount());
    assertThat(asked).as("no AwsAccount mapping: AwsAccount events reconcile nothing").hasSize(2);
  }

  private static AwsAccount account(long generation, String accountId, int namespaceCount) {
    return account(generation, accountId, namespaceCount, List.of("shop"));
  }

  private static AwsAccount account(long generation, String accountId, int namespaceCount, List<String> namespaces) {
    AwsAccount account = new AwsAccount();
    account.getMetadata().setName("prod");
    account.getMetadata().setGeneration(generation);
    account.getMetadata().setUid("u-prod");
    account.setStatus(new AwsAccountStatus());
    account.getStatus().accountId = accountId;
    account.getStatus().namespaces = namespaces;
    account.getStatus().namespaceCount = namespaceCount;
    account.getStatus().setConditions(new java.util.ArrayList<>());
    Conditions.set(account.getStatus().getConditions(), Conditions.READY, true, "Ready", "ready", generation,
        java.time.Clock.systemUTC());
    return account;
  }

  @Test
  void anAccountsSpecChangeIsAChangedInputItsOwnStatusWritesAreFollowedInTheirLaneOrIgnored() {
    AccountEvents<EcrRepository> source = events(changes, a -> Stream.of(repo("a", "u-a"), repo("b", "u-b")));

    source.account(account(1, "111111111111", 1), account(1, "111111111111", 2));
    assertThat(asked).as("only the namespace count changed: nothing a resource reads").isEmpty();
    source.account(account(1, "111111111111", 1), account(1, "111111111111", 2, List.of("shop", "web")));
    assertThat(asked).as("the namespaces served: their own Namespace events reconciled them").isEmpty();
    assertThat(changes.size()).isZero();

    source.account(account(1, "111111111111", 1), account(1, "222222222222", 1));
    assertThat(asked).as("the account id changed: every resource follows").hasSize(2);
    assertThat(changes.size()).as("the account controller's write: no USER mark").isZero();

    asked.clear();
    AwsAccount stalled = account(1, "111111111111", 1);
    Conditions.set(stalled.getStatus().getConditions(), Conditions.STALLED, true, "AssumeRoleFailed", "denied", 1L,
        java.time.Clock.systemUTC());
    source.account(account(1, "111111111111", 1), stalled);
    assertThat(asked).as("Stalled now: the resources show it").hasSize(2);
    assertThat(changes.size()).isZero();

    asked.clear();
    source.account(account(1, "111111111111", 1), account(2, "111111111111", 1));
    assertThat(asked).as("a person changed the spec").hasSize(2);
    assertThat(changes.take("u-a")).isTrue();
    assertThat(changes.take("u-b")).isTrue();

    asked.clear();
    source.account(account(2, "111111111111", 1), null);
    assertThat(asked).as("deleted").hasSize(2);
    assertThat(changes.size()).isEqualTo(2);
  }

  @Test
  void whatAnAccountsUpdateMeans() {
    AwsAccount base = account(1, "111111111111", 1);
    assertThat(AccountUpdate.of(base, account(1, "111111111111", 3, List.of("a", "b", "c")))).isEqualTo(
        AccountUpdate.NONE);

    AwsAccount again = account(1, "111111111111", 1);
    again.getMetadata().setUid("another");
    assertThat(AccountUpdate.of(base, again)).as("deleted and created again during a watch gap")
        .isEqualTo(AccountUpdate.CHANGE);

    AwsAccount deleting = account(1, "111111111111", 1);
    deleting.getMetadata().setDeletionTimestamp("2026-12-05T15:00:00Z");
    assertThat(AccountUpdate.of(base, deleting)).isEqualTo(AccountUpdate.CHANGE);

    AwsAccount noStatus = account(1, "111111111111", 1);
    noStatus.setStatus(null);
    assertThat(AccountUpdate.of(noStatus, base)).as("its first status").isEqualTo(AccountUpdate.FOLLOW);
    assertThat(AccountUpdate.of(noStatus, noStatus)).isEqualTo(AccountUpdate.NONE);

    AwsAccount otherMessage = account(1, "111111111111", 1);
    otherMessage.getStatus().getConditions().get(0).setMessage("assumed again");
    assertThat(AccountUpdate.of(base, otherMessage)).isEqualTo(AccountUpdate.FOLLOW);

    AwsAccount handled = account(1, "111111111111", 1);
    handled.getStatus().setObservedGeneration(2L);
    assertThat(AccountUpdate.of(base, handled)).as("a spec change handled: its waiting resources may go on")
        .isEqualTo(AccountUpdate.FOLLOW);
  }

  @Test
  void withoutMarksTheEventsAloneAreSent() {
    AccountEvents<EcrRepository> source = events(null);
    source.namespace(ns(Map.of()), ns(Map.of("team", "a")));
    assertThat(asked).hasSize(2);
    assertThat(changes.size()).isZero();
  }
}
