package io.ecsbridge.contract;

import io.ecsbridge.api.v1alpha1.IdentityStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * How a kind tells whose an AWS resource is (the ownership strategy of the kind contract). Every strategy only finds
 * the owner; what a custom resource may then do is the one decision of {@link Ownership#decide}.
 * <ul>
 *   <li>{@link Tag}: the AWS resource carries {@code ecsbridge.io/owner} (repositories, clusters, task definitions,
 *       services).</li>
 *   <li>{@link Identity}: the AWS resource takes no tags; the custom resource that created or adopted it records its
 *       identity in status ({@link IdentityStatus}), and the owner of a live resource is the custom resource of this
 *       kind (in the operator's cache, any namespace) that recorded it; nobody recorded it: foreign.</li>
 *   <li>{@link Claim}: account-wide settings that always exist (registry settings): one custom resource per scope
 *       (account and region) may act, the oldest; the others are {@code Stalled AlreadyClaimed} naming it, before any
 *       AWS call. Settings at their defaults are free to take; settings that differ from the defaults and that this
 *       custom resource did not write are foreign (Managed refuses, Adopt takes them over).</li>
 * </ul>
 */
public sealed interface OwnedBy<L> {

  /** What a strategy looks at besides the live resource: who asks, what its status recorded, its peers. */
  record Asker<R extends CustomResource<?, ?>>(R self, String recorded, Function<HasMetadata, String> ownerValue,
      Supplier<Stream<R>> peers) {
    String value() {
      return ownerValue.apply(self);
    }
  }

  /** The owner of the live resource, as an owner tag's value; null: nobody (made outside ecs-bridge). */
  <R extends CustomResource<?, ?>> String owner(L live, Asker<R> asker);

  /** The identity this resource records in status once it owns the live resource (null: nothing to record). */
  String toRecord(L live, HasMetadata self);

  /** Ownership by the owner tag: the tag records itself. */
  record Tag<L>(Function<L, Map<String, String>> tags) implements OwnedBy<L> {
    @Override
    public <R extends CustomResource<?, ?>> String owner(L live, Asker<R> asker) {
      return Ownership.tag(tags.apply(live));
    }

    @Override
    public String toRecord(L live, HasMetadata self) {
      return null;
    }
  }

  /** Ownership by an identity recorded in status: the owner is the custom resource of the kind that recorded it. */
  record Identity<L>(Function<L, String> id) implements OwnedBy<L> {
    @Override
    public <R extends CustomResource<?, ?>> String owner(L live, Asker<R> asker) {
      String identity = id.apply(live);
      Optional<R> other = Peers.recorder(asker.peers().get(), asker.self(), identity);
      // two recorders only after a race (both adopted before either saw the other's status): the oldest keeps it
      boolean mine = identity.equals(asker.recorded())
          && other.map(o -> Peers.OLDEST_FIRST.compare(asker.self(), o) < 0).orElse(true);
      return mine ? asker.value() : other.map(asker.ownerValue()).orElse(null);
    }

    @Override
    public String toRecord(L live, HasMetadata self) {
      return id.apply(live);
    }
  }

  /**
   * Ownership by a claim on a scope, for settings that always exist (the put/reset lifecycle): settings at their
   * defaults, or that this resource recorded writing, are its own; others are nobody's.
   *
   * @param scope the scope of a custom resource, e.g. its region: one claimant per scope
   * @param atDefaults whether the live settings are AWS's defaults (free to take)
   */
  record Claim<L>(Function<HasMetadata, String> scope, java.util.function.Predicate<L> atDefaults)
      implements OwnedBy<L> {
    @Override
    public <R extends CustomResource<?, ?>> String owner(L live, Asker<R> asker) {
      return atDefaults.test(live) || scope.apply(asker.self()).equals(asker.recorded()) ? asker.value() : null;
    }

    @Override
    public String toRecord(L live, HasMetadata self) {
      return scope.apply(self);
    }
  }

  /** What the status of a kind owned by identity or claim recorded (null for other statuses). */
  static String recorded(Object status) {
    return status instanceof IdentityStatus s ? s.getOwnedIdentity() : null;
  }

  /** What a strategy needs to know about the other custom resources of the kind. */
  final class Peers {
    private Peers() {}

    /**
     * The custom resource of the kind, other than {@code self}, that recorded {@code identity} as its own; the oldest
     * if several did (only a race makes two).
     */
    static <R extends CustomResource<?, ?>> Optional<R> recorder(Stream<R> all, R self, String identity) {
      return all.filter(other -> !sameObject(other, self))
          .filter(other -> other.getStatus() instanceof IdentityStatus s
              && Objects.equals(s.getOwnedIdentity(), identity))
          .min(OLDEST_FIRST);
    }

    /**
     * The claimant of a scope: the custom resource of the kind in that scope (self included) that recorded the claim
     * in its status, else the oldest (creationTimestamp, then namespace and name: every reconciler picks the same one
     * even when two were created in the same second). A claim once recorded is kept: a newer resource created in the
     * same second as the holder never takes it over.
     */
    static <R extends CustomResource<?, ?>> Optional<R> claimant(Stream<R> all, R self,
        Function<HasMetadata, String> scope) {
      String mine = scope.apply(self);
      Comparator<R> holderFirst = Comparator.comparing((R r) -> r.getStatus() instanceof IdentityStatus s
          && mine.equals(s.getOwnedIdentity()) ? 0 : 1);
      return Stream.concat(Stream.of(self), all.filter(other -> !sameObject(other, self)))
          .filter(r -> Objects.equals(scope.apply(r), mine))
          .min(holderFirst.thenComparing(OLDEST_FIRST));
    }

    static boolean sameObject(HasMetadata a, HasMetadata b) {
      return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
          && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
    }

    /** Oldest first (creationTimestamp is RFC 3339 UTC: text order is time order), then namespace and name. */
    static final Comparator<HasMetadata> OLDEST_FIRST = Comparator
        .comparing((HasMetadata r) -> Optional.ofNullable(r.getMetadata().getCreationTimestamp()).orElse("~"))
        .thenComparing(r -> Optional.ofNullable(r.getMetadata().getNamespace()).orElse(""))
        .thenComparing(r -> r.getMetadata().getName());
  }
}
