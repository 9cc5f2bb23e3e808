package io.ecsbridge;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cached thread pools of the operator's libraries end their idle threads after {@link #KEEP_ALIVE} instead of
 * the JDK's 60 s (issue 14, footprint): JOSDK starts every event source in parallel on its caching pool
 * ({@code ExecutorServiceManager.cachingExecutorService}, some 30 threads at start), fabric8's JDK HTTP client hands
 * responses to a cached pool of its own (about 10 at start), and the Kubernetes client's task pool runs the
 * informers' event handling ({@link TaskExecutor}, a few). All are idle a second after the start, and each idle thread
 * keeps its stack and a share of malloc's arenas: 3.7 MiB of the idle RSS 10 s after ready for the first two, 0.7 MiB
 * for the third (docs/operations.md, "Footprint levers"). A thread made again later costs some 0.1 ms, nothing at the
 * operator's rates; a busy pool keeps its threads as before.
 */
public final class IdleThreads {
  /** How long an idle pooled thread lives. */
  public static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

  private IdleThreads() {}

  /** Shortens the keep-alive of a cached pool (a {@link ThreadPoolExecutor}; anything else is left as it is). */
  public static void shorten(ExecutorService pool) {
    shorten(pool, KEEP_ALIVE);
  }

  static void shorten(ExecutorService pool, Duration keepAlive) {
    if (pool instanceof ThreadPoolExecutor executor && executor.getCorePoolSize() == 0
        && executor.getKeepAliveTime(TimeUnit.MILLISECONDS) > keepAlive.toMillis()) {
      executor.setKeepAliveTime(keepAlive.toMillis(), TimeUnit.MILLISECONDS); // wakes the idle ones: they wait anew
    }
  }

  /**
   * The Kubernetes client's task pool (informers hand their events to it, and watches their reconnections), a cached
   * pool whose idle threads end after {@link #KEEP_ALIVE}: fabric8's default is the JDK's cached pool, whose threads
   * (three or so after the start) lived 60 s, and so were still there when the idle RSS is read 10 s after ready
   * (docs/operations.md, "Footprint levers", fifteenth round). The client shuts it down when it closes, as fabric8's.
   */
  public static final class TaskExecutor implements KubernetesClientBuilder.ExecutorSupplier {
    private static final AtomicInteger THREADS = new AtomicInteger();

    @Override
    public Executor get() {
      return new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS,
          new SynchronousQueue<>(), daemon("k8s-task-", THREADS));
    }

    @Override
    public void onClose(Executor executor) {
      ((ExecutorService) executor).shutdownNow();
    }
  }

  private static ThreadFactory daemon(String prefix, AtomicInteger count) {
    return task -> {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * fabric8's JDK HTTP client with a cached pool whose idle threads end after {@link #KEEP_ALIVE} (fabric8's own is
   * the JDK's 60 s). Every client built from it shares the pool; its threads are daemons, as fabric8's. Its clients
   * also carry {@link KubeTokenRefresh} in place of fabric8's token refresh (the one factory fabric8 takes).
   */
  public static final class HttpClientFactory extends JdkHttpClientFactory {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE.toMillis(),
        TimeUnit.MILLISECONDS, new SynchronousQueue<>(), daemon("k8s-http-", THREADS));

    /** The pool its clients run on (tests). */
    ThreadPoolExecutor pool() {
      return pool;
    }

    /** fabric8's builder for {@code config}'s client, its token refresh asked when due ({@link KubeTokenRefresh}). */
    @Override
    public io.fabric8.kubernetes.client.http.HttpClient.Builder newBuilder(io.fabric8.kubernetes.client.Config config) {
      io.fabric8.kubernetes.client.http.HttpClient.Builder builder = super.newBuilder(config);
      KubeTokenRefresh.install(builder, config);
      return builder;
    }

    @Override
    protected void additionalConfig(java.net.http.HttpClient.Builder builder) {
      builder.executor(pool); // called after fabric8 set its own cached pool, which then never starts a thread
    }
  }
}
