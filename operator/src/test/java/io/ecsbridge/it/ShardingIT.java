package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.EcsBridgeOperator;
import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.aws.AwsCallMeter;
import io.ecsbridge.config.OperatorConfig;
import io.ecsbridge.config.Sharding;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.IamPolicy;
import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * Two shards of one installation on the real API server and moto, each with its own Lease: a resource is reconciled
 * by the shard its ecsbridge.io/shard label names (shard 0: unlabelled or any other value), the other shard makes no
 * AWS call for it; relabelling hands it over with one AWS write for a change made in the same update; a resource
 * moved while its deletion waits is deleted once, by the new shard; AwsAccounts are shard 0's, and shard 1 acts in
 * an account with the credentials it built itself.
 */
class ShardingIT extends AccountsFixtures {
  private final EcsBridgeOperator[] shards = new EcsBridgeOperator[2];

  @BeforeEach
  void startTwoShards() throws Exception {
    operator.close(); // the base class's single operator is not part of this test
    operator = null;
    for (int k = 0; k < 2; k++) {
      Map<String, String> s = new HashMap<>(operatorSettings(namespace + "," + teamB));
      s.put("ECSBRIDGE_SHARDS", "2");
      s.put("ECSBRIDGE_SHARD", String.valueOf(k));
      s.put("ECSBRIDGE_LEADER_ELECTION", "true");
      s.put("ECSBRIDGE_LEASE_NAMESPACE", namespace);
      s.put("ECSBRIDGE_STALLED_RECHECK", "1s");
      s.put("POD_NAME", "shard-" + k);
      shards[k] = new EcsBridgeOperator(OperatorConfig.load(s), k8s, TestEnvironment.CREDENTIALS).start();
    }
  }

  @AfterEach
  void stopShards() {
    deleteAccounts(); // while shard 0, which holds their finalizer, runs
    for (EcsBridgeOperator shard : shards) {
      if (shard != null) {
        assertThat(IamPolicy.notAllowedCalls(shard.registry())).as("AWS calls not allowed by docs/iam-policy.json")
            .isEmpty();
        shard.close();
      }
    }
  }

  private EcrRepository repo(String name, String shard, String mutability) {
    EcrRepository repo = resource(EcrRepository.class, name, "imageTagMutability: " + mutability);
    if (shard != null) {
      repo.getMetadata().setLabels(Map.of(Sharding.LABEL, shard));
    }
    return repo;
  }

  private double calls(int shard, String operation) {
    return AwsCallMeter.count(shards[shard].registry(), null, operation, null);
  }

  private double calls(int shard) {
    return calls(shard, null);
  }

  private String mutability(String name) {
    return aws.ecr().describeRepositories(r -> r.repositoryNames(name)).repositories().get(0)
        .imageTagMutabilityAsString();
  }

  @Test
  void eachShardLeadsThroughItsOwnLeaseAndReconcilesOnlyItsResources() {
    eventually().until(() -> holder("ecs-bridge-leader-shard-0").equals("shard-0")
        && holder("ecs-bridge-leader-shard-1").equals("shard-1"));

    create(repo("one", "1", "MUTABLE"));
    awaitReady(EcrRepository.class, "one");
    assertThat(mutability("one")).isEqualTo("MUTABLE");
    assertThat(calls(1, "CreateRepository")).isEqualTo(1);
    assertThat(calls(0)).as("shard 0's AWS calls for a resource of shard 1").isZero();

    double shardOne = calls(1);
    create(repo("unlabelled", null, "MUTABLE"));
    create(repo("elsewhere", "7", "IMMUTABLE")); // a value no shard has: shard 0's
    awaitReady(EcrRepository.class, "unlabelled");
    awaitReady(EcrRepository.class, "elsewhere");
    assertThat(mutability("elsewhere")).isEqualTo("IMMUTABLE");
    assertThat(calls(0, "CreateRepository")).isEqualTo(2);
    assertThat(calls(1)).as("shard 1's AWS calls for resources of shard 0").isEqualTo(shardOne);
    // per-shard series: every meter of a shard carries its shard
    assertThat(shards[1].registry().scrape()).contains("shard=\"1\"").doesNotContain("shard=\"0\"");
  }

  private String holder(String lease) {
    Lease l = k8s.leases().inNamespace(namespace).withName(lease).get();
    return l == null || l.getSpec().getHolderIdentity() == null ? "" : l.getSpec().getHolderIdentity();
  }

  @Test
  void relabellingHandsOverWithOneWriteForAChangeMadeInTheSameUpdate() {
    create(repo("moving", null, "MUTABLE"));
    EcrRepository ready = awaitReady(EcrRepository.class, "moving");
    double before0 = calls(0);
    double before1 = calls(1);

    EcrRepository moved = k8s.resources(EcrRepository.class).inNamespace(namespace).withName("moving").edit(r -> {
      r.getMetadata().setLabels(Map.of(Sharding.LABEL, "1"));
      r.getSpec().imageTagMutability = io.ecsbridge.api.v1alpha1.EcrRepositorySpec.ImageTagMutability.IMMUTABLE;
      return r;
    });
    long generation = moved.getMetadata().getGeneration();
    assertThat(generation).isGreaterThan(ready.getMetadata().getGeneration());
    eventually().until(() -> isReady(get(EcrRepository.class, "moving"))
        && get(EcrRepository.class, "moving").getStatus().getObservedGeneration() == generation);
    assertThat(mutability("moving")).isEqualTo("IMMUTABLE");
    assertThat(calls(1, "PutImageTagMutability")).as("the change, written by shard 1").isEqualTo(1);
    assertThat(calls(0, "PutImageTagMutability")).as("shard 0 never saw the change").isZero();
    assertThat(calls(0)).as("shard 0's AWS calls after the move").isEqualTo(before0);
    assertThat(calls(1)).isGreaterThan(before1);

    // shard 1 keeps it: a reconcile asked for is answered by shard 1 alone, the status stays at the generation
    k8s.resources(EcrRepository.class).inNamespace(namespace).withName("moving").edit(r -> {
      r.getMetadata().getAnnotations().put(Annotations.RECONCILE_REQUESTED_AT, "handover-check");
      return r;
    });
    eventually().until(() -> "handover-check".equals(get(EcrRepository.class, "moving").getStatus()
        .getLastHandledReconcileAt()));
    EcrRepository kept = get(EcrRepository.class, "moving");
    assertThat(isReady(kept)).isTrue();
    assertThat(kept.getStatus().getObservedGeneration()).isEqualTo(generation);
    assertThat(calls(0)).as("shard 0's AWS calls after the move").isEqualTo(before0);
    assertThat(calls(1, "PutImageTagMutability")).as("no write on an in-sync look").isEqualTo(1);
  }

  @Test
  void aResourceMovedWhileItsDeletionWaitsIsDeletedOnceByTheNewShard() {
    create(repo("leaving", null, "MUTABLE"));
    awaitReady(EcrRepository.class, "leaving");
    aws.ecr().putImage(r -> r.repositoryName("leaving").imageTag("v1").imageManifest(MANIFEST));
    k8s.resources(EcrRepository.class).inNamespace(namespace).withName("leaving").delete();
    eventually().until(() -> "RepositoryNotEmpty".equals(reason(get(EcrRepository.class, "leaving"),
        Conditions.STALLED)));

    k8s.resources(EcrRepository.class).inNamespace(namespace).withName("leaving").edit(r -> {
      r.getMetadata().setLabels(Map.of(Sharding.LABEL, "1"));
      r.getSpec().forceDelete = true;
      return r;
    });
    eventually().until(() -> get(EcrRepository.class, "leaving") == null);
    assertThat(repositoryGone("leaving")).isTrue();
    assertThat(AwsCallMeter.count(shards[1].registry(), null, "DeleteRepository", "ok")).isEqualTo(1);
    assertThat(AwsCallMeter.count(shards[0].registry(), null, "DeleteRepository", "ok")).isZero();
  }

  private boolean repositoryGone(String name) {
    try {
      aws.ecr().describeRepositories(r -> r.repositoryNames(name));
      return false;
    } catch (RepositoryNotFoundException e) {
      return true;
    }
  }

  @Test
  void awsAccountsAreShardZerosAndShardOneActsInThemWithItsOwnCredentials() {
    String account = account("a", role(FIRST, "ecsbridge"));
    label(namespace, "a");
    awaitAccountReady(account);

    create(repo("tenant", "1", "MUTABLE"));
    awaitReady(EcrRepository.class, "tenant");
    assertThat(accountIdOf(EcrRepository.class, namespace, "tenant")).isEqualTo(FIRST);
    assertThat(repository(FIRST, "tenant")).isNotNull();
    assertThat(repository(OPERATOR_ACCOUNT, "tenant")).isNull();
    assertThat(AwsCallMeter.count(shards[0].registry(), null, "sts", "AssumeRole", null))
        .as("shard 0 assumes the role for the AwsAccount").isPositive();
    assertThat(AwsCallMeter.count(shards[1].registry(), null, "sts", "GetCallerIdentity", null))
        .as("shard 1 asks STS who its own credentials are").isPositive();
    assertThat(AwsCallMeter.count(shards[1].registry(), null, "ecr", "CreateRepository", null)).isEqualTo(1);
    assertThat(AwsCallMeter.count(shards[0].registry(), null, "ecr", null, null))
        .as("shard 0's ECR calls for shard 1's resource").isZero();
    assertThat(k8s.resources(io.ecsbridge.api.v1alpha1.AwsAccount.class).withName(account).get().getMetadata()
        .getFinalizers()).as("one finalizer, shard 0's").hasSize(1);
  }

  private static final String MANIFEST = """
      {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
       "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023,
                  "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},
       "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 32654,
                   "digest": "sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f"}]}
      """;
}
