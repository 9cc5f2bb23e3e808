package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.DeletionPolicy;
import io.ecsbridge.api.v1alpha1.IdentityStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import io.ecsbridge.status.InMemoryStatusWriter;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The ownership strategies of the kind contract on a kind made for the test: ownership by an identity recorded in
 * status (AWS resources that take no tags) and by a claim (account-wide settings with the put/reset lifecycle).
 * Ownership by tag is what the four real kinds use (KindContractIT, OwnershipTest).
 */
class OwnershipStrategiesTest {

  /** A test kind: its AWS side is {@link #aws}, identity → settings. */
  @Group("test.ecsbridge.io")
  @Version("v1")
  public static class Widget extends CustomResource<WidgetSpec, WidgetStatus> implements Namespaced {}

  public static class WidgetSpec extends AwsResourceSpec {
    public String id = "w";
    public String value = "blue";
  }

  public static class WidgetStatus extends AwsResourceStatus implements IdentityStatus {
    public String ownedIdentity;
    public String value;

    @Override
    public String getOwnedIdentity() {
      return ownedIdentity;
    }

    @Override
    public void setOwnedIdentity(String identity) {
      ownedIdentity = identity;
    }
  }

  record Live(String id, String value) {}

  private final Map<String, String> aws = new HashMap<>();
  private final List<String> writes = new ArrayList<>();
  private final List<Widget> all = new ArrayList<>();
  @SuppressWarnings("unchecked")
  private final Context<Widget> context = mock(Context.class);
  @SuppressWarnings("unchecked")
  private final IndexedResourceCache<Widget> cache = mock(IndexedResourceCache.class);
  private final OperatorContext operator = new OperatorContext(mock(EventRecorder.class), Clock.systemUTC(), "op",
      Duration.ofMinutes(10), OperatorContext.DEFAULT_STALLED_RECHECK, new InMemoryStatusWriter());

  OwnershipStrategiesTest() {
    when(context.getPrimaryCache()).thenReturn(cache);
    when(cache.list()).thenAnswer(call -> all.stream());
  }

  /** A kind whose AWS resource takes no tags: created and deleted, owned by the identity in status. */
  class Untaggable extends ContractReconciler<Widget, WidgetSpec, WidgetStatus, String, Live> {
    Untaggable() {
      super(OwnershipStrategiesTest.this.operator);
    }

    @Override
    protected OwnedBy<Live> ownedBy() {
      return new OwnedBy.Identity<>(Live::id);
    }

    @Override
    protected Placed<String> place(Widget r, WidgetStatus status, Context<Widget> context) {
      return Placed.at("eu-west-1");
    }

    @Override
    protected String describe(Widget r) {
      return "widget " + r.getSpec().id;
    }

    @Override
    protected Optional<Live> observe(Widget r, String region) {
      return Optional.ofNullable(aws.get(r.getSpec().id)).map(v -> new Live(r.getSpec().id, v));
    }

    @Override
    protected Map<String, String> tags(Live live) {
      return Map.of();
    }

    @Override
    protected Optional<Live> create(Widget r, String region, String owner) {
      writes.add("Create");
      aws.put(r.getSpec().id, r.getSpec().value);
      return Optional.of(new Live(r.getSpec().id, r.getSpec().value));
    }

    @Override
    protected void report(WidgetStatus status, Live live) {
      status.value = live.value();
    }

    @Override
    protected List<Change> diff(Widget r, Live live, String region, String owner) {
      return live.value().equals(r.getSpec().value) ? List.of() : List.of(new Change("value", "Set the value",
          () -> {
            writes.add("Put");
            aws.put(live.id(), r.getSpec().value);
          }));
    }

    @Override
    protected Result health(Widget r, Live live, boolean created) {
      return Result.of(Health.ready("Synced", "in sync"));
    }

    @Override
    protected DeleteResult remove(Widget r, Live live, String region) {
      writes.add(defaultsOnDelete() ? "Reset" : "Delete");
      if (defaultsOnDelete()) {
        aws.put(live.id(), "default");
      } else {
        aws.remove(live.id());
      }
      return DeleteResult.finished();
    }

    boolean defaultsOnDelete() {
      return false;
    }

    @Override
    protected WidgetStatus newStatus() {
      return new WidgetStatus();
    }

    @Override
    protected String what() {
      return "widget";
    }
  }

  /** Account-wide settings: they always exist (put/reset), one custom resource per region claims them. */
  class Settings extends Untaggable {
    @Override
    protected OwnedBy<Live> ownedBy() {
      return new OwnedBy.Claim<>(r -> "region eu-west-1", live -> live.value().equals("default"));
    }

    @Override
    protected Optional<Live> observe(Widget r, String region) {
      return Optional.of(new Live(r.getSpec().id, aws.getOrDefault(r.getSpec().id, "default")));
    }

    @Override
    boolean defaultsOnDelete() {
      return true;
    }
  }

  private Widget widget(String namespace, String name, String created, ManagementPolicy policy) {
    Widget w = new Widget();
    w.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).withUid(namespace + "-" + name)
        .withGeneration(1L).withCreationTimestamp(created).build());
    w.setSpec(new WidgetSpec());
    w.getSpec().setManagementPolicy(policy);
    w.setStatus(new WidgetStatus());
    all.add(w);
    return w;
  }

  private static Health sync(ContractReconciler<Widget, WidgetSpec, WidgetStatus, String, Live> reconciler, Widget w,
      Context<Widget> context) {
    return reconciler.sync(w, w.getStatus(), context).health();
  }

  @Test
  void identityCreatedHereIsRecordedAndOwnedWithoutWritesOnResync() {
    Untaggable kind = new Untaggable();
    Widget w = widget("a", "w", "2026-01-01T00:00:00Z", ManagementPolicy.Managed);
    assertThat(sync(kind, w, context).state()).isEqualTo(Health.State.READY);
    assertThat(w.getStatus().ownedIdentity).isEqualTo("w");
    writes.clear();
    assertThat(sync(kind, w, context).state()).isEqualTo(Health.State.READY);
    assertThat(writes).as("an in-sync pass writes nothing").isEmpty();
    w.getSpec().value = "red";
    sync(kind, w, context);
    assertThat(aws).containsEntry("w", "red");
    assertThat(kind.delete(w, w.getStatus(), context).done()).isTrue();
    assertThat(aws).doesNotContainKey("w");
  }

  @Test
  void anIdentityNobodyRecordedIsForeign() {
    aws.put("w", "green");
    Untaggable kind = new Untaggable();
    Widget managed = widget("a", "w", "2026-01-01T00:00:00Z", ManagementPolicy.Managed);
    Health refused = sync(kind, managed, context);
    assertThat(refused.reason()).isEqualTo(Ownership.ALREADY_EXISTS);
    assertThat(writes).isEmpty();
    assertThat(managed.getStatus().ownedIdentity).isNull();
    managed.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    assertThat(kind.delete(managed, managed.getStatus(), context).done()).isTrue();
    assertThat(aws).as("never deleted: not ours").containsEntry("w", "green");

    Widget adopter = widget("a", "adopter", "2026-01-01T00:00:01Z", ManagementPolicy.Adopt);
    assertThat(sync(kind, adopter, context).state()).isEqualTo(Health.State.READY);
    assertThat(adopter.getStatus().ownedIdentity).isEqualTo("w");
    assertThat(aws).containsEntry("w", "blue");
  }

  @Test
  void anIdentityAnotherCustomResourceRecordedIsNeverTakenOver() {
    Untaggable kind = new Untaggable();
    Widget owner = widget("team-a", "w", "2026-01-01T00:00:00Z", ManagementPolicy.Managed);
    sync(kind, owner, context);
    writes.clear();
    for (ManagementPolicy policy : List.of(ManagementPolicy.Managed, ManagementPolicy.Adopt)) {
      Widget intruder = widget("team-b", "w-" + policy, "2026-01-02T00:00:00Z", policy);
      intruder.getSpec().value = "evil";
      Health health = sync(kind, intruder, context);
      assertThat(health.reason()).as(policy.toString()).isEqualTo(Ownership.OWNED_BY_ANOTHER);
      assertThat(health.message()).contains("team-a/w");
      assertThat(kind.delete(intruder, intruder.getStatus(), context).done()).isTrue();
    }
    Widget watcher = widget("team-b", "watcher", "2026-01-02T00:00:00Z", ManagementPolicy.ObserveOnly);
    assertThat(sync(kind, watcher, context).reason()).isEqualTo(Ownership.OWNED_BY_ANOTHER_NAMESPACE);
    assertThat(writes).as("nothing written for another namespace's resource").isEmpty();
    assertThat(aws).containsEntry("w", "blue");
  }

  /**
   * Two custom resources that adopted the same identity in one race (both recorded it before either saw the other's
   * status): the oldest keeps it, the other is refused from its next pass on and writes nothing, whatever it recorded.
   */
  @Test
  void anIdentityRecordedTwiceInARaceBelongsToTheOldestRecorderOnly() {
    aws.put("w", "green");
    Untaggable kind = new Untaggable();
    Widget older = widget("team-a", "w", "2026-01-01T00:00:00Z", ManagementPolicy.Adopt);
    Widget newer = widget("team-b", "w", "2026-01-02T00:00:00Z", ManagementPolicy.Adopt);
    older.getStatus().ownedIdentity = "w";
    newer.getStatus().ownedIdentity = "w";
    newer.getSpec().value = "evil";
    Health health = sync(kind, newer, context);
    assertThat(health.reason()).isEqualTo(Ownership.OWNED_BY_ANOTHER);
    assertThat(health.message()).contains("team-a/w");
    newer.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    assertThat(kind.delete(newer, newer.getStatus(), context).done()).isTrue();
    assertThat(writes).as("the newer recorder neither writes nor deletes").isEmpty();
    assertThat(aws).containsEntry("w", "green");
    assertThat(sync(kind, older, context).state()).isEqualTo(Health.State.READY);
    assertThat(aws).containsEntry("w", "blue");
  }

  @Test
  void theOldestClaimsTheSettingsTheOthersAreStalledAlreadyClaimedWithoutReadingAws() {
    Settings kind = new Settings();
    Widget second = widget("b", "second", "2026-01-02T00:00:00Z", ManagementPolicy.Managed);
    Widget first = widget("a", "first", "2026-01-01T00:00:00Z", ManagementPolicy.Managed);
    second.getSpec().value = "red";
    Health health = sync(kind, second, context);
    assertThat(health.reason()).isEqualTo(ContractReconciler.ALREADY_CLAIMED);
    assertThat(health.message()).contains("a/first");
    assertThat(writes).isEmpty();

    assertThat(sync(kind, first, context).state()).as("defaults are free to take").isEqualTo(Health.State.READY);
    assertThat(aws).containsEntry("w", "blue");
    assertThat(first.getStatus().ownedIdentity).isEqualTo("region eu-west-1");
    writes.clear();
    assertThat(kind.delete(second, second.getStatus(), context).done()).isTrue();
    assertThat(writes).as("a resource that does not hold the claim resets nothing").isEmpty();
    assertThat(kind.delete(first, first.getStatus(), context).done()).isTrue();
    assertThat(writes).containsExactly("Reset");
    assertThat(aws).containsEntry("w", "default");
    all.remove(first);
    assertThat(sync(kind, second, context).state()).as("the claim passes on").isEqualTo(Health.State.READY);
    assertThat(aws).containsEntry("w", "red");
  }

  @Test
  void settingsSomeoneElseWroteAreRefusedByManagedAndTakenOverByAdopt() {
    aws.put("w", "green");
    Settings kind = new Settings();
    Widget managed = widget("a", "r", "2026-01-01T00:00:00Z", ManagementPolicy.Managed);
    assertThat(sync(kind, managed, context).reason()).isEqualTo(Ownership.ALREADY_EXISTS);
    assertThat(kind.delete(managed, managed.getStatus(), context).done()).isTrue();
    assertThat(aws).as("not reset: never written by this resource").containsEntry("w", "green");
    managed.getSpec().setManagementPolicy(ManagementPolicy.Adopt);
    assertThat(sync(kind, managed, context).state()).isEqualTo(Health.State.READY);
    assertThat(aws).containsEntry("w", "blue");
    managed.getSpec().setManagementPolicy(ManagementPolicy.Managed);
    writes.clear();
    assertThat(sync(kind, managed, context).state()).as("once adopted, its own").isEqualTo(Health.State.READY);
    assertThat(writes).isEmpty();
  }

  @Test
  void aRecordedClaimIsKeptAgainstOneCreatedInTheSameSecond() {
    Settings kind = new Settings();
    Widget holder = widget("team-z", "holder", "2026-01-01T00:00:00Z", ManagementPolicy.Managed);
    assertThat(sync(kind, holder, context).state()).isEqualTo(Health.State.READY);
    assertThat(holder.getStatus().ownedIdentity).isEqualTo("region eu-west-1");
    // created in the same second, and first by namespace order: it must not take over the recorded claim
    Widget sameSecond = widget("team-a", "newcomer", "2026-01-01T00:00:00Z", ManagementPolicy.Managed);
    sameSecond.getSpec().value = "red";
    writes.clear();
    assertThat(sync(kind, sameSecond, context).reason()).isEqualTo(ContractReconciler.ALREADY_CLAIMED);
    assertThat(sync(kind, holder, context).state()).isEqualTo(Health.State.READY);
    assertThat(writes).isEmpty();
    assertThat(aws).containsEntry("w", "blue");
  }
}
