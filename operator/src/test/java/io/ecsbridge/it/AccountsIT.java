package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.status.Conditions;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Accounts end to end (issue 12): namespaces mapped to AWS accounts by AwsAccounts' selectors, the real API server,
 * the operator, and moto keeping every account's resources apart. Both sides checked: the custom resources' status
 * (status.accountId, Stalled verdicts and their Events) and AWS read back per account with credentials assumed in it.
 */
class AccountsIT extends AccountsFixtures {
  private static final List<Class<? extends CustomResource<?, ? extends AwsResourceStatus>>> APP =
      List.of(EcrRepository.class, EcsCluster.class, EcsTaskDefinition.class, EcsService.class);

  /** EcrRepository web, EcsCluster prod, EcsTaskDefinition web and EcsService web in {@code ns}. */
  private void app(String ns) {
    createIn(ns, EcrRepository.class, "web", "{}");
    createIn(ns, EcsCluster.class, "prod", "{}");
    createIn(ns, EcsTaskDefinition.class, "web",
        "containerDefinitions:\n- {name: app, image: \"nginx:1\", memory: 128}");
    createIn(ns, EcsService.class, "web", "clusterRef: {name: prod}\ntaskDefinitionRef: {name: web}\n"
        + "desiredCount: 1\nlaunchType: EC2");
  }

  private static String nameOf(Class<?> kind) {
    return kind == EcsCluster.class ? "prod" : "web";
  }

  private Service service(String accountId, String cluster, String name) {
    List<Service> found = in(accountId).ecs().describeServices(r -> r.cluster(cluster).services(name)).services();
    return found.isEmpty() ? null : found.get(0);
  }

  private String ecsOwnerTag(List<software.amazon.awssdk.services.ecs.model.Tag> tags) {
    return tags.stream().filter(t -> io.ecsbridge.contract.Ownership.TAG.equals(t.key()))
        .map(software.amazon.awssdk.services.ecs.model.Tag::value).findFirst().orElse(null);
  }

  /**
   * Two namespaces in two accounts create the same names: each lives in its own account only (read from moto per
   * account), with its namespace's owner tag, status.accountId says which; an in-sync resync of all eight writes
   * nothing to AWS in either account.
   */
  @Test
  void theSameNamesInTwoAccountsLiveEachInItsOwnAndAResyncWritesNothing() {
    awaitAccountReady(account("a", role(FIRST, "team-a")));
    awaitAccountReady(account("b", role(SECOND, "team-b")));
    label(namespace, "a");
    label(teamB, "b");
    app(namespace);
    app(teamB);

    Map<String, String> accountOf = Map.of(namespace, FIRST, teamB, SECOND);
    accountOf.forEach((ns, accountId) -> {
      APP.forEach(kind -> {
        awaitReady(kind, ns, nameOf(kind));
        assertThat(accountIdOf(kind, ns, nameOf(kind))).as(kind.getSimpleName() + " " + ns).isEqualTo(accountId);
      });
      Repository repo = repository(accountId, "web");
      assertThat(repo).as("repository web in " + accountId).isNotNull();
      assertThat(repo.registryId()).isEqualTo(accountId);
      assertThat(get(EcrRepository.class, ns, "web").getStatus().arn).isEqualTo(repo.repositoryArn());
      assertThat(KindFixture.of("EcrRepository", in(accountId)).ownerTag("web")).isEqualTo(owner(ns, "web"));
      var cluster = in(accountId).ecs().describeClusters(r -> r.clusters("prod").include(
          software.amazon.awssdk.services.ecs.model.ClusterField.TAGS)).clusters().get(0);
      assertThat(cluster.clusterArn()).contains(":" + accountId + ":");
      assertThat(ecsOwnerTag(cluster.tags())).isEqualTo(owner(ns, "prod"));
      Service service = service(accountId, "prod", "web");
      assertThat(service.status()).isEqualTo("ACTIVE");
      assertThat(service.serviceArn()).contains(":" + accountId + ":")
          .isEqualTo(get(EcsService.class, ns, "web").getStatus().serviceArn);
      assertThat(service.taskDefinition()).contains(":" + accountId + ":")
          .isEqualTo(get(EcsTaskDefinition.class, ns, "web").getStatus().taskDefinitionArn);
      var tags = in(accountId).ecs().listTagsForResource(r -> r.resourceArn(service.serviceArn())).tags();
      assertThat(ecsOwnerTag(tags)).isEqualTo(owner(ns, "web"));
    });
    assertThat(repositories(OPERATOR_ACCOUNT)).as("the operator's own account").isEmpty();
    assertThat(aws.ecs().listClusters().clusterArns()).as("the operator's own account").isEmpty();

    // every resource of both accounts resynced at once: reads only
    double writes = awsWrites();
    Map<String, Double> writesByAccount = callsByAccount(true);
    Map<String, Double> readsByAccount = callsByAccount(false);
    double assumes = awsCalls("sts", "AssumeRole");
    accountOf.keySet().forEach(ns -> APP.forEach(kind ->
        annotate(get(kind, ns, nameOf(kind)), Annotations.RECONCILE_REQUESTED_AT, "resync-" + id)));
    eventually().until(() -> accountOf.keySet().stream().allMatch(ns -> APP.stream().allMatch(kind ->
        ("resync-" + id).equals(statusField(kind, ns, nameOf(kind), "lastHandledReconcileAt")))));
    accountOf.keySet().forEach(ns -> APP.forEach(kind -> assertThat(isReady(get(kind, ns, nameOf(kind)))).isTrue()));
    assertThat(awsWrites()).as("AWS writes during in-sync resyncs in either account").isEqualTo(writes);
    assertThat(callsByAccount(true)).as("AWS writes by account").isEqualTo(writesByAccount);
    Map<String, Double> reads = callsByAccount(false);
    System.out.printf("AWS reads by account during the resync of 4 resources in each of two accounts: %s%n",
        reads.keySet().stream().collect(java.util.stream.Collectors.toMap(k -> k,
            k -> reads.get(k) - readsByAccount.getOrDefault(k, 0.0), Double::sum, java.util.TreeMap::new)));
    if (!reads.containsKey("(untagged)")) { // the metrics name the account: each resynced in its own
      assertThat(reads.getOrDefault(FIRST, 0.0)).as("reads in " + FIRST + ": " + reads)
          .isGreaterThan(readsByAccount.getOrDefault(FIRST, 0.0));
      assertThat(reads.getOrDefault(SECOND, 0.0)).as("reads in " + SECOND + ": " + reads)
          .isGreaterThan(readsByAccount.getOrDefault(SECOND, 0.0));
    }
    assertThat(awsCalls("sts", "AssumeRole")).as("credentials reused").isEqualTo(assumes);
  }

  /** Every namespaced kind shows status.accountId in kubectl get -o wide (an ACCOUNT column of priority 1). */
  @Test
  void everyNamespacedKindHasAnAccountColumnInWideOutput() {
    for (String plural : List.of("ecrrepositories", "ecsclusters", "ecstaskdefinitions", "ecsservices",
        "ecscapacityproviders", "ecrregistries", "ecrpullthroughcacherules", "ecrrepositorycreationtemplates")) {
      var crd = k8s.apiextensions().v1().customResourceDefinitions().withName(plural + ".ecsbridge.io").get();
      assertThat(crd).as(plural).isNotNull();
      List<CustomResourceColumnDefinition> columns = crd.getSpec().getVersions().get(0)
          .getAdditionalPrinterColumns();
      assertThat(columns).as(plural).anySatisfy(c -> {
        assertThat(c.getName()).isEqualToIgnoringCase("Account");
        assertThat(c.getJsonPath()).isEqualTo(".status.accountId");
        assertThat(c.getPriority()).isEqualTo(1);
      });
    }
  }

  /**
   * accountRef may pick only an account whose selector admits the namespace: another team's account and one that
   * does not exist are refused (Stalled AccountNotAllowed, an Event, nothing created anywhere); an admitted one among
   * two is used; a region outside the account's allowedRegions is refused.
   */
  @Test
  void aNamespacePicksOnlyAnAccountThatAdmitsIt() {
    String a = account("a", role(FIRST, "team-a"));
    String b = account("b", role(SECOND, "team-b"));
    String c = account("c", role(THIRD, "team-c"));
    label(namespace, "a", "b");
    label(teamB, "c");
    awaitAccountReady(c);

    createIn(namespace, EcrRepository.class, "stolen", "accountRef: {name: %s}".formatted(c));
    createIn(namespace, EcrRepository.class, "ghost", "accountRef: {name: nope-%s}".formatted(id));
    createIn(namespace, EcrRepository.class, "picked", "accountRef: {name: %s}".formatted(b));
    createIn(namespace, EcrRepository.class, "far", "accountRef: {name: %s}\nregion: eu-west-1".formatted(a));

    awaitStalled(EcrRepository.class, namespace, "stolen", "AccountNotAllowed");
    assertThat(stalledMessage(EcrRepository.class, namespace, "stolen"))
        .contains("AwsAccount " + c + " does not admit namespace " + namespace);
    assertThat(awaitWarning(EcrRepository.class, namespace, "stolen", "AccountNotAllowed")).contains(c, namespace);
    awaitStalled(EcrRepository.class, namespace, "ghost", "AccountNotAllowed");
    assertThat(stalledMessage(EcrRepository.class, namespace, "ghost"))
        .contains("AwsAccount nope-" + id + " does not admit namespace " + namespace);
    awaitWarning(EcrRepository.class, namespace, "ghost", "AccountNotAllowed");
    awaitStalled(EcrRepository.class, namespace, "far", "RegionNotAllowed");
    assertThat(stalledMessage(EcrRepository.class, namespace, "far")).contains("eu-west-1");
    awaitWarning(EcrRepository.class, namespace, "far", "RegionNotAllowed");

    awaitReady(EcrRepository.class, namespace, "picked");
    assertThat(accountIdOf(EcrRepository.class, namespace, "picked")).isEqualTo(SECOND);
    assertThat(repositories(SECOND)).containsExactly("picked");
    assertThat(repositories(FIRST)).isEmpty();
    assertThat(repositories(THIRD)).as("the other team's account").isEmpty();
    assertThat(repositories(OPERATOR_ACCOUNT)).isEmpty();
    assertThat(awsCalls("ecr", "CreateRepository")).isEqualTo(1);
    assertThat(accountIdOf(EcrRepository.class, namespace, "stolen")).as("never resolved").isNull();
  }

  /**
   * Two accounts selecting the namespace: Stalled AmbiguousAccount naming both, nothing created; relabelling the
   * namespace so that one matches heals the resource by itself (the namespace is watched).
   */
  @Test
  void twoSelectingAccountsAreAmbiguousUntilTheNamespaceIsRelabelled() {
    String a = account("a", role(FIRST, "team-a"));
    String b = account("b", role(SECOND, "team-b"));
    label(namespace, "a", "b");
    awaitAccountReady(a);
    awaitAccountReady(b);

    createIn(namespace, EcrRepository.class, "web", "{}");
    awaitStalled(EcrRepository.class, namespace, "web", "AmbiguousAccount");
    assertThat(stalledMessage(EcrRepository.class, namespace, "web")).contains(a, b);
    assertThat(awaitWarning(EcrRepository.class, namespace, "web", "AmbiguousAccount")).contains(a, b);
    assertThat(resourceCalls()).as("AWS calls while ambiguous").isEmpty();

    label(namespace, "a");
    awaitReady(EcrRepository.class, namespace, "web");
    assertThat(accountIdOf(EcrRepository.class, namespace, "web")).isEqualTo(FIRST);
    assertThat(repository(FIRST, "web").repositoryArn())
        .isEqualTo(get(EcrRepository.class, namespace, "web").getStatus().arn);
    assertThat(repositories(SECOND)).isEmpty();
    assertThat(repositories(OPERATOR_ACCOUNT)).isEmpty();
  }

  /**
   * A namespace no account selects uses the operator's own identity (status.accountId its account); with
   * ECSBRIDGE_REQUIRE_ACCOUNT=true it is Stalled AccountRequired until an account selects it; the resource made
   * with the operator's identity is then refused the switch (AccountChanged) and stays where it is.
   */
  @Test
  void withoutAnAccountTheOperatorsOwnIsUsedUnlessOneIsRequired() throws Exception {
    String a = account("a", role(FIRST, "team-a"));
    createIn(namespace, EcrRepository.class, "own", "{}");
    awaitReady(EcrRepository.class, namespace, "own");
    assertThat(accountIdOf(EcrRepository.class, namespace, "own")).isEqualTo(OPERATOR_ACCOUNT);
    assertThat(KindFixture.of("EcrRepository", aws).ownerTag("own")).isEqualTo(owner(namespace, "own"));

    startOperator(s -> s.put("ECSBRIDGE_REQUIRE_ACCOUNT", "true"));
    createIn(namespace, EcrRepository.class, "second", "{}");
    awaitStalled(EcrRepository.class, namespace, "second", "AccountRequired");
    awaitWarning(EcrRepository.class, namespace, "second", "AccountRequired");
    assertThat(awsCalls("ecr", "CreateRepository")).isZero();

    label(namespace, "a");
    awaitReady(EcrRepository.class, namespace, "second");
    assertThat(accountIdOf(EcrRepository.class, namespace, "second")).isEqualTo(FIRST);
    awaitStalled(EcrRepository.class, namespace, "own", "AccountChanged");
    awaitWarning(EcrRepository.class, namespace, "own", "AccountChanged");
    assertThat(accountIdOf(EcrRepository.class, namespace, "own")).isEqualTo(OPERATOR_ACCOUNT);
    assertThat(repositories(FIRST)).containsExactly("second");
    assertThat(repositories(OPERATOR_ACCOUNT)).containsExactly("own");
    assertThat(account(a).getStatus().namespaces).containsExactly(namespace);
  }

  /**
   * An AwsAccount whose role cannot be assumed is Stalled with STS's message, and its resources are Stalled
   * AccountNotReady saying why, while another account works; once the role can be assumed both heal without an edit.
   */
  @Test
  void anAccountWhoseRoleCannotBeAssumedStallsItsResourcesUntilItCan() throws Exception {
    String message = "User: arn:aws:sts::123456789012:assumed-role/ecs-bridge/it is not authorized to perform: "
        + "sts:AssumeRole on resource: arn:aws:iam::111111111111:role/locked";
    roleCannotBeAssumed(role(FIRST, "locked"), "AccessDenied", message);
    String a = account("a", role(FIRST, "locked"));
    account("b", role(SECOND, "team-b"));
    label(namespace, "a");
    label(teamB, "b");
    createIn(namespace, EcrRepository.class, "web", "{}");
    createIn(teamB, EcrRepository.class, "web", "{}");

    eventually().until(() -> isTrue(account(a), Conditions.STALLED));
    assertThat(condition(account(a), Conditions.STALLED).orElseThrow().getMessage()).contains(message);
    awaitStalled(EcrRepository.class, namespace, "web", "AccountNotReady");
    assertThat(stalledMessage(EcrRepository.class, namespace, "web")).contains(a, message);
    awaitWarning(EcrRepository.class, namespace, "web", "AccountNotReady");
    awaitReady(EcrRepository.class, teamB, "web");
    assertThat(repositories(FIRST)).isEmpty();
    assertThat(repositories(SECOND)).containsExactly("web");
    assertThat(awsCalls("ecr", "CreateRepository")).as("team-b's only").isEqualTo(1);

    env.moto().clearFaults(); // the trust policy fixed
    awaitAccountReady(a);
    awaitReady(EcrRepository.class, namespace, "web");
    assertThat(accountIdOf(EcrRepository.class, namespace, "web")).isEqualTo(FIRST);
    assertThat(repositories(FIRST)).containsExactly("web");
    assertThat(repositories(OPERATOR_ACCOUNT)).isEmpty();
  }

  /**
   * A new role in the same account is picked up without a restart, the resources staying Ready and acting with it;
   * a role in another account makes them Stalled AccountChanged without an AWS call, nothing made in the new account,
   * also while STS has not yet confirmed the new role's account (the AwsAccount's status still names the old one).
   */
  @Test
  void aRoleChangeIsPickedUpInTheSameAccountAndRefusedToAnother() throws Exception {
    String a = account("a", role(FIRST, "team-a"));
    label(namespace, "a");
    createIn(namespace, EcrRepository.class, "web", "{}");
    createIn(namespace, EcsCluster.class, "prod", "{}");
    awaitReady(EcrRepository.class, namespace, "web");
    awaitReady(EcsCluster.class, namespace, "prod");
    double assumes = awsCalls("sts", "AssumeRole");

    k8s.resources(AwsAccount.class).withName(a).edit(acct -> {
      acct.getSpec().roleArn = role(FIRST, "team-a-v2");
      return acct;
    });
    eventually().until(() -> isReady(account(a)) && account(a).getStatus().arn.contains(":assumed-role/team-a-v2/"));
    assertThat(account(a).getStatus().accountId).isEqualTo(FIRST);
    createIn(namespace, EcrRepository.class, "after", "{}");
    awaitReady(EcrRepository.class, namespace, "after");
    assertThat(awsCalls("sts", "AssumeRole")).as("the new role assumed").isGreaterThan(assumes);
    annotate(get(EcrRepository.class, namespace, "web"), Annotations.RECONCILE_REQUESTED_AT, "after-" + id);
    eventually().until(() -> ("after-" + id).equals(statusField(EcrRepository.class, namespace, "web",
        "lastHandledReconcileAt")));
    assertThat(isReady(get(EcrRepository.class, namespace, "web"))).isTrue();
    assertThat(isReady(get(EcsCluster.class, namespace, "prod"))).isTrue();
    assertThat(repositories(FIRST)).containsExactlyInAnyOrder("web", "after");

    // to a role in another account, while STS cannot confirm yet who that is: the account's status still says
    // FIRST, its new credentials are SECOND's; a pass now (asked for) must not act with them (a pass that raced the
    // edit may still read in FIRST with the old, confirmed credentials: reads are not counted here, writes are)
    identityUnknownIn(SECOND);
    Map<String, Double> calls = resourceCalls();
    double identities = awsCalls("sts", "GetCallerIdentity");
    k8s.resources(AwsAccount.class).withName(a).edit(acct -> {
      acct.getSpec().roleArn = role(SECOND, "team-a");
      return acct;
    });
    eventually().until(() -> awsCalls("sts", "GetCallerIdentity") > identities);
    for (var kind : List.of(EcrRepository.class, EcsCluster.class)) {
      String name = kind == EcsCluster.class ? "prod" : "web";
      annotate(get(kind, namespace, name), Annotations.RECONCILE_REQUESTED_AT, "switch-" + id);
      eventually().until(() -> ("switch-" + id).equals(statusField(kind, namespace, name, "lastHandledReconcileAt")));
      assertThat(health(get(kind, namespace, name))).as(kind.getSimpleName() + " while the account is unconfirmed")
          .matches("Ready=False AccountPending .*|Stalled AccountChanged .*");
    }
    assertThat(repositories(SECOND)).as("made in the new account before it was confirmed").isEmpty();
    assertThat(in(SECOND).ecs().listClusters().clusterArns()).isEmpty();
    assertThat(writes(resourceCalls())).as("AWS writes while the account is unconfirmed").isEqualTo(writes(calls));

    env.moto().clearFaults();
    for (var kind : List.of(EcrRepository.class, EcsCluster.class)) {
      String name = kind == EcsCluster.class ? "prod" : "web";
      awaitStalled(kind, namespace, name, "AccountChanged");
      assertThat(stalledMessage(kind, namespace, name)).contains(FIRST, SECOND);
      awaitWarning(kind, namespace, name, "AccountChanged");
      assertThat(accountIdOf(kind, namespace, name)).isEqualTo(FIRST);
    }
    awaitStalled(EcrRepository.class, namespace, "after", "AccountChanged");
    // Stalled AccountChanged: a pass (asked for) calls nothing in AWS
    Map<String, Double> changed = resourceCalls();
    for (var kind : List.of(EcrRepository.class, EcsCluster.class)) {
      String name = kind == EcsCluster.class ? "prod" : "web";
      annotate(get(kind, namespace, name), Annotations.RECONCILE_REQUESTED_AT, "changed-" + id);
      eventually().until(() -> ("changed-" + id).equals(statusField(kind, namespace, name,
          "lastHandledReconcileAt")));
      assertThat(reason(get(kind, namespace, name), Conditions.STALLED)).isEqualTo("AccountChanged");
    }
    assertThat(resourceCalls()).as("AWS calls of passes after the switch to another account").isEqualTo(changed);
    assertThat(writes(resourceCalls())).as("AWS writes since the switch").isEqualTo(writes(calls));
    assertThat(repositories(SECOND)).isEmpty();
    assertThat(in(SECOND).ecs().listClusters().clusterArns()).isEmpty();
    assertThat(repositories(FIRST)).containsExactlyInAnyOrder("web", "after");
  }

  /**
   * Deleting a resource deletes it in its account only (the same name in the other account and in the operator's own
   * stays); deleting one whose account is gone waits (Stalled AccountUnavailable, finalizer kept) until it is back.
   */
  @Test
  void deletingDeletesInTheResourcesAccountAndWaitsForAnUnavailableOne() {
    account("a", role(FIRST, "team-a"));
    String b = account("b", role(SECOND, "team-b"));
    label(namespace, "a");
    label(teamB, "b");
    aws.ecr().createRepository(r -> r.repositoryName("web")); // the operator's own account: not ecs-bridge's
    createIn(namespace, EcrRepository.class, "web", "{}");
    createIn(teamB, EcrRepository.class, "web", "{}");
    awaitReady(EcrRepository.class, namespace, "web");
    awaitReady(EcrRepository.class, teamB, "web");
    assertThat(repositories(FIRST)).containsExactly("web");

    k8s.resources(EcrRepository.class).inNamespace(namespace).withName("web").delete();
    eventually().until(() -> get(EcrRepository.class, namespace, "web") == null);
    assertThat(repositories(FIRST)).isEmpty();
    assertThat(repositories(SECOND)).containsExactly("web");
    assertThat(repositories(OPERATOR_ACCOUNT)).containsExactly("web");

    k8s.resources(AwsAccount.class).withName(b).delete();
    eventually().until(() -> account(b) == null);
    k8s.resources(EcrRepository.class).inNamespace(teamB).withName("web").delete();
    eventually().until(() -> "AccountUnavailable".equals(reason(get(EcrRepository.class, teamB, "web"),
        Conditions.STALLED)));
    assertThat(stalledMessage(EcrRepository.class, teamB, "web")).contains(SECOND);
    awaitWarning(EcrRepository.class, teamB, "web", "AccountUnavailable");
    EcrRepository waiting = get(EcrRepository.class, teamB, "web");
    assertThat(waiting.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(waiting.getMetadata().getFinalizers()).isNotEmpty();
    assertThat(repositories(SECOND)).containsExactly("web");
    assertThat(repositories(OPERATOR_ACCOUNT)).containsExactly("web");

    account("b", role(SECOND, "team-b")); // the platform team puts it back
    eventually().until(() -> get(EcrRepository.class, teamB, "web") == null);
    assertThat(repositories(SECOND)).isEmpty();
    assertThat(repositories(OPERATOR_ACCOUNT)).containsExactly("web");
  }
}
