package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.DeletionPolicy;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.contract.AccountScopes;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.OperatorIT;
import io.ecsbridge.testing.TestEnvironment;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The frame's account resolution against the real API server and moto, driven by its watches alone: with an account
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

  @AfterEach
  void deleteAccount() {
    k8s.resources(AwsAccount.class).withName(accountName).delete();
  }

  private EcrRepository repo() {
    return get(EcrRepository.class, "app");
  }

  private String stalledReason() {
    EcrRepository r = repo();
    return r == null || !isTrue(r, Conditions.STALLED) ? null : reason(r, Conditions.STALLED);
  }

  @Test
  void aNamespaceAdmittedLaterResolvesAtOnceAndDeletionNeverFallsBackToTheOperator() {
    k8s.resource(resource(AwsAccount.class, accountName, """
        roleArn: arn:aws:iam::%s:role/watches
        namespaceSelector:
          matchLabels: {team: %s}
        """.formatted(ACCOUNT_ID, team))).create();
    eventually().until(() -> {
      AwsAccount a = k8s.resources(AwsAccount.class).withName(accountName).get();
      return a.getStatus() != null && ACCOUNT_ID.equals(a.getStatus().accountId);
    });
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
}
