package io.ecsbridge.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ACK's ecr-controller (aws-controllers-k8s/ecr-controller, built by hack/ack/build.sh) as its own process on the
 * benchmark's stack: its kubeconfig, moto as its AWS (ECR and STS), the benchmark's namespace, and otherwise its own
 * defaults (its chart's: one reconcile at a time per kind, a 10 h resync; not its chart's CPU and memory limits). Its
 * readiness is controller-runtime's /readyz, which ACK answers with a ping (the operator's waits for its informers);
 * its AWS calls are its own counter, {@code ack_outbound_api_requests_total} (every ECR call of the repository's
 * resource manager, once per SDK operation where the operator counts every attempt; not its one STS
 * GetCallerIdentity at start).
 */
final class AckController implements Controller {
  static final String CALLS = "ack_outbound_api_requests_total";
  static final String OPERATION = "op_id";
  private final Process process;
  private final long startedNanos;
  private final int healthPort;
  private final int metricsPort;

  private AckController(Process process, long startedNanos, int healthPort, int metricsPort) {
    this.process = process;
    this.startedNanos = startedNanos;
    this.healthPort = healthPort;
    this.metricsPort = metricsPort;
  }

  /**
   * Starts {@code binary}; {@code extraFlags} (bench.ackFlags, split on spaces) come after the benchmark's own, so
   * that a later flag of the same name wins (e.g. {@code --reconcile-default-max-concurrent-syncs=10}).
   */
  static AckController start(Path binary, Path kubeconfig, URI aws, String namespace, List<String> extraFlags,
      Path log) throws IOException {
    int healthPort = Measures.freePort();
    int metricsPort = Measures.freePort();
    List<String> command = new ArrayList<>(List.of(binary.toString(),
        "--aws-region", io.ecsbridge.testing.TestEnvironment.REGION,
        "--aws-endpoint-url", aws.toString(),
        "--aws-identity-endpoint-url", aws.toString(),
        "--allow-unsafe-aws-endpoint-urls",
        "--watch-namespace", namespace,
        "--healthz-addr", "127.0.0.1:" + healthPort,
        "--metrics-addr", "127.0.0.1:" + metricsPort,
        "--webhook-server-addr", "127.0.0.1:" + Measures.freePort()));
    command.addAll(extraFlags);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    // none of this machine's AWS settings: AWS_CA_BUNDLE (an HTTPS proxy's CA) alone fails every reconcile of ACK
    // ("unable to add custom RootCAs HTTPClient": its SDK's HTTP client is wrapped), and moto is plain HTTP
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    pb.environment().putAll(Map.of("KUBECONFIG", kubeconfig.toString(), "AWS_ACCESS_KEY_ID", "testing",
        "AWS_SECRET_ACCESS_KEY", "testing", "AWS_REGION", io.ecsbridge.testing.TestEnvironment.REGION));
    System.out.printf("[bench] ACK's %s: readiness on 127.0.0.1:%d, metrics on 127.0.0.1:%d, log %s%n",
        binary.getFileName(), healthPort, metricsPort, log);
    long started = System.nanoTime();
    return new AckController(Endpoints.stoppedAtExit(pb.start()), started, healthPort, metricsPort);
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public double awaitReady(Duration limit) throws InterruptedException {
    return Endpoints.awaitReady(process, startedNanos, URI.create("http://127.0.0.1:" + healthPort + "/readyz"),
        limit);
  }

  @Override
  public AwsCalls calls() {
    if (!process.isAlive()) {
      throw new IllegalStateException("ACK's controller exited (" + process.exitValue() + "): see its log");
    }
    return AwsCalls.parse(Endpoints.body(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")), CALLS,
        OPERATION);
  }

  @Override
  public void close() {
    Endpoints.stop(process);
  }
}
