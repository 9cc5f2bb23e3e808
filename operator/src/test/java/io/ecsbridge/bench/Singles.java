package io.ecsbridge.bench;

import io.ecsbridge.bench.Workload.Item;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resources applied one at a time while the operator is idle, each once the one before is Ready: the apply-to-Ready
 * latency of a person's single create, as samples for a p50/p99 (bench.singleRepositories, 20;
 * bench.singleServices, 10: each service with its own task definition, applied together).
 */
final class Singles {
  private Singles() {}

  /** The samples of each kind in the run, in seconds, keyed by the kind shown ("EcrRepository", "EcsService"). */
  static Map<String, List<Double>> measure(Workload workload, List<Item> items) throws Exception {
    Map<String, List<Double>> samples = new java.util.LinkedHashMap<>();
    int repositories = Integer.getInteger("bench.singleRepositories", 20);
    int services = Integer.getInteger("bench.singleServices", 10);
    for (String kind : List.of(Workload.REPOSITORY, Workload.SERVICE)) {
      List<Item> template = template(items, kind);
      if (template.isEmpty()) {
        continue;
      }
      List<Double> seconds = new ArrayList<>();
      for (int i = 0; i < (kind.equals(Workload.REPOSITORY) ? repositories : services); i++) {
        seconds.add(applyAndAwait(workload, renamed(template, "-single-" + i)));
      }
      samples.put(kind, seconds);
    }
    return samples;
  }

  /** The resources of one repository (the first), or of one service: its task definition, then itself. */
  static List<Item> template(List<Item> items, String kind) {
    String first = kind.equals(Workload.REPOSITORY) ? Workload.repository(0) : Workload.service(0);
    return items.stream().filter(i -> i.name().equals(first) && !i.kind().equals(Workload.CLUSTER)).toList();
  }

  /** The template's resources renamed ({@code -0} to {@code suffix}), the service's references with them. */
  static List<Item> renamed(List<Item> template, String suffix) {
    return template.stream().map(i -> {
      String name = i.name().replaceFirst("-0$", suffix);
      return new Item(i.kind(), name, i.yaml().replace(i.name(), name));
    }).toList();
  }

  /** Applies {@code group} and returns the seconds from its apply to the last of it Ready. */
  private static double applyAndAwait(Workload workload, List<Item> group) throws Exception {
    long start = System.nanoTime();
    workload.apply(group);
    Measures.await(group.get(group.size() - 1).key() + " Ready", Duration.ofMinutes(2),
        () -> group.stream().allMatch(i -> workload.readyAt(i) != null));
    long last = group.stream().mapToLong(workload::readyAt).max().orElseThrow();
    return (last - start) / 1e9;
  }
}
