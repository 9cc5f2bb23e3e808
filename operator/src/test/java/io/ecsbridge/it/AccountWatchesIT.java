package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.EcsBridgeOperator;
import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.DeletionPolicy;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.config.OperatorConfig;
import io.ecsbridge.contract.AccountScopes;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.OperatorIT;
import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The frame's account resolution against the real API server and moto, driven by its watches alone (one AwsAccount
 * watch and one Namespace watch for the whole process, shared by every kind's controller and the AwsAccount
 * reconciler): with an account
 * required, a namespace no AwsAccount admits is Stalled AccountRequired; labelling it for an AwsAccount resolves at
 * once (the Namespace watch), the repository is made in that account (read back from moto with the account's
 * credentials) and status.accountId names it; the AwsAccount deleted, deleting the repository waits, Stalled
 * AccountUnavailable (the AwsAccount watch), without touching AWS, until deletionPolicy Retain lets it go.
 */
class AccountWatchesIT extends OperatorIT {
  private static final String ACCOUNT_ID = "111111111111";
  private String team;
  private String accountName;

  @BeforeEach
  void requireAccounts() throws Exception {
    startOperator(settings -> settings.put("ECSBRIDGE_REQUIRE_ACCOUNT", "true"));
    team = "t" + UUID.randomUUID().toString().substring(0, 6);
    accountName = "watches-" + team;
  }

  /** The watch requests the operator's client opened, by path (a client of its own, counted by an interceptor). */
  private final Map<String, AtomicInteger> watches = new ConcurrentHashMap<>();
  private KubernetesClient counted;

  @AfterEach
  void deleteAccount() {
    k8s.resources(AwsAccount.class).withName(accountName).delete();
    if (counted != null) {
      operator.close(); // the base class checks its AWS calls after (close is idempotent)
      counted.close();
    }
  }

  /** Restarts the operator on a client of its own that counts the watch requests it opens, by path. */
  private void startCountingWatches() {
    operator.close();
    if (counted != null) {
      counted.close();
    }
    watches.clear();
    Interceptor counter = new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (request.uri().getQuery() != null && request.uri().getQuery().contains("watch=true")) {
          watches.computeIfAbsent(request.uri().getPath(), k -> new AtomicInteger()).incrementAndGet();
        }
      }
    };
    counted = new KubernetesClientBuilder().withConfig(k8s.getConfiguration())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count-watches", counter)).build();
    Map<String, String> settings = operatorSettings(namespace);
    settings.put("ECSBRIDGE_REQUIRE_ACCOUNT", "true");
    operator = new EcsBridgeOperator(OperatorConfig.load(settings), counted, TestEnvironment.CREDENTIALS).start();
  }

  private int watchesOf(String path) {
    AtomicInteger n = watches.get(path);
    return n == null ? 0 : n.get();
  }

  private EcrRepository repo() {
    return get(EcrRepository.class, "app");
  }

  private String stalledReason() {
    EcrRepository r = repo();
    return r == null || !isTrue(r, Conditions.STALLED) ? null : reason(r, Conditions.STALLED);
  }

  /** The AwsAccount of this test, selecting namespaces labelled with its team, once its account id is known. */
  private void createAccountForTeam() {
    k8s.resource(resource(AwsAccount.class, accountName, """
        roleArn: arn:aws:iam::%s:role/watches
        namespaceSelector:
          matchLabels: {team: %s}
        """.formatted(ACCOUNT_ID, team))).create();
    eventually().until(() -> {
      AwsAccount a = k8s.resources(AwsAccount.class).withName(accountName).get();
      return a.getStatus() != null && ACCOUNT_ID.equals(a.getStatus().accountId);
    });
  }

  @Test
  void aNamespaceAdmittedLaterResolvesAtOnceAndDeletionNeverFallsBackToTheOperator() {
    createAccountForTeam();
    create(resource(EcrRepository.class, "app", "repositoryName: watches-" + team));
    eventually().until(() -> AccountScopes.ACCOUNT_REQUIRED.equals(stalledReason()));
    assertThat(repo().getStatus().getAccountId()).isNull();
    assertThat(hasEvent(repo(), AccountScopes.ACCOUNT_REQUIRED)).isTrue();

    // the namespace is labelled for the account: resolved at once (not after the Stalled backoff of a minute)
    k8s.namespaces().withName(namespace).edit(ns -> {
      ns.getMetadata().setLabels(Map.of("team", team));
      return ns;
    });
    EcrRepository ready = awaitReady(EcrRepository.class, "app");
    assertThat(ready.getStatus().getAccountId()).isEqualTo(ACCOUNT_ID);
    assertThat(ready.getStatus().repositoryUri).startsWith(ACCOUNT_ID + ".dkr.ecr.");
    try (EcrClient inAccount = EcrClient.builder().region(Region.of(TestEnvironment.REGION))
        .endpointOverride(env.moto().endpoint())
        .credentialsProvider(operator.accounts().lookup(accountName).orElseThrow()).build()) {
      assertThat(inAccount.describeRepositories(r -> r.repositoryNames("watches-" + team)).repositories())
          .singleElement().satisfies(r -> assertThat(r.registryId()).isEqualTo(ACCOUNT_ID));
    }
    assertThat(aws.ecr().describeRepositories().repositories())
        .as("nothing in the operator's own account").noneMatch(r -> r.repositoryName().equals("watches-" + team));

    // the AwsAccount goes; deleting the repository waits for it, blocked, never as the operator's identity
    k8s.resources(AwsAccount.class).withName(accountName).delete();
    eventually().until(() -> k8s.resources(AwsAccount.class).withName(accountName).get() == null);
    k8s.resource(repo()).delete();
    eventually().until(() -> AccountScopes.ACCOUNT_UNAVAILABLE.equals(stalledReason()));
    assertThat(condition(repo(), Conditions.STALLED).orElseThrow().getMessage())
        .contains("AWS account " + ACCOUNT_ID, "deletionPolicy: Retain");
    assertThat(hasEvent(repo(), AccountScopes.ACCOUNT_UNAVAILABLE)).isTrue();

    // Retain: released, the repository left in its account
    edit(repo(), r -> {
      r.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
      return r;
    });
    eventually().until(() -> repo() == null);
  }

  /**
   * Two kinds' resources in one namespace both resolve again when the namespace gets the label an AwsAccount selects,
   * through the one Namespace watch of the process (JOSDK's informers per kind had one each: nine Namespace watches
   * and nine AwsAccount watches for the eight namespaced kinds and the AwsAccount controller); a restart over them never
   * shows a resource an empty directory (it is never Stalled AccountRequired again), nor a wait for the credentials.
   */
  @Test
  void oneNamespaceWatchAndOneAccountWatchServeEveryKind() {
    startCountingWatches();
    createAccountForTeam();
    create(resource(EcrRepository.class, "app", "repositoryName: watches-" + team));
    create(resource(EcsCluster.class, "prod", "clusterName: watches-" + team));
    eventually().until(() -> AccountScopes.ACCOUNT_REQUIRED.equals(stalledReason())
        && AccountScopes.ACCOUNT_REQUIRED.equals(reason(get(EcsCluster.class, "prod"), Conditions.STALLED)));

    k8s.namespaces().withName(namespace).edit(ns -> {
      ns.getMetadata().setLabels(Map.of("team", team));
      return ns;
    });
    assertThat(awaitReady(EcrRepository.class, "app").getStatus().getAccountId()).isEqualTo(ACCOUNT_ID);
    assertThat(awaitReady(EcsCluster.class, "prod").getStatus().getAccountId()).isEqualTo(ACCOUNT_ID);

    assertThat(watchesOf("/api/v1/namespaces")).as("Namespace watches of the operator: %s", watches).isEqualTo(1);
    assertThat(watchesOf("/apis/ecsbridge.io/v1alpha1/awsaccounts"))
        .as("AwsAccount watches: the AwsAccount controller's own and the shared one; %s", watches).isEqualTo(2);

    // a restart: every controller's first pass reads a synced directory (an empty one would say AccountRequired:
    // Stalled again, a new transition and a second Warning), and waits quietly for the new process to confirm the
    // account's credentials (AccountPending was written, flipping Ready to False and back): neither condition moves
    Condition stalledBefore = condition(get(EcsCluster.class, "prod"), Conditions.STALLED).orElseThrow();
    Condition readyBefore = condition(get(EcsCluster.class, "prod"), Conditions.READY).orElseThrow();
    assertThat(stalledBefore.getStatus()).isEqualTo("False");
    int warned = accountRequiredWarnings();
    startCountingWatches();
    // a pass asked for by a person while the new process confirms the credentials would tell its wait: asked after
    eventually().until(() -> operator.accounts().lookup(accountName, ACCOUNT_ID).isPresent());
    edit(get(EcsCluster.class, "prod"), c -> {
      c.getMetadata().setAnnotations(Map.of(Annotations.RECONCILE_REQUESTED_AT, "after-restart"));
      return c;
    });
    eventually().until(() -> "after-restart".equals(get(EcsCluster.class, "prod").getStatus()
        .getLastHandledReconcileAt()) && isReady(get(EcsCluster.class, "prod")));
    assertThat(condition(get(EcsCluster.class, "prod"), Conditions.STALLED).orElseThrow())
        .as("never Stalled across the restart").usingRecursiveComparison().isEqualTo(stalledBefore);
    // the message may go from "is created" to "is in sync" (the first pass after the create: before the restart when
    // something else asked for one, here the restart's); a flip through AccountPending would move the rest
    assertThat(condition(get(EcsCluster.class, "prod"), Conditions.READY).orElseThrow())
        .as("Ready all along").usingRecursiveComparison().ignoringFields("message").isEqualTo(readyBefore);
    assertThat(accountRequiredWarnings()).isEqualTo(warned);
    awaitReady(EcrRepository.class, "app");
  }

  /** The AccountRequired Warnings told of the test's two resources (an Event's count included). */
  private int accountRequiredWarnings() {
    return Stream.of(get(EcsCluster.class, "prod"), (HasMetadata) repo()).flatMap(r -> events(r).stream())
        .filter(e -> AccountScopes.ACCOUNT_REQUIRED.equals(e.getReason()))
        .mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum();
  }
}
