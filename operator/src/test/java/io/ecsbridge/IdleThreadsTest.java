package io.ecsbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.impl.BaseClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The libraries' cached pools give their idle threads back within seconds, not a minute. */
class IdleThreadsTest {

  @Test
  void aCachedPoolsIdleThreadsEndAfterTheShortKeepAliveEvenThoseAlreadyWaiting() throws Exception {
    ExecutorService pool = Executors.newCachedThreadPool(); // as JOSDK's caching pool: 60 s
    try {
      CountDownLatch running = new CountDownLatch(3);
      CountDownLatch release = new CountDownLatch(1);
      for (int i = 0; i < 3; i++) {
        pool.execute(() -> {
          running.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      running.await();
      release.countDown();
      await().until(() -> ((ThreadPoolExecutor) pool).getActiveCount() == 0); // idle, waiting their 60 s
      IdleThreads.shorten(pool, Duration.ofMillis(200));
      await().atMost(Duration.ofSeconds(5)).until(() -> ((ThreadPoolExecutor) pool).getPoolSize() == 0);
      pool.execute(() -> { }); // a later task still runs: a thread is made again
      await().until(() -> ((ThreadPoolExecutor) pool).getCompletedTaskCount() == 4);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFixedPoolIsLeftAsItIs() {
    ThreadPoolExecutor fixed = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
    try {
      long before = fixed.getKeepAliveTime(TimeUnit.MILLISECONDS);
      IdleThreads.shorten(fixed);
      assertThat(fixed.getKeepAliveTime(TimeUnit.MILLISECONDS)).isEqualTo(before);
    } finally {
      fixed.shutdownNow();
    }
  }

  @Test
  void theKubernetesClientsHttpClientRunsOnAPoolWithTheShortKeepAlive() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, 2);
      exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
      exchange.close();
    });
    server.start();
    IdleThreads.HttpClientFactory factory = new IdleThreads.HttpClientFactory();
    try (HttpClient client = ((HttpClient.Factory) factory).newBuilder().build()) {
      var response = client.sendAsync(client.newHttpRequestBuilder()
          .uri("http://127.0.0.1:" + server.getAddress().getPort() + "/").build(), String.class)
          .get(30, TimeUnit.SECONDS);
      assertThat(response.body()).isEqualTo("ok");
      assertThat(factory.pool().getCompletedTaskCount()).as("the response was handed over on our pool, not fabric8's")
          .isPositive();
      assertThat(factory.pool().getKeepAliveTime(TimeUnit.SECONDS)).isEqualTo(IdleThreads.KEEP_ALIVE.toSeconds());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theKubernetesClientsTaskPoolEndsIdleThreadsAfterTheShortKeepAliveAndStopsWithTheClient() throws Exception {
    KubernetesClient client = OperatorProcess.newClient();
    Executor executor = ((BaseClient) client).getExecutor();
    try {
      assertThat(executor).as("fabric8's default is a cached pool whose threads live 60 s")
          .isInstanceOfSatisfying(ThreadPoolExecutor.class, pool -> assertThat(pool.getKeepAliveTime(TimeUnit.SECONDS))
              .isEqualTo(IdleThreads.KEEP_ALIVE.toSeconds()));
      CompletableFuture<Thread> ran = CompletableFuture.supplyAsync(Thread::currentThread, executor);
      assertThat(ran.get(30, TimeUnit.SECONDS)).satisfies(t -> {
        assertThat(t.getName()).startsWith("k8s-task-");
        assertThat(t.isDaemon()).isTrue();
      });
    } finally {
      client.close();
    }
    assertThat(((ExecutorService) executor).isShutdown()).as("closed with the client").isTrue();
  }
}
