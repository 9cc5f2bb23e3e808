package io.ecsbridge.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.KubeAPITestException;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real kube-apiserver and etcd, built from the Go modules pinned in hack/kube-bin (by its build.sh, once, into a
 * cache outside the repo) and started by fabric8 kube-api-test in offline mode: it finds the binaries and downloads
 * nothing. Both listen on 127.0.0.1 only, on free ports. The CRDs are installed from crds/, the same YAML users apply.
 *
 * <p>The integration tests take theirs from {@link #chosen()}: this one unless the system property
 * {@value #CHOICE} says {@code k3s} (set by the Maven profile {@code -Pk3s}), then a k3s container started by
 * Testcontainers ({@code K3sControlPlane}, compiled only in that profile), handed to the tests the same way.
 *
 * <p>Which Kubernetes: the system property {@value #KUBE_MINOR} says {@code newest} (the default: hack/kube-bin) or
 * {@code oldest} (hack/kube-bin-oldest, set by the Maven profile {@code -Pk8s-oldest}), the two ends of the supported
 * range (docs/operations.md, Compatibility). Each start prints the API server's own /version on the test JVM's
 * standard error; {@code KubeVersionIT} asserts that it is the version pinned for the choice.
 */
public final class ControlPlane implements AutoCloseable {
  /** The system property that chooses the tests' control plane: {@code kube-apiserver} (the default) or k3s. */
  public static final String CHOICE = "ecsbridge.it.controlPlane";
  /** The system property that chooses the Kubernetes minor: {@code newest} (the default) or {@code oldest}. */
  public static final String KUBE_MINOR = "ecsbridge.it.kubeMinor";
  private static final String ETCD_ARGS = "etcd.args";
  private final String kind;
  private final AutoCloseable stop;
  private final KubernetesClient client;
  private final String kubeconfig;
  private final Path workDir;
  private final String hostAddressForCluster;

  /**
   * @param workDir kube-api-test's folder (etcd's flags, removed on close), or null
   * @param hostAddressForCluster the address at which the cluster's side reaches servers on this machine
   */
  ControlPlane(String kind, String kubeconfig, AutoCloseable stop, Path workDir, String hostAddressForCluster) {
    this.kind = kind;
    this.stop = stop;
    this.workDir = workDir;
    this.kubeconfig = kubeconfig;
    this.hostAddressForCluster = hostAddressForCluster;
    this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
  }

  /** The control plane chosen by {@value #CHOICE}: this class's kube-apiserver + etcd, or a k3s container. */
  public static ControlPlane chosen() throws IOException, InterruptedException {
    String choice = System.getProperty(CHOICE, "kube-apiserver");
    return switch (choice) {
      case "kube-apiserver" -> start();
      case "k3s" -> startK3s();
      default -> throw new IllegalArgumentException(CHOICE + "=" + choice + ": expected kube-apiserver or k3s");
    };
  }

  /** K3sControlPlane.start(), found by name: it and Testcontainers are on the classpath in the k3s profile only. */
  private static ControlPlane startK3s() {
    Class<?> k3s;
    try {
      k3s = Class.forName("io.ecsbridge.testing.K3sControlPlane");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(CHOICE + "=k3s needs the Maven profile k3s (mvn -Pk3s ...), which compiles "
          + "operator/src/test-k3s and brings Testcontainers");
    }
    try {
      return (ControlPlane) k3s.getMethod("start").invoke(null);
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The Kubernetes minor chosen by {@value #KUBE_MINOR}: {@code newest} (the default) or {@code oldest}. */
  public static String kubeMinor() {
    String minor = System.getProperty(KUBE_MINOR, "newest");
    if (!minor.equals("newest") && !minor.equals("oldest")) {
      throw new IllegalArgumentException(KUBE_MINOR + "=" + minor + ": expected newest or oldest");
    }
    return minor;
  }

  /** The Go wrapper module that pins the binaries of {@code newest} or {@code oldest}. */
  static Path module(String minor) {
    return Repo.root().resolve(minor.equals("oldest") ? "hack/kube-bin-oldest" : "hack/kube-bin");
  }

  /** The Kubernetes version ({@code v1.33.13}) that the module of {@code newest} or {@code oldest} pins. */
  public static String pinnedVersion(String minor) throws IOException {
    try (Stream<String> lines = Files.lines(module(minor).resolve("go.mod"))) {
      return lines.map(String::trim).filter(l -> l.startsWith("k8s.io/kubernetes ")).map(l -> l.split("\\s+")[1])
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(module(minor) + "/go.mod pins no k8s.io/kubernetes"));
    }
  }

  public static ControlPlane start() throws IOException, InterruptedException {
    String minor = kubeMinor();
    Path binaries = buildBinaries(minor);
    String version = binaries.getFileName().toString().replace("-linux-amd64", "");
    // kube-api-test writes certificates into its directory: give this run its own, linking the shared binaries
    Path workDir = Files.createTempDirectory("ecsbridge-kubeapitest");
    Path bin = Files.createDirectories(workDir.resolve("k8s").resolve(binaries.getFileName()));
    Files.createSymbolicLink(bin.resolve("kube-apiserver"), binaries.resolve("kube-apiserver"));
    Files.createSymbolicLink(bin.resolve("kubectl"), binaries.resolve("kubectl"));
    writeEtcdOnLoopback(bin.resolve("etcd"), binaries.resolve("etcd"), workDir.resolve(ETCD_ARGS));
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(workDir.toString())
        .withApiServerVersion(version)
        .withOfflineMode(true)
        .withStartupTimeout(120_000)
        // loopback only (its default is every interface); the address it advertises (the `kubernetes` Service's
        // endpoint) follows, and with no other endpoint to keep, the endpoint reconciler is off
        .withApiServerFlag("--bind-address", "127.0.0.1")
        .withApiServerFlag("--advertise-address", "127.0.0.1")
        .withApiServerFlag("--endpoint-reconciler-type", "none")
        .build());
    server.start();
    ControlPlane started = new ControlPlane("kube-apiserver", server.getKubeConfigYaml(), () -> {
      try {
        server.stop();
      } catch (KubeAPITestException e) {
        // etcd or kube-apiserver had exited by itself (Ctrl-C reaches them too): kube-api-test then stopped the
        // other and removed etcd's data already, and fails on doing it twice
      }
    }, workDir, "127.0.0.1");
    started.announceVersion(minor);
    return started;
  }

  /**
   * One line naming the Kubernetes the tests run against, as the API server itself reports it (/version), on the
   * JVM's own standard error: Failsafe redirects System.out/err of tests into report files, but shows this stream.
   */
  private void announceVersion(String minor) {
    String line = "ecs-bridge tests: kube-apiserver " + client.getKubernetesVersion().getGitVersion() + " ("
        + KUBE_MINOR + "=" + minor + ", " + apiServerUrl() + ")\n";
    try {
      java.io.FileOutputStream err = new java.io.FileOutputStream(java.io.FileDescriptor.err);
      err.write(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      err.flush();
    } catch (IOException e) {
      System.err.print(line);
    }
  }

  /**
   * kube-api-test 7.5.2 starts etcd with {@code --listen-client-urls http://0.0.0.0:PORT}: every interface, no
   * authentication, and no setting to change it. It runs the {@code etcd} of its binaries folder: there, this script
   * runs the real etcd with those URLs on 127.0.0.1 (the peer URLs, {@code localhost}, too), and notes the flags so
   * that {@link #etcdUrl()} can tell the port.
   */
  private static void writeEtcdOnLoopback(Path script, Path etcd, Path argsFile) throws IOException {
    Files.writeString(script, """
        #!/usr/bin/env bash
        # Written by io.ecsbridge.testing.ControlPlane: etcd on loopback only, whatever kube-api-test asks for.
        args=()
        for a in "$@"; do
          a=${a//"://0.0.0.0:"/"://127.0.0.1:"}
          args+=("${a//"://localhost:"/"://127.0.0.1:"}")
        done
        printf '%%s\\n' "${args[@]}" > '%s'
        exec '%s' "${args[@]}"
        """.formatted(argsFile, etcd));
    if (!script.toFile().setExecutable(true)) {
      throw new IOException("cannot make " + script + " executable");
    }
  }

  /** The newest minor's binaries (see {@link #buildBinaries(String)}): `make run` and its kubectl. */
  static Path buildBinaries() throws IOException, InterruptedException {
    return buildBinaries("newest");
  }

  /**
   * Runs hack/kube-bin/build.sh for {@code newest} or {@code oldest} (a no-op when the cache is current) and returns
   * the binaries' folder.
   */
  static Path buildBinaries(String minor) throws IOException, InterruptedException {
    Path script = Repo.root().resolve("hack/kube-bin/build.sh");
    Process p = new ProcessBuilder("bash", script.toString(), minor).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes()).trim();
    }
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("hack/kube-bin/build.sh " + minor + " failed (exit " + p.exitValue() + ")");
    }
    String[] lines = out.split("\n");
    return Path.of(lines[lines.length - 1]);
  }

  /** Applies every CRD in crds/ and waits until the API server serves them. */
  public void installCrds() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Repo.root().resolve("crds"))) {
      files = s.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in,
            CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
            .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                && c.getStatus().getConditions().stream()
                .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                60, TimeUnit.SECONDS);
      }
    }
  }

  /** {@code kube-apiserver} (local processes) or {@code k3s} (a container). */
  public String kind() {
    return kind;
  }

  /**
   * The address at which the cluster's side (the API server, pods where they run) reaches a server on this
   * machine: 127.0.0.1 for the local kube-apiserver; for k3s, the gateway of the container's Docker network.
   */
  public String hostAddressForCluster() {
    return hostAddressForCluster;
  }

  public KubernetesClient client() {
    return client;
  }

  public String kubeconfig() {
    return kubeconfig;
  }

  /** The API server's address, https://127.0.0.1:PORT. */
  public URI apiServerUrl() {
    return URI.create(client.getConfiguration().getMasterUrl().replaceFirst("/$", ""));
  }

  /** etcd's client address, http://127.0.0.1:PORT (kube-apiserver's storage; nothing else should use it). */
  public URI etcdUrl() throws IOException {
    return URI.create(etcdFlag("--listen-client-urls"));
  }

  /** etcd's peer address, http://127.0.0.1:PORT (a cluster of one: nobody connects). */
  public URI etcdPeerUrl() throws IOException {
    return URI.create(etcdFlag("--listen-peer-urls"));
  }

  private String etcdFlag(String flag) throws IOException {
    if (workDir == null) {
      throw new IllegalStateException(kind + " keeps its datastore inside its container: no etcd address here");
    }
    List<String> args = Files.readAllLines(workDir.resolve(ETCD_ARGS));
    int at = args.indexOf(flag);
    if (at < 0 || at + 1 >= args.size()) {
      throw new IllegalStateException("etcd was started without " + flag + ": " + args);
    }
    return args.get(at + 1);
  }

  @Override
  public void close() {
    client.close();
    try {
      stop.close();
    } catch (Exception e) {
      System.err.println(kind + " did not stop cleanly: " + e);
    }
    if (workDir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(workDir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }
}
