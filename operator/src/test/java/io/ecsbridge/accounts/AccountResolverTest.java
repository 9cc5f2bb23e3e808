package io.ecsbridge.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.AwsAccountStatus;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcrRepositoryStatus;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.contract.AccountScopes;
import io.ecsbridge.contract.AccountScopes.Resolution;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Every verdict of account resolution, against an in-memory directory of AwsAccounts and namespaces. */
class AccountResolverTest {
  private static final String OPERATOR_ID = "000000000000";
  private final List<AwsAccount> accounts = new ArrayList<>();
  private final Map<String, Map<String, String>> namespaces = new HashMap<>();
  private final Map<String, AwsCredentialsProvider> credentials = new HashMap<>();
  /** The account id STS confirmed each AwsAccount's current credentials act in. */
  private final Map<String, String> verified = new HashMap<>();
  private final AtomicInteger stsCalls = new AtomicInteger();
  private final AccountResolver.Directory directory = new AccountResolver.Directory() {
    @Override
    public List<AwsAccount> accounts() {
      return accounts;
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
      return namespaces.getOrDefault(namespace, Map.of());
    }

    @Override
    public boolean knows(String namespace) {
      return namespaces.containsKey(namespace);
    }
  };

  private AccountResolver resolver(boolean required) {
    return new AccountResolver((name, accountId) -> Optional.ofNullable(credentials.get(name))
        .filter(c -> accountId.equals(verified.get(name))), () -> {
      stsCalls.incrementAndGet();
      return OPERATOR_ID;
    }, required, "us-east-1");
  }

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  /** A Ready AwsAccount (credentials provided) selecting namespaces labelled team=<team>. */
  private AwsAccount account(String name, String team, String accountId, String extraSpec) {
    AwsAccount a = YAML.unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: AwsAccount
        metadata: {name: %s, generation: 1}
        spec:
          roleArn: arn:aws:iam::%s:role/ecs-bridge
          namespaceSelector: {matchLabels: {team: %s}}
        %s
        """.formatted(name, accountId, team, extraSpec.indent(2)), AwsAccount.class);
    AwsAccountStatus status = new AwsAccountStatus();
    status.accountId = accountId;
    Conditions.apply(status, Health.ready("RoleAssumed", "assumed"), 1, Clock.systemUTC());
    a.setStatus(status);
    accounts.add(a);
    credentials.put(name, StaticCredentialsProvider.create(AwsBasicCredentials.create(name, name)));
    verified.put(name, accountId);
    return a;
  }

  private AwsAccount account(String name, String team, String accountId) {
    return account(name, team, accountId, "");
  }

  private static EcrRepository repo(String spec) {
    EcrRepository r = YAML.unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepository
        metadata: {name: app, namespace: shop, generation: 1}
        spec:
        %s
        """.formatted(spec.indent(2)), EcrRepository.class);
    r.setStatus(new EcrRepositoryStatus());
    return r;
  }

  private Resolution resolve(EcrRepository r) {
    return resolve(r, false);
  }

  private Resolution resolve(EcrRepository r, boolean required) {
    return resolver(required).resolve(directory, r.getMetadata().getNamespace(), r.getSpec(), r.getStatus());
  }

  private static void assertVerdict(Resolution resolution, Health.State state, String reason, String message) {
    assertThat(resolution.resolved()).isFalse();
    assertThat(resolution.verdict().state()).isEqualTo(state);
    assertThat(resolution.verdict().reason()).isEqualTo(reason);
    assertThat(resolution.verdict().message()).isEqualTo(message);
  }

  @Test
  void theOneAccountThatAdmitsTheNamespace() {
    namespaces.put("shop", Map.of("team", "a"));
    account("team-a", "a", "111111111111", "defaultRegion: eu-west-1");
    account("team-b", "b", "222222222222");
    Resolution resolution = resolve(repo("{}"));
    assertThat(resolution.resolved()).isTrue();
    assertThat(resolution.identity().account()).isEqualTo("team-a");
    assertThat(resolution.identity().accountId()).isEqualTo("111111111111");
    assertThat(resolution.identity().credentials()).isSameAs(credentials.get("team-a"));
    assertThat(resolution.identity().defaultRegion()).isEqualTo("eu-west-1");
    assertThat(stsCalls).as("the operator's identity is not asked for").hasValue(0);
  }

  @Test
  void aNamespaceNotSeenYetWaitsInsteadOfResolvingOnNoLabels() {
    account("team-a", "a", "111111111111");
    Resolution resolution = resolve(repo("{}"));
    assertVerdict(resolution, Health.State.PROGRESSING, AccountScopes.ACCOUNT_PENDING,
        "waiting for this operator to see namespace shop (its labels decide the AwsAccount)");
    assertThat(resolution.requeue()).isEqualTo(AccountResolver.NAMESPACE_RECHECK);
    assertThat(stsCalls).as("not the operator's own identity").hasValue(0);

    namespaces.put("shop", Map.of("team", "a"));
    assertThat(resolve(repo("{}")).identity().accountId()).as("seen: its account").isEqualTo("111111111111");
  }

  @Test
  void noAccountIsTheOperatorsOwnIdentityWithItsAccountId() {
    namespaces.put("shop", Map.of("team", "c"));
    account("team-a", "a", "111111111111");
    Resolution resolution = resolve(repo("{}"));
    assertThat(resolution.resolved()).isTrue();
    assertThat(resolution.identity().operator()).isTrue();
    assertThat(resolution.identity().accountId()).isEqualTo(OPERATOR_ID);
    assertThat(resolution.identity().credentials()).isNull();
  }

  @Test
  void noAccountWhenOneIsRequiredIsAccountRequired() {
    namespaces.put("shop", Map.of());
    assertVerdict(resolve(repo("{}"), true), Health.State.STALLED, AccountScopes.ACCOUNT_REQUIRED,
        "no AwsAccount admits namespace shop and this operator requires one (ECSBRIDGE_REQUIRE_ACCOUNT): ask the "
            + "platform team for an AwsAccount whose namespaceSelector selects it");
    assertThat(stsCalls).hasValue(0);
  }

  @Test
  void twoOrMoreAccountsAreAmbiguousNamingAllSortedUnlessAccountRefPicksOne() {
    namespaces.put("shop", Map.of("team", "a"));
    account("zeta", "a", "333333333333");
    account("alpha", "a", "111111111111");
    account("mid", "a", "222222222222");
    account("other", "b", "444444444444");
    assertVerdict(resolve(repo("{}")), Health.State.STALLED, AccountScopes.AMBIGUOUS_ACCOUNT,
        "AwsAccounts alpha, mid, zeta all admit namespace shop: set spec.accountRef.name to the one this resource "
            + "lives in");
    Resolution picked = resolve(repo("accountRef: {name: mid}"));
    assertThat(picked.identity().account()).isEqualTo("mid");
    assertThat(picked.identity().accountId()).isEqualTo("222222222222");
  }

  @Test
  void anAccountRefOutsideTheAdmittingAccountsIsNotAllowedWithOneMessageForMissingAndExcluded() {
    namespaces.put("shop", Map.of("team", "a"));
    account("team-a", "a", "111111111111");
    account("team-b", "b", "222222222222");
    assertVerdict(resolve(repo("accountRef: {name: team-b}")), Health.State.STALLED,
        AccountScopes.ACCOUNT_NOT_ALLOWED, "AwsAccount team-b does not admit namespace shop");
    assertVerdict(resolve(repo("accountRef: {name: nobody}")), Health.State.STALLED,
        AccountScopes.ACCOUNT_NOT_ALLOWED, "AwsAccount nobody does not admit namespace shop");
    // without any admitting account, too: an accountRef never falls back to the operator's identity
    namespaces.put("shop", Map.of());
    assertVerdict(resolve(repo("accountRef: {name: team-a}")), Health.State.STALLED,
        AccountScopes.ACCOUNT_NOT_ALLOWED, "AwsAccount team-a does not admit namespace shop");
    assertThat(stsCalls).hasValue(0);
  }

  @Test
  void aStalledAccountStallsItsResourcesWithItsReasonAndMessage() {
    namespaces.put("shop", Map.of("team", "a"));
    AwsAccount a = account("team-a", "a", "111111111111");
    Conditions.apply(a.getStatus(), Health.stalled("AccessDenied", "cannot assume the role: not authorized"), 1,
        Clock.systemUTC());
    assertVerdict(resolve(repo("{}")), Health.State.STALLED, AccountScopes.ACCOUNT_NOT_READY,
        "AwsAccount team-a is Stalled (AccessDenied): cannot assume the role: not authorized");
  }

  @Test
  void anAccountNotReconciledYetIsPendingAndLookedAtSoon() {
    namespaces.put("shop", Map.of("team", "a"));
    AwsAccount a = account("team-a", "a", "111111111111");
    a.setStatus(null);
    Resolution pending = resolve(repo("{}"));
    assertVerdict(pending, Health.State.PROGRESSING, AccountScopes.ACCOUNT_PENDING,
        "waiting for AwsAccount team-a to assume its role");
    assertThat(pending.requeue()).isEqualTo(AccountResolver.PENDING_RECHECK);
    // Ready in status (a restart) but no credentials provided yet in this process: pending too
    account("team-b", "b", "222222222222");
    credentials.remove("team-b");
    namespaces.put("shop", Map.of("team", "b"));
    assertThat(resolve(repo("{}")).verdict().reason()).isEqualTo(AccountScopes.ACCOUNT_PENDING);
  }

  /**
   * After a start, the resources of a Ready account wait for this process to ask STS about its credentials: held
   * quietly (the frame writes nothing for a resource in sync); once STS has been asked here (a role changed since, or
   * STS failed), unconfirmed credentials are the visible AccountPending as before, as is a resource that has not
   * recorded the account yet.
   */
  @Test
  void aRestartsWaitForTheAccountsCredentialsIsHeld() {
    namespaces.put("shop", Map.of("team", "a"));
    account("team-a", "a", "111111111111");
    verified.remove("team-a"); // provided in this process, STS not asked yet
    java.util.Set<String> asked = new java.util.HashSet<>();
    AccountResolver resolver = new AccountResolver((name, accountId) -> Optional.ofNullable(credentials.get(name))
        .filter(c -> accountId.equals(verified.get(name))), asked::contains, () -> OPERATOR_ID, false, "us-east-1");
    EcrRepository r = repo("{}");
    r.getStatus().setAccountId("111111111111");
    Resolution started = resolver.resolve(directory, "shop", r.getSpec(), r.getStatus());
    assertVerdict(started, Health.State.PROGRESSING, AccountScopes.ACCOUNT_PENDING,
        "waiting for this operator to confirm the credentials of AwsAccount team-a (it has just started)");
    assertThat(started.held()).isTrue();
    assertThat(started.requeue()).isEqualTo(AccountResolver.PENDING_RECHECK);

    EcrRepository fresh = repo("{}");
    assertThat(resolver.resolve(directory, "shop", fresh.getSpec(), fresh.getStatus()).held())
        .as("not recorded in the account yet").isFalse();
    asked.add("team-a"); // STS asked (and failed, or a role changed since): unconfirmed credentials are told
    Resolution unconfirmed = resolver.resolve(directory, "shop", r.getSpec(), r.getStatus());
    assertThat(unconfirmed.verdict().reason()).isEqualTo(AccountScopes.ACCOUNT_PENDING);
    assertThat(unconfirmed.held()).isFalse();
    verified.put("team-a", "111111111111");
    assertThat(resolver.resolve(directory, "shop", r.getSpec(), r.getStatus()).resolved()).isTrue();
  }

  /**
   * A role changed to another account: until the AwsAccount's status names the new account, its new credentials
   * (not yet confirmed by STS, or confirmed for the new account) are not used as the old account's.
   */
  @Test
  void newCredentialsAreNotTakenForTheAccountTheStatusStillNames() {
    namespaces.put("shop", Map.of("team", "a"));
    account("team-a", "a", "111111111111");
    verified.remove("team-a"); // the role replaced, STS not yet asked who it is
    assertThat(resolve(repo("{}")).verdict().reason()).isEqualTo(AccountScopes.ACCOUNT_PENDING);
    verified.put("team-a", "222222222222"); // STS said: another account; the status is not written yet
    assertThat(resolve(repo("{}")).verdict().reason()).isEqualTo(AccountScopes.ACCOUNT_PENDING);
    verified.put("team-a", "111111111111");
    assertThat(resolve(repo("{}")).resolved()).isTrue();
  }

  @Test
  void theRegionMustBeAllowedInTheAccountWhenItListsRegions() {
    namespaces.put("shop", Map.of("team", "a"));
    account("team-a", "a", "111111111111", "allowedRegions: [eu-west-1, eu-central-1]\ndefaultRegion: eu-west-1");
    assertVerdict(resolve(repo("region: us-east-1")), Health.State.STALLED, AccountScopes.REGION_NOT_ALLOWED,
        "region us-east-1 is not allowed in AwsAccount team-a (allowedRegions: eu-west-1, eu-central-1): set "
            + "spec.region to one of them");
    assertThat(resolve(repo("region: eu-central-1")).resolved()).isTrue();
    assertThat(resolve(repo("{}")).resolved()).as("the account's defaultRegion").isTrue();
  }

  @Test
  void withoutSpecRegionNorDefaultRegionTheOperatorsRegionIsChecked() {
    namespaces.put("shop", Map.of("team", "a"));
    account("team-a", "a", "111111111111", "allowedRegions: [eu-west-1]");
    assertThat(resolve(repo("{}")).verdict().message()).startsWith("region us-east-1 is not allowed");
    accounts.clear();
    account("team-a", "a", "111111111111", "allowedRegions: []");
    assertThat(resolve(repo("{}")).resolved()).as("an empty list allows any").isTrue();
  }

  @Test
  void aResourceNeverMovesBetweenAccounts() {
    namespaces.put("shop", Map.of("team", "a"));
    account("team-a", "a", "111111111111");
    EcrRepository r = repo("{}");
    r.getStatus().setAccountId("111111111111");
    assertThat(resolve(r).identity().accountId()).isEqualTo("111111111111");

    // the namespace moves to another account
    namespaces.put("shop", Map.of("team", "b"));
    account("team-b", "b", "222222222222");
    assertVerdict(resolve(r), Health.State.STALLED, AccountScopes.ACCOUNT_CHANGED,
        "this resource lives in AWS account 111111111111 but now resolves to AwsAccount team-b (account "
            + "222222222222): a resource cannot move between accounts; delete and recreate it");

    // no account admits it any more: not the operator's identity either
    namespaces.put("shop", Map.of());
    assertVerdict(resolve(r), Health.State.STALLED, AccountScopes.ACCOUNT_CHANGED,
        "this resource lives in AWS account 111111111111 but now resolves to the operator's own identity (account "
            + OPERATOR_ID + "), since no AwsAccount admits namespace shop any more: a resource cannot move between "
            + "accounts; delete and recreate it");

    // created as the operator: an account admitting the namespace later does not move it
    r.getStatus().setAccountId(OPERATOR_ID);
    assertThat(resolve(r).identity().operator()).isTrue();
    namespaces.put("shop", Map.of("team", "a"));
    assertThat(resolve(r).verdict().reason()).isEqualTo(AccountScopes.ACCOUNT_CHANGED);
  }

  @Test
  void theSameAccountIdThroughAnotherAwsAccountIsNoMove() {
    namespaces.put("shop", Map.of("team", "a"));
    account("team-a-new", "a", "111111111111");
    EcrRepository r = repo("{}");
    r.getStatus().setAccountId("111111111111");
    assertThat(resolve(r).identity().account()).isEqualTo("team-a-new");
  }

  @Test
  void aFailureToLearnTheOperatorsAccountIsThrown() {
    namespaces.put("shop", Map.of());
    AccountResolver failing = new AccountResolver((name, accountId) -> Optional.empty(), () -> {
      throw new AwsException(AwsException.Kind.RETRYABLE, "Throttling", 400, "slow down", null);
    }, false, null);
    EcrRepository r = repo("{}");
    assertThatThrownBy(() -> failing.resolve(directory, "shop", r.getSpec(), r.getStatus()))
        .isInstanceOf(AwsException.class).hasMessage("slow down");
  }
}
