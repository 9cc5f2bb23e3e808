package io.ecsbridge.accounts;

import static io.ecsbridge.contract.AccountScopes.ACCOUNT_CHANGED;
import static io.ecsbridge.contract.AccountScopes.ACCOUNT_NOT_ALLOWED;
import static io.ecsbridge.contract.AccountScopes.ACCOUNT_NOT_READY;
import static io.ecsbridge.contract.AccountScopes.ACCOUNT_PENDING;
import static io.ecsbridge.contract.AccountScopes.ACCOUNT_REQUIRED;
import static io.ecsbridge.contract.AccountScopes.AMBIGUOUS_ACCOUNT;
import static io.ecsbridge.contract.AccountScopes.REGION_NOT_ALLOWED;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.AwsAccountSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.aws.AwsIdentity;
import io.ecsbridge.contract.AccountScopes.Resolution;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Which AWS account a namespaced resource lives in, decided by the platform team's AwsAccounts alone: the accounts
 * whose namespaceSelector admits the resource's namespace are the only candidates; {@code spec.accountRef} may pick
 * one of them and nothing else. Exactly one: that account; none: the operator's own identity (unless an account is
 * required); several: ambiguous. Then the account must be Ready, the resource's region allowed in it, and the account
 * the one status.accountId recorded (a resource never moves). Pure: it reads a {@link Directory} (informer caches; a
 * fake in tests) and calls nothing but {@code operatorAccountId} (STS once, cached by {@link OperatorAccount}).
 */
public final class AccountResolver {
  /** How soon a resource waiting for its AwsAccount's first reconcile looks again (its status change wakes it too). */
  static final Duration PENDING_RECHECK = Duration.ofSeconds(5);
  /** How soon a resource whose namespace the Namespace cache has not seen yet looks again (its add wakes it too). */
  static final Duration NAMESPACE_RECHECK = Duration.ofSeconds(1);

  /** What resolution reads: the AwsAccounts and the labels of namespaces. */
  public interface Directory {
    List<AwsAccount> accounts();

    /** The namespace's labels; empty when it is unknown. */
    Map<String, String> namespaceLabels(String namespace);

    /**
     * Whether the namespace is known (in the Namespace cache). A namespaced resource's namespace exists (the API
     * server refuses a resource in a namespace that does not), so an unknown one is a cache that has not seen it yet.
     */
    default boolean knows(String namespace) {
      return true;
    }
  }

  private final BiFunction<String, String, Optional<AwsCredentialsProvider>> credentials;
  private final Supplier<String> operatorAccountId;
  private final boolean required;
  private final String operatorRegion;
  private final Predicate<String> askedHere;

  /**
   * @param credentials the credentials of an AwsAccount by name, once its reconciler provided them and STS confirmed
   *     that they act in the given account id ({@link AccountCredentials#lookup(String, String)})
   * @param operatorAccountId the operator's own account id (may throw a retryable AwsException)
   * @param required whether a namespace no AwsAccount admits is refused (ECSBRIDGE_REQUIRE_ACCOUNT)
   * @param operatorRegion the operator's default region, or null
   */
  public AccountResolver(BiFunction<String, String, Optional<AwsCredentialsProvider>> credentials,
      Supplier<String> operatorAccountId, boolean required, String operatorRegion) {
    this(credentials, name -> true, operatorAccountId, required, operatorRegion);
  }

  /**
   * @param askedHere whether this process has asked STS who the credentials of the AwsAccount of this name are
   *     ({@link AccountCredentials#asked}): not yet, for a Ready account the resource already lives in, is a process
   *     that has just started, whose wait is held quietly ({@link Resolution#held}); once asked (a role changed, or
   *     STS failed), the wait is told
   */
  public AccountResolver(BiFunction<String, String, Optional<AwsCredentialsProvider>> credentials,
      Predicate<String> askedHere, Supplier<String> operatorAccountId, boolean required, String operatorRegion) {
    this.credentials = credentials;
    this.askedHere = askedHere;
    this.operatorAccountId = operatorAccountId;
    this.required = required;
    this.operatorRegion = operatorRegion;
  }

  /** The identity of a resource in {@code namespace} with this spec and status, or the verdict that refuses it. */
  public Resolution resolve(Directory directory, String namespace, AwsResourceSpec spec, AwsResourceStatus status) {
    if (!directory.knows(namespace)) {
      // its labels are not known yet: resolving on none would put it in the operator's own account (or say that no
      // AwsAccount admits it) when the platform team's selector admits it, and a resource never moves between accounts
      return Resolution.refused(Health.progressing(ACCOUNT_PENDING, "waiting for this operator to see namespace "
          + namespace + " (its labels decide the AwsAccount)"), NAMESPACE_RECHECK);
    }
    Map<String, String> labels = directory.namespaceLabels(namespace);
    List<AwsAccount> admitting = directory.accounts().stream()
        .filter(a -> a.getSpec() != null && a.getSpec().namespaceSelector != null
            && NamespaceSelection.matches(a.getSpec().namespaceSelector, labels))
        .sorted(Comparator.comparing(a -> a.getMetadata().getName()))
        .toList();
    String recorded = status == null ? null : status.getAccountId();
    String ref = spec.accountName();
    if (ref != null) {
      return admitting.stream().filter(a -> a.getMetadata().getName().equals(ref)).findFirst()
          .map(a -> in(a, namespace, spec, recorded))
          .orElseGet(() -> Resolution.refused(Health.stalled(ACCOUNT_NOT_ALLOWED,
              "AwsAccount " + ref + " does not admit namespace " + namespace)));
    }
    if (admitting.isEmpty()) {
      if (required) {
        return Resolution.refused(Health.stalled(ACCOUNT_REQUIRED, "no AwsAccount admits namespace " + namespace
            + " and this operator requires one (ECSBRIDGE_REQUIRE_ACCOUNT): ask the platform team for an AwsAccount "
            + "whose namespaceSelector selects it"));
      }
      String id = operatorAccountId.get();
      if (recorded != null && !recorded.equals(id)) {
        return changed(recorded, "the operator's own identity (account " + id + "), since no AwsAccount admits "
            + "namespace " + namespace + " any more");
      }
      return Resolution.of(new AwsIdentity(null, id, null, null));
    }
    if (admitting.size() > 1) {
      return Resolution.refused(Health.stalled(AMBIGUOUS_ACCOUNT, "AwsAccounts "
          + String.join(", ", admitting.stream().map(a -> a.getMetadata().getName()).toList())
          + " all admit namespace " + namespace + ": set spec.accountRef.name to the one this resource lives in"));
    }
    return in(admitting.get(0), namespace, spec, recorded);
  }

  /** The resource in this account, which admits its namespace: if its region is allowed and the account Ready. */
  private Resolution in(AwsAccount account, String namespace, AwsResourceSpec spec, String recorded) {
    String name = account.getMetadata().getName();
    AwsAccountSpec accountSpec = account.getSpec();
    String region = spec.getRegion() != null ? spec.getRegion()
        : accountSpec.defaultRegion != null ? accountSpec.defaultRegion : operatorRegion;
    List<String> allowed = accountSpec.allowedRegions;
    if (allowed != null && !allowed.isEmpty() && (region == null || !allowed.contains(region))) {
      return Resolution.refused(Health.stalled(REGION_NOT_ALLOWED, "region " + (region == null ? "(none)" : region)
          + " is not allowed in AwsAccount " + name + " (allowedRegions: " + String.join(", ", allowed)
          + "): set spec.region to one of them"));
    }
    var status = account.getStatus();
    if (status != null && Conditions.isTrue(status, Conditions.STALLED)) {
      var stalled = Conditions.find(status.getConditions(), Conditions.STALLED).orElseThrow();
      return Resolution.refused(Health.stalled(ACCOUNT_NOT_READY, "AwsAccount " + name + " is Stalled ("
          + stalled.getReason() + "): " + stalled.getMessage()));
    }
    // the credentials STS confirmed to act in the account the status names: a changed role's new credentials are
    // not taken for the old account while its status still names that one
    Optional<AwsCredentialsProvider> provider = status == null ? Optional.empty()
        : credentials.apply(name, status.getAccountId());
    if (provider.isEmpty() && Conditions.isTrue(status, Conditions.READY) && status.getAccountId() != null
        && status.getAccountId().equals(recorded) && !askedHere.test(name)) {
      return Resolution.held(Health.progressing(ACCOUNT_PENDING, "waiting for this operator to confirm the "
          + "credentials of AwsAccount " + name + " (it has just started)"), PENDING_RECHECK);
    }
    if (status == null || !Conditions.isTrue(status, Conditions.READY) || status.getAccountId() == null
        || provider.isEmpty()) {
      return Resolution.refused(Health.progressing(ACCOUNT_PENDING, "waiting for AwsAccount " + name
          + " to assume its role"), PENDING_RECHECK);
    }
    if (recorded != null && !recorded.equals(status.getAccountId())) {
      return changed(recorded, "AwsAccount " + name + " (account " + status.getAccountId() + ")");
    }
    return Resolution.of(new AwsIdentity(name, status.getAccountId(), provider.get(), accountSpec.defaultRegion));
  }

  private static Resolution changed(String recorded, String now) {
    return Resolution.refused(Health.stalled(ACCOUNT_CHANGED, "this resource lives in AWS account " + recorded
        + " but now resolves to " + now + ": a resource cannot move between accounts; delete and recreate it"));
  }
}
