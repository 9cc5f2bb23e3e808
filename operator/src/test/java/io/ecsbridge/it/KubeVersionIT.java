package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ecsbridge.testing.ControlPlane;
import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.client.VersionInfo;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The compatibility matrix cannot silently run twice on the same binary: the API server the tests run against reports
 * (/version) exactly the Kubernetes version pinned for the minor they asked for ({@value ControlPlane#KUBE_MINOR}:
 * newest, hack/kube-bin, or oldest, hack/kube-bin-oldest), and the two pins are two different minors, oldest first.
 */
class KubeVersionIT {
  private final ControlPlane kube = TestEnvironment.get().kube();

  @Test
  void theApiServerIsTheVersionPinnedForTheChosenMinor() throws IOException {
    assumeTrue(kube.kind().equals("kube-apiserver"), "the pinned binaries run only as kube-apiserver, not in k3s");
    String minor = ControlPlane.kubeMinor();
    VersionInfo served = kube.client().getKubernetesVersion();

    assertThat(served.getGitVersion()).as("/version of the API server started for %s", minor)
        .isEqualTo(ControlPlane.pinnedVersion(minor));
    assertThat(served.getMajor() + "." + served.getMinor()).isEqualTo(minorOf(ControlPlane.pinnedVersion(minor)));
  }

  @Test
  void oldestAndNewestAreTwoMinorsOldestFirst() throws IOException {
    String oldest = minorOf(ControlPlane.pinnedVersion("oldest"));
    String newest = minorOf(ControlPlane.pinnedVersion("newest"));

    assertThat(Integer.parseInt(oldest.split("\\.")[1])).as("oldest %s below newest %s", oldest, newest)
        .isLessThan(Integer.parseInt(newest.split("\\.")[1]));
  }

  /** {@code v1.32.13} to {@code 1.32}. */
  private static String minorOf(String version) {
    String[] parts = version.substring(1).split("\\.");
    return parts[0] + "." + parts[1];
  }
}
