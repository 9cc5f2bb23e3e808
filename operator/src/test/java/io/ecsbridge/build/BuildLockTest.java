package io.ecsbridge.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbridge.testing.Repo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prerequisites' builds (hack/go-tool.sh, hack/moto/ensure-moto.sh) take a lock so that concurrent builds wait
 * instead of building twice. Waiting for minutes in silence looks hung: a waiter says what it waits for, which lock,
 * who holds it, and keeps saying so until it gets the lock. Another build is played here by flock(1).
 */
class BuildLockTest {
  @TempDir
  Path cache;

  private Process holder;
  private Process waiter;
  private final List<String> waiterOut = new CopyOnWriteArrayList<>();
  private final List<String> waiterErr = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    for (Process p : new Process[] {waiter, holder}) {
      if (p != null) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
      }
    }
  }

  @Test
  void aGoToolBuildWaitingForAnothersLockSaysWhoHoldsItUntilItGetsIt() throws Exception {
    Path dir = cache.resolve("health-check");
    Files.createDirectories(dir);
    Path lock = dir.resolve(".lock");
    hold(lock);

    waiter = start(Map.of(), "bash", "-c", ". \"$1\"; build_once \"$2/health-check\" \"$2\" stamp health-check;"
        + " echo \"building into $tmp\"", "-", Repo.root().resolve("hack/go-tool.sh").toString(), dir.toString());

    soon().untilAsserted(() -> assertThat(waiterErr).as("what the waiting build printed")
        .anySatisfy(l -> assertThat(l).contains("waiting", "health-check", lock.toString(), "pid " + holder.pid())));
    soon().untilAsserted(() -> assertThat(waiterErr).as("progress while waiting")
        .anySatisfy(l -> assertThat(l).contains("still waiting", lock.toString(), "s so far")));
    assertThat(waiterOut).as("nothing built while the lock is held").isEmpty();

    holder.getOutputStream().close(); // the other build ends
    assertThat(waiter.waitFor(20, TimeUnit.SECONDS)).as("got the lock").isTrue();
    assertThat(waiter.exitValue()).as(String.join("\n", waiterErr)).isZero();
    assertThat(waiterOut).singleElement().asString().startsWith("building into " + dir);
  }

  @Test
  void theMotoVenvBuildWaitingForAnothersLockSaysSoToo() throws Exception {
    Path lock = cache.resolve("moto-venv.lock");
    hold(lock);

    waiter = start(Map.of("ECSBRIDGE_FORCE_MOTO_VENV", "1"),
        "bash", Repo.root().resolve("hack/moto/ensure-moto.sh").toString());

    soon().untilAsserted(() -> assertThat(waiterErr).as("what the waiting build printed")
        .anySatisfy(l -> assertThat(l).contains("waiting", "moto", lock.toString(), "pid " + holder.pid())));
    soon().untilAsserted(() -> assertThat(waiterErr).as("progress while waiting")
        .anySatisfy(l -> assertThat(l).contains("still waiting", lock.toString(), "s so far")));
  }

  private static ConditionFactory soon() {
    return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50));
  }

  /** Takes the lock as another build would, and keeps it until this test closes the holder's stdin. */
  private void hold(Path lock) throws IOException {
    holder = new ProcessBuilder("flock", lock.toString(), "sh", "-c", "echo held; exec cat >/dev/null").start();
    BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).as("flock(1) took the lock").isEqualTo("held");
  }

  private Process start(Map<String, String> env, String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("ECSBRIDGE_CACHE", cache.toString());
    pb.environment().put("ECSBRIDGE_LOCK_PROGRESS_SECONDS", "1");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    collect(p.getInputStream(), waiterOut);
    collect(p.getErrorStream(), waiterErr);
    return p;
  }

  private static void collect(InputStream in, List<String> lines) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        r.lines().forEach(lines::add);
      } catch (IOException ignored) {
        // the process ended
      }
    }, "build-lock-output");
    t.setDaemon(true);
    t.start();
  }
}
