package io.ecsbridge;

import io.ecsbridge.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The operator as the container's process. It starts, or exits 1 with one line that says why and what it tried. It
 * stops in order ({@link EcsBridgeOperator#close()}: reconciles finish, the Lease is released) on SIGTERM or SIGINT
 * and exits 0; when it loses the Lease it stops the same way and exits 1, to restart as a follower.
 */
final class OperatorProcess {
  /** The longest an orderly stop may take before the process halts anyway: well inside the pod's 30 s grace. */
  static final Duration STOP_LIMIT = Duration.ofSeconds(20);

  private record Stop(int exitCode, String why) {}

  private OperatorProcess() {}

  static void run(OperatorConfig config) {
    Logger log = LoggerFactory.getLogger(OperatorProcess.class);
    CommonPool.check(log);
    CompletableFuture<Stop> stop = new CompletableFuture<>();
    KubernetesClient client = newClient();
    EcsBridgeOperator app = new EcsBridgeOperator(config, client, null,
        () -> stop.complete(new Stop(1, "lost the Lease; restarting as a follower")));
    // A signal handler rather than a shutdown hook: the stop runs in an ordinary thread (JOSDK and fabric8 may call
    // System.exit or join threads, which deadlocks inside a hook), and the exit code says it went well.
    for (String signal : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(signal), s -> stop.complete(new Stop(0, "SIG" + s.getName())));
      } catch (IllegalArgumentException e) {
        log.debug("cannot handle SIG{} ({}): the shutdown hook stops the operator", signal, e.getMessage());
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
    // The stop's thread is made when a stop is asked for (a SIGTERM may come while the start still runs): a thread
    // made now would only wait, and a Java thread keeps some 90 KiB of its stack resident for the process's life
    // (docs/operations.md, "Footprint levers", fifteenth round). Not a daemon: the process lives until it exits.
    CompletableFuture<Void> stopped = stop.thenAcceptAsync(s -> stopAndExit(log, s, app, client), task -> {
      Thread stopper = new Thread(task, "stop");
      stopper.setDaemon(false);
      stopper.start();
    });
    try {
      app.start();
    } catch (RuntimeException | Error e) { // an Error too: never a live process that will not serve
      if (!stop.isDone()) { // not a start cut short by SIGTERM
        log.error("ecs-bridge cannot start: {}. Tried: {}", oneLine(e), tried(config, client, app));
        stop.complete(new Stop(1, "start-up failed"));
      }
    }
    // The main thread waits for the stop itself (which ends the process), not for the ask: between the two, the
    // thread that asked (a signal's, JOSDK's) makes the stop thread, and a main thread gone by then could let the JVM
    // end without it
    try {
      stopped.join();
    } catch (CompletionException e) { // the stop failed before its exit, or its thread could not be made
      log.error("cannot stop in order: {}; exiting", StartupCheck.innermost(e));
      Runtime.getRuntime().halt(1);
    }
  }

  /** The operator's Kubernetes client: its HTTP client's pool and its task pool end idle threads within seconds. */
  static KubernetesClient newClient() {
    return new KubernetesClientBuilder().withHttpClientFactory(new IdleThreads.HttpClientFactory())
        .withTaskExecutorSupplier(new IdleThreads.TaskExecutor()).build();
  }

  private static void stopAndExit(Logger log, Stop stop, EcsBridgeOperator app, KubernetesClient client) {
    long started = System.nanoTime();
    log.info("stopping ({})", stop.why());
    CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
      app.close();
      client.close();
    }, r -> new Thread(r, "close").start());
    try {
      closing.get(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      log.info("stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (TimeoutException e) {
      log.error("could not stop in order within {} s; exiting anyway", STOP_LIMIT.toSeconds());
      Runtime.getRuntime().halt(stop.exitCode() == 0 ? 1 : stop.exitCode());
    } catch (ExecutionException e) {
      log.warn("error while stopping: {}", StartupCheck.innermost(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.exit(stop.exitCode());
  }

  /** The reason, on one line: ours as it is, anyone else's as its deepest cause that says something. */
  static String oneLine(Throwable e) {
    String reason;
    if (e instanceof StartupException) {
      reason = e.getMessage();
    } else {
      Throwable said = e;
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t.getMessage() != null) {
          said = t;
        }
      }
      reason = said.getClass().getSimpleName() + ": " + said.getMessage();
    }
    return reason.replaceAll("\\s*\\R\\s*", " ");
  }

  /** What the operator tried: the API server and where its address came from, the AWS region and credentials. */
  static String tried(OperatorConfig config, KubernetesClient client, EcsBridgeOperator app) {
    return "Kubernetes API server " + client.getConfiguration().getMasterUrl() + " (from "
        + StartupCheck.kubeconfigSource(client.getConfiguration()) + "); AWS region "
        + (app.defaultRegion() != null ? app.defaultRegion() : "none (set AWS_REGION)")
        + (config.awsEndpointUrl() != null ? " at " + config.awsEndpointUrl() : "")
        + "; AWS credentials from " + StartupCheck.credentialsSource(System.getenv());
  }
}
