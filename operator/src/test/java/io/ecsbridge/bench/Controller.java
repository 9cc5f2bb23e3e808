package io.ecsbridge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A controller under measurement, a process of its own: the operator ({@link OperatorJar}) or another controller doing
 * the same work ({@link AckController}). Its memory and CPU are read from /proc alone (VmRSS, VmHWM, utime + stime),
 * its AWS calls from its own metrics.
 */
interface Controller extends AutoCloseable {
  long pid();

  /** Seconds from the process's start to its readiness endpoint answering 200 (polled every 10 ms). */
  double awaitReady(Duration limit) throws InterruptedException;

  /** Its AWS call counter now. */
  AwsCalls calls();

  /** Resident memory now, MiB (VmRSS). */
  default double rssMiB() {
    return Measures.statusMiB(pid(), "VmRSS:");
  }

  /** The most resident memory the process has had, MiB (VmHWM). */
  default double peakRssMiB() {
    return Measures.statusMiB(pid(), "VmHWM:");
  }

  /** CPU seconds used so far, user + system (/proc/PID/stat utime + stime). */
  default double cpuSeconds() {
    return Measures.cpuSeconds(pid());
  }

  @Override
  void close();

  /** The controllers' HTTP endpoints on loopback (readiness, metrics). */
  final class Endpoints {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Endpoints() {}

    /** The status of a GET of {@code uri}; -1 if nothing answers. */
    static int status(URI uri) {
      try {
        return HTTP.send(request(uri), HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    /** The body of a GET of {@code uri}. */
    static String body(URI uri) {
      try {
        return HTTP.send(request(uri), HttpResponse.BodyHandlers.ofString()).body();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /**
     * Seconds from {@code startedNanos} until {@code ready} answers 200, polled every 10 ms; fails as soon as the
     * process has exited.
     */
    static double awaitReady(Process process, long startedNanos, URI ready, Duration limit)
        throws InterruptedException {
      long deadline = System.nanoTime() + limit.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the controller exited (" + process.exitValue() + "): see its log");
        }
        if (status(ready) == 200) {
          return (System.nanoTime() - startedNanos) / 1e9;
        }
        Thread.sleep(10);
      }
      throw new IllegalStateException("the controller was not ready within " + limit);
    }

    /**
     * {@code process}, stopped (SIGTERM) when this JVM ends: a harness stopped by Ctrl-C or a kill does not leave the
     * controller running. The normal stop is {@link #stop}.
     */
    static Process stoppedAtExit(Process process) {
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "stop-" + process.pid()));
      return process;
    }

    /** Stops the process: SIGTERM, then SIGKILL after 30 s. */
    static void stop(Process process) {
      process.destroy();
      try {
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }

    private static HttpRequest request(URI uri) {
      return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
    }
  }
}
