package io.ecsbridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The command-line tools the packaging tests drive, each built once with the go tool from a wrapper module pinned in
 * hack/ (`make prereqs` builds them; the build scripts are no-ops when the cache is current): helm, the GitOps health
 * checker (Argo CD's gopher-lua + kstatus), and kubectl (built with kube-apiserver by hack/kube-bin).
 */
public final class Tools {
  private Tools() {}

  /** What a command printed and how it ended. */
  public record Output(int exitCode, String stdout, String stderr) {
    public Output assertSuccess() {
      if (exitCode != 0) {
        throw new AssertionError("command failed (exit " + exitCode + "):\n" + stderr + stdout);
      }
      return this;
    }
  }

  public static Path helm() {
    return Path.of(lastLine(build("hack/helm/build.sh")));
  }

  public static Path healthCheck() {
    return Path.of(lastLine(build("hack/gitops/build.sh")));
  }

  public static Path kubectl() {
    return Path.of(lastLine(build("hack/kube-bin/build.sh"))).resolve("kubectl");
  }

  public static Path chart() {
    return Repo.root().resolve("helm/ecs-bridge");
  }

  private static String build(String script) {
    Output out = run(List.of("bash", Repo.root().resolve(script).toString()), null, Map.of(), 30);
    out.assertSuccess();
    return out.stdout();
  }

  private static String lastLine(String text) {
    String[] lines = text.trim().split("\n");
    return lines[lines.length - 1].trim();
  }

  /** Runs a command with optional stdin and extra environment, waiting at most {@code minutes}. */
  public static Output run(List<String> command, String stdin, Map<String, String> env, int minutes) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().putAll(env);
      Process p = pb.start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
      return new Output(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
