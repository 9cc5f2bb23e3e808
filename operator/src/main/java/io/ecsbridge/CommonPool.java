package io.ecsbridge;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;

/**
 * CompletableFuture's default executor made the JDK's common ForkJoinPool on a machine or pod of one or two CPUs,
 * where it is otherwise a new thread for every task. Java 17 uses the common pool only when its parallelism (the CPUs
 * less one, by default) is above 1; and the JDK's HTTP client completes every response it was sent asynchronously on
 * that default executor, whatever executor the client was built with. On 2 CPUs, or in a pod limited to 2 or fewer,
 * each Kubernetes API response started a thread and ended it: 1,160 threads in one {@code make bench N=100
 * KINDS=services} run (docs/operations.md, "Side by side with ACK"). The common pool normally keeps {@link #SHARED}
 * threads instead, which end after a minute idle.
 */
final class CommonPool {
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";
  /** The common pool's parallelism where the JVM's default would not use it. */
  static final int SHARED = 2;

  private CommonPool() {}

  /**
   * The parallelism to set, or null to leave the JVM's: null when one is {@code given} (the command line's wins), or
   * when the default for {@code cpus} already uses the common pool.
   */
  static String parallelism(String given, int cpus) {
    return given != null || cpus - 1 > 1 ? null : String.valueOf(SHARED);
  }

  /**
   * Sets the common pool's parallelism where needed. First thing in {@code main}: ForkJoinPool reads it once, when
   * the class is loaded, and CompletableFuture decides from it once, when it is.
   */
  static void configure() {
    String value = parallelism(System.getProperty(PARALLELISM), Runtime.getRuntime().availableProcessors());
    if (value != null) {
      System.setProperty(PARALLELISM, value);
    }
  }

  /**
   * Logs a warning when CompletableFuture still makes a thread per task (a parallelism of 1 or less given on the
   * command line, or the classes loaded before {@code main}, by a Java agent).
   */
  static void check(Logger log) {
    String warning = warning(new CompletableFuture<Void>().defaultExecutor() instanceof ForkJoinPool,
        ForkJoinPool.getCommonPoolParallelism());
    if (warning != null) {
      log.warn(warning);
    }
  }

  static String warning(boolean pooled, int parallelism) {
    return pooled ? null : "CompletableFuture runs each asynchronous task on a thread of its own (the common pool's "
        + "parallelism is " + parallelism + "): every Kubernetes API response starts a thread. Leave -D" + PARALLELISM
        + " unset, or set it to " + SHARED + " or more";
  }
}
