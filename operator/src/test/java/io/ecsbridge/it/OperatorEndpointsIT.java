package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.BuildInfo;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.testing.OperatorIT;
import io.ecsbridge.testing.TestEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The operator's probes and Prometheus endpoint, with the AWS call metrics a reconcile produces. */
class OperatorEndpointsIT extends OperatorIT {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probesAndMetricsAnswer() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    eventually().until(() -> get("/readyz").statusCode() == 200);

    EcrRepository repo = k8s.getKubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepository
        metadata: {name: metered}
        spec: {imageTagMutability: MUTABLE}
        """, EcrRepository.class);
    create(repo);
    eventually().until(() -> isReady(get(EcrRepository.class, "metered")));

    String metrics = get("/metrics").body();
    // a resource's calls are labelled by the account it lives in: here the operator's own (moto's default account)
    assertThat(metrics)
        .contains("ecsbridge_aws_api_calls_total{account=\"123456789012\",error_code=\"none\","
            + "operation=\"CreateRepository\",outcome=\"ok\",region=\"" + TestEnvironment.REGION
            + "\",service=\"ecr\"} 1.0")
        .contains("ecsbridge_aws_api_call_duration_seconds_count{account=\"123456789012\","
            + "operation=\"CreateRepository\"") // a new repository is created before it is read
        .contains("ecsbridge_aws_client_ratelimit_wait_seconds_count{account=\"123456789012\",region=\""
            + TestEnvironment.REGION + "\",service=\"ecr\"}")
        .contains("ecsbridge_resync_waiting{account=\"123456789012\",region=\"" + TestEnvironment.REGION
            + "\",service=\"ecr\"} 0.0")
        .contains("jvm_memory_used_bytes")
        .contains("operator_sdk_")
        .contains("ecsbridge_build_info{revision=\"" + BuildInfo.current().revision() + "\",version=\""
            + BuildInfo.current().version() + "\"} 1");
    assertThat(BuildInfo.current().version()).isNotEqualTo("unknown");
    assertThat(metrics).as("no per-resource tags").doesNotContain("name=\"metered\"");
  }
}
