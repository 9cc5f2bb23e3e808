package io.ecsbridge.testing;

import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.util.Set;
import org.opentest4j.TestAbortedException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The tests' control plane under -Pk3s: a k3s container (Testcontainers), its API server published on 127.0.0.1
 * when the Docker engine is this machine's, the CRDs installed the same way by {@link ControlPlane#installCrds()}.
 * The tests get its kubeconfig and client through the same {@link ControlPlane}; the operator still runs in the test
 * JVM. Without a Docker engine, {@link #start()} aborts (every test skipped) with {@link DockerProbe}'s one line.
 */
public final class K3sControlPlane {
  /** The system property naming the k3s image; its default is the Kubernetes minor of hack/kube-bin. */
  public static final String IMAGE = "ecsbridge.k3s.image";
  private static final String DEFAULT_IMAGE = "rancher/k3s:v1.33.4-k3s1";

  private K3sControlPlane() {
  }

  static String image() {
    String image = System.getProperty(IMAGE, "").trim();
    return image.isEmpty() ? DEFAULT_IMAGE : image;
  }

  /** Called by {@link ControlPlane#chosen()} (by name: this class exists in the k3s profile only). */
  public static ControlPlane start() {
    String unavailable = DockerProbe.unavailableReason();
    if (unavailable != null) {
      throw new TestAbortedException(DockerProbe.skippedLine(unavailable));
    }
    K3sContainer k3s = new K3sContainer(DockerImageName.parse(image()).asCompatibleSubstituteFor("rancher/k3s"));
    if (Set.of("localhost", "127.0.0.1").contains(DockerClientFactory.instance().dockerHostIpAddress())) {
      // Docker publishes on every interface by default: the API server, like the local one, on loopback only
      k3s.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(new PortBinding(
          Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(K3sContainer.KUBE_SECURE_PORT))));
    }
    k3s.start();
    String gateway = k3s.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
        .map(ContainerNetwork::getGateway).filter(g -> g != null && !g.isEmpty()).findFirst()
        .orElseThrow(() -> new IllegalStateException("the k3s container's network has no gateway"));
    return new ControlPlane("k3s", k3s.getKubeConfigYaml(), k3s::stop, null, gateway);
  }
}
