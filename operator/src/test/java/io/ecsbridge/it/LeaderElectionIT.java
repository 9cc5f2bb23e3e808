package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.EcsBridgeOperator;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.aws.AwsCallMeter;
import io.ecsbridge.config.OperatorConfig;
import io.ecsbridge.testing.OperatorIT;
import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two replicas with leader election: only the leader touches AWS; when it goes, the other takes over. */
class LeaderElectionIT extends OperatorIT {
  private EcsBridgeOperator replicaA;
  private EcsBridgeOperator replicaB;

  private EcsBridgeOperator replica(String pod) throws Exception {
    Map<String, String> s = operatorSettings(namespace);
    s.put("ECSBRIDGE_LEADER_ELECTION", "true");
    s.put("ECSBRIDGE_LEASE_NAMESPACE", namespace);
    s.put("POD_NAME", pod);
    return new EcsBridgeOperator(OperatorConfig.load(s), k8s, TestEnvironment.CREDENTIALS).start();
  }

  @AfterEach
  void stopReplicas() {
    if (replicaA != null) {
      replicaA.close();
    }
    if (replicaB != null) {
      replicaB.close();
    }
  }

  private EcrRepository repo(String name) {
    return k8s.getKubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepository
        metadata: {name: %s}
        spec: {imageTagMutability: MUTABLE}
        """.formatted(name), EcrRepository.class);
  }

  private static double calls(EcsBridgeOperator replica) {
    return AwsCallMeter.count(replica.registry(), null, null, null);
  }

  @Test
  void onlyTheLeaderReconcilesAndAFollowerTakesOver() throws Exception {
    operator.close(); // the base class's operator runs without leader election: not part of this test
    operator = null;
    replicaA = replica("replica-a");
    eventually().until(() -> {
      Lease lease = k8s.leases().inNamespace(namespace).withName("ecs-bridge-leader").get();
      return lease != null && "replica-a".equals(lease.getSpec().getHolderIdentity());
    });
    replicaB = replica("replica-b");

    create(repo("first"));
    eventually().until(() -> isReady(get(EcrRepository.class, "first")));
    assertThat(calls(replicaA)).isPositive();
    assertThat(calls(replicaB)).as("the follower's AWS calls").isZero();

    replicaA.close();
    replicaA = null;
    // the leader released the Lease as it stopped: the follower takes it at its next try (every 2 to 4.4 s), not
    // once the Lease has expired (15 s)
    assertThat(k8s.leases().inNamespace(namespace).withName("ecs-bridge-leader").get().getSpec().getHolderIdentity())
        .isNotEqualTo("replica-a");
    create(repo("second"));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
        .until(() -> isReady(get(EcrRepository.class, "second")));
    assertThat(k8s.leases().inNamespace(namespace).withName("ecs-bridge-leader").get().getSpec().getHolderIdentity())
        .isEqualTo("replica-b");
    assertThat(calls(replicaB)).isPositive();
  }
}
