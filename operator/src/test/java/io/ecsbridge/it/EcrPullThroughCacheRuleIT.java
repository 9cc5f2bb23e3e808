package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcrPullThroughCacheRule;
import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.Event;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.PullThroughCacheRule;
import software.amazon.awssdk.services.ecr.model.PullThroughCacheRuleNotFoundException;

/**
 * EcrPullThroughCacheRule end to end against the real API server and moto with the project's extension
 * (ecsbridge_ecr_registry.py, which checks the credentials secret exists, as ECR does): create, update of the
 * credentials secret, drift put back, in-sync resyncs that only read, deletion; both sides checked.
 */
class EcrPullThroughCacheRuleIT extends OperatorIT {

  private String secret(String name) {
    return aws.secretsManager().createSecret(r -> r.name("ecr-pullthroughcache/" + name)
        .secretString("{\"username\":\"u\",\"accessToken\":\"t\"}")).arn();
  }

  private PullThroughCacheRule rule(String prefix) {
    try {
      return aws.ecr().describePullThroughCacheRules(r -> r.ecrRepositoryPrefixes(prefix)).pullThroughCacheRules()
          .get(0);
    } catch (PullThroughCacheRuleNotFoundException e) {
      return null;
    }
  }

  @Test
  void createUpdateDriftInSyncResyncsAndDelete() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s")); // drift made in AWS is seen on the next resync
    String first = secret("hub-first");
    String second = secret("hub-second");
    EcrPullThroughCacheRule cr = create(resource(EcrPullThroughCacheRule.class, "hub", """
        ecrRepositoryPrefix: docker-hub
        upstreamRegistry: docker-hub
        upstreamRegistryUrl: registry-1.docker.io
        credentialArn: %s
        """.formatted(first)));
    EcrPullThroughCacheRule ready = awaitReady(EcrPullThroughCacheRule.class, "hub");
    PullThroughCacheRule live = rule("docker-hub");
    assertThat(live.upstreamRegistryUrl()).isEqualTo("registry-1.docker.io");
    assertThat(live.upstreamRegistryAsString()).isEqualTo("docker-hub");
    assertThat(live.credentialArn()).isEqualTo(first);
    assertThat(ready.getStatus().registryId).isEqualTo(live.registryId()).matches("[0-9]{12}");
    assertThat(ready.getStatus().createdAt).isEqualTo(live.createdAt().toString());
    assertThat(ready.getStatus().ownedIdentity).isEqualTo(live.registryId() + ":us-east-1:docker-hub");
    assertThat(hasEvent(ready, "Created")).isTrue();

    // update: the credentials secret, through UpdatePullThroughCacheRule
    edit(cr, r -> {
      r.getSpec().credentialArn = second;
      return r;
    });
    eventually().until(() -> second.equals(rule("docker-hub").credentialArn()));
    EcrPullThroughCacheRule updated = awaitReady(EcrPullThroughCacheRule.class, "hub");
    assertThat(events(updated)).filteredOn(e -> "Updated".equals(e.getReason())).extracting(Event::getMessage)
        .anyMatch(m -> m.contains("credentialArn"));
    eventually().until(() -> get(EcrPullThroughCacheRule.class, "hub").getStatus().updatedAt != null);

    // drift made in AWS is put back
    aws.ecr().updatePullThroughCacheRule(r -> r.ecrRepositoryPrefix("docker-hub").credentialArn(first));
    eventually().until(() -> second.equals(rule("docker-hub").credentialArn())
        && hasEvent(get(EcrPullThroughCacheRule.class, "hub"), "DriftCorrected"));

    // in-sync resyncs read one rule and write nothing
    awaitReady(EcrPullThroughCacheRule.class, "hub");
    double writes = awsWrites();
    double describes = awsCalls("ecr", "DescribePullThroughCacheRules");
    double reads = awsCalls("ecr", null) - writes;
    eventually().until(() -> awsCalls("ecr", "DescribePullThroughCacheRules") >= describes + 3);
    double resyncs = awsCalls("ecr", "DescribePullThroughCacheRules") - describes;
    assertThat(awsWrites()).as("write calls during in-sync resyncs").isEqualTo(writes);
    double readsPerResync = (awsCalls("ecr", null) - awsWrites() - reads) / resyncs;
    System.out.printf("AWS calls per in-sync EcrPullThroughCacheRule resync: %.1f reads, 0 writes (%d resyncs)%n",
        readsPerResync, (long) resyncs);
    assertThat(readsPerResync).isEqualTo(1.0);

    // deletion removes the rule
    k8s.resource(get(EcrPullThroughCacheRule.class, "hub")).delete();
    eventually().until(() -> get(EcrPullThroughCacheRule.class, "hub") == null);
    assertThat(rule("docker-hub")).isNull();
    assertThat(events(cr)).anyMatch(e -> "Deleted".equals(e.getReason()));
  }

  @Test
  void anEcrUpstreamWithItsRoleAndPrefixAndASecretThatDoesNotExistIsStalledUntilTheSpecNamesOne() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_STALLED_RECHECK", "1s"));
    create(resource(EcrPullThroughCacheRule.class, "upstream", """
        ecrRepositoryPrefix: upstream
        upstreamRegistry: ecr
        upstreamRegistryUrl: 210987654321.dkr.ecr.eu-west-1.amazonaws.com
        upstreamRepositoryPrefix: team
        customRoleArn: arn:aws:iam::123456789012:role/ecr-upstream
        """));
    awaitReady(EcrPullThroughCacheRule.class, "upstream");
    assertThat(rule("upstream").customRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/ecr-upstream");
    assertThat(rule("upstream").upstreamRepositoryPrefix()).isEqualTo("team");
    EcrPullThroughCacheRule role = get(EcrPullThroughCacheRule.class, "upstream");
    edit(role, r -> {
      r.getSpec().customRoleArn = "arn:aws:iam::123456789012:role/ecr-upstream-2";
      return r;
    });
    eventually().until(() -> "arn:aws:iam::123456789012:role/ecr-upstream-2".equals(rule("upstream").customRoleArn()));

    // a secret that does not exist: Stalled with ECR's message, nothing made, until the spec names one that does
    String missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/ghcr-later";
    create(resource(EcrPullThroughCacheRule.class, "ghcr", """
        ecrRepositoryPrefix: ghcr
        upstreamRegistry: github-container-registry
        upstreamRegistryUrl: ghcr.io
        credentialArn: %s
        """.formatted(missing)));
    eventually().until(() -> "SecretNotFound".equals(reason(get(EcrPullThroughCacheRule.class, "ghcr"),
        io.ecsbridge.status.Conditions.STALLED)));
    assertThat(rule("ghcr")).isNull();
    String made = secret("ghcr-later");
    edit(get(EcrPullThroughCacheRule.class, "ghcr"), r -> {
      r.getSpec().credentialArn = made;
      return r;
    });
    awaitReady(EcrPullThroughCacheRule.class, "ghcr");
    assertThat(rule("ghcr").credentialArn()).isEqualTo(made);
  }

  @Test
  void aRuleOfAnotherUpstreamIsStalledUpstreamMismatchUnderAdoptAndOutOfSyncUnderObserveOnlyWithoutAWrite()
      throws Exception {
    startOperator(s -> { });
    aws.ecr().createPullThroughCacheRule(r -> r.ecrRepositoryPrefix("mirror").upstreamRegistry("quay")
        .upstreamRegistryUrl("quay.io"));
    double writes = awsWrites();
    create(resource(EcrPullThroughCacheRule.class, "observer", """
        ecrRepositoryPrefix: mirror
        upstreamRegistry: k8s
        upstreamRegistryUrl: registry.k8s.io
        managementPolicy: ObserveOnly
        """));
    eventually().until(() -> "OutOfSync".equals(reason(get(EcrPullThroughCacheRule.class, "observer"),
        io.ecsbridge.status.Conditions.STALLED)));
    create(resource(EcrPullThroughCacheRule.class, "adopter", """
        ecrRepositoryPrefix: mirror
        upstreamRegistry: k8s
        upstreamRegistryUrl: registry.k8s.io
        managementPolicy: Adopt
        deletionPolicy: Retain
        """));
    eventually().until(() -> "UpstreamMismatch".equals(reason(get(EcrPullThroughCacheRule.class, "adopter"),
        io.ecsbridge.status.Conditions.STALLED)));
    assertThat(condition(get(EcrPullThroughCacheRule.class, "adopter"), io.ecsbridge.status.Conditions.STALLED)
        .orElseThrow().getMessage()).contains("caches quay quay.io", "upstreamRegistry", "upstreamRegistryUrl");
    assertThat(awsWrites()).as("no write to a rule of another upstream").isEqualTo(writes);
    assertThat(rule("mirror").upstreamRegistryUrl()).isEqualTo("quay.io");
  }
}
