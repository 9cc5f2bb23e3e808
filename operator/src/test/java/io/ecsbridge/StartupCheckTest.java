package io.ecsbridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The words of a start-up failure: what went wrong, and where the credentials come from. */
class StartupCheckTest {

  @Test
  void aConnectionFailureIsNamedNotWrapped() {
    var refused = new KubernetesClientException("An error has occurred.",
        new IOException(null, new CompletionException(new ConnectException())));
    assertThat(StartupCheck.failure(refused)).isEqualTo("is not reachable: ConnectException: connection refused");
    var unknownHost = new KubernetesClientException("An error has occurred.",
        new java.net.UnknownHostException("kubernetes.default.svc"));
    assertThat(StartupCheck.failure(unknownHost))
        .isEqualTo("is not reachable: UnknownHostException: kubernetes.default.svc");
  }

  @Test
  void theCredentialsSourceIsTheFirstOfTheSdksChainThatApplies() {
    assertThat(StartupCheck.credentialsSource(Map.of("AWS_ACCESS_KEY_ID", "AKIA", "AWS_PROFILE", "p")))
        .isEqualTo("environment (AWS_ACCESS_KEY_ID)").doesNotContain("AKIA");
    assertThat(StartupCheck.credentialsSource(Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token",
        "AWS_ROLE_ARN", "arn:aws:iam::1:role/x"))).startsWith("web identity (IRSA");
    assertThat(StartupCheck.credentialsSource(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23")))
        .contains("Pod Identity");
    assertThat(StartupCheck.credentialsSource(Map.of())).startsWith("default chain");
  }

  @Test
  void anyOtherFailureIsOneLineOfItsDeepestMessage() {
    var e = new RuntimeException("Error starting operator",
        new IllegalStateException("No permission to lease resource.\n in namespace: ops"));
    assertThat(OperatorProcess.oneLine(e))
        .isEqualTo("IllegalStateException: No permission to lease resource. in namespace: ops");
    assertThat(OperatorProcess.oneLine(new StartupException("the custom resource definition x is not installed")))
        .isEqualTo("the custom resource definition x is not installed");
  }

  @Test
  void aListsRevisionIsItsOwnNotAnItems() {
    assertThat(StartupCheck.listRevision("{\"kind\":\"EcsServiceList\",\"items\":[{\"metadata\":{\"name\":\"a\","
        + "\"resourceVersion\":\"7\"}}],\"metadata\":{\"continue\":\"x\",\"remainingItemCount\":3,"
        + "\"resourceVersion\":\"1234\"}}")).isEqualTo(1234);
    assertThat(StartupCheck.listRevision("{\"metadata\":{\"labels\":{\"resourceVersion\":\"9\"},"
        + "\"resourceVersion\":\"15\"},\"items\":[]}")).as("a nested field of that name is not it").isEqualTo(15);
  }

  @Test
  void aListWithoutANumericRevisionHasNone() {
    assertThat(StartupCheck.listRevision("{\"items\":[{\"metadata\":{\"resourceVersion\":\"7\"}}]}")).isEqualTo(-1);
    assertThat(StartupCheck.listRevision("{\"metadata\":{\"resourceVersion\":\"opaque-1\"}}")).isEqualTo(-1);
    assertThat(StartupCheck.listRevision("{\"metadata\":{}}")).isEqualTo(-1);
    assertThat(StartupCheck.listRevision("not json")).isEqualTo(-1);
    assertThat(StartupCheck.listRevision("")).isEqualTo(-1);
    assertThat(StartupCheck.listRevision(null)).isEqualTo(-1);
  }
}
