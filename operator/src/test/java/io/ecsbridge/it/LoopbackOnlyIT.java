package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ecsbridge.testing.Listeners;
import io.ecsbridge.testing.Listeners.Listener;
import io.ecsbridge.testing.OperatorIT;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every server the tests start (kube-apiserver, etcd, moto, the operator's HTTP server) listens on loopback only:
 * nothing of ours is reachable from another machine, etcd least of all (it has no authentication).
 */
class LoopbackOnlyIT extends OperatorIT {

  @Test
  void everyServerOfTheTestEnvironmentListensOnLoopbackOnly() {
    assumeTrue("kube-apiserver".equals(env.kube().kind()), "under -Pk3s kube-apiserver and etcd run in the k3s "
        + "container, not in this process tree (K3sControlPlane publishes its API server on 127.0.0.1)");
    List<Listener> listeners = Listeners.ofThisProcessTree();

    assertThat(listeners).extracting(Listener::command).as("the servers of this test JVM")
        .anySatisfy(c -> assertThat(c).endsWith("kube-apiserver"))
        .anySatisfy(c -> assertThat(c).endsWith("etcd"))
        .anySatisfy(c -> assertThat(c).contains("python"));
    assertThat(listeners).extracting(Listener::port).as("the operator's HTTP port")
        .contains(operator.httpPort());
    assertThat(listeners).as("servers listening beyond loopback").filteredOn(l -> !l.loopback()).isEmpty();
  }
}
