package io.ecsbridge.bench;

import io.ecsbridge.testing.AwsTestClients;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * A person's spec change on one EcrRepository and one EcsService, made at the same moment, and the time from each
 * change (once the API server accepted it) to AWS (moto) showing it, polled every 20 ms through the harness's own
 * clients (not metered). Each change flips the value AWS holds now (scanOnPush negated, desiredCount + 1), so the
 * same resource can be changed again in a later phase.
 */
final class Changes {
  private final Workload workload;
  private final AwsTestClients aws;
  private final int clusters;
  private final boolean repositories;
  private final boolean services;

  Changes(Workload workload, AwsTestClients aws, int clusters, boolean repositories, boolean services) {
    this.workload = workload;
    this.aws = aws;
    this.clusters = clusters;
    this.repositories = repositories;
    this.services = services;
  }

  /**
   * Changes repository {@code index} and service {@code index} (of the kinds in the run) at once; returns each
   * change's label and seconds to AWS (NaN: not within the limit).
   */
  Map<String, Double> changeAndTime(int index) throws Exception {
    Map<String, Callable<Double>> changes = new LinkedHashMap<>();
    if (repositories) {
      changes.put("EcrRepository scanOnPush", repository(index));
    }
    if (services) {
      changes.put("EcsService desiredCount", service(index));
    }
    ExecutorService pool = Executors.newFixedThreadPool(changes.size());
    try {
      Map<String, Future<Double>> running = new LinkedHashMap<>();
      changes.forEach((label, change) -> running.put(label, pool.submit(change)));
      Map<String, Double> seconds = new LinkedHashMap<>();
      for (var e : running.entrySet()) {
        seconds.put(e.getKey(), e.getValue().get());
      }
      return seconds;
    } finally {
      pool.shutdownNow();
    }
  }

  private Callable<Double> repository(int index) {
    String name = Workload.repository(index);
    boolean now = scanOnPush(name);
    return Measures.timed(() -> workload.patch(Workload.REPOSITORY, name,
        "{\"spec\":{\"imageScanningConfiguration\":{\"scanOnPush\":" + !now + "}}}"),
        () -> scanOnPush(name) != now);
  }

  private boolean scanOnPush(String name) {
    return aws.ecr().describeRepositories(r -> r.repositoryNames(name)).repositories().get(0)
        .imageScanningConfiguration().scanOnPush();
  }

  private Callable<Double> service(int index) {
    String name = Workload.service(index);
    String cluster = "bench-" + index % clusters;
    int wanted = describe(cluster, name).desiredCount() + 1;
    return Measures.timed(() -> workload.patch(Workload.SERVICE, name, "{\"spec\":{\"desiredCount\":" + wanted + "}}"),
        () -> describe(cluster, name).desiredCount() == wanted);
  }

  private Service describe(String cluster, String name) {
    return aws.ecs().describeServices(r -> r.cluster(cluster).services(name)).services().get(0);
  }
}
