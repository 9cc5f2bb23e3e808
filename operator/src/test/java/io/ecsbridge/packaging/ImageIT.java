package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbridge.BuildInfo;
import io.ecsbridge.testing.ImageRoot;
import io.ecsbridge.testing.Repo;
import io.ecsbridge.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image `make image` builds with Jib (operator/target/ecs-bridge-image.tar, an OCI layout), opened without a
 * container engine: its config (numeric non-root user, OCI version and revision labels, the entrypoint) and its
 * layers, extracted into a directory, whose jlink'd runtime runs on this machine with the image's own glibc (its
 * dynamic loader and libraries, not the host's): `java -version`, then the entrypoint itself with `--version`; and
 * in the image's own file system (chroot, where the paths are the container's), the entrypoint's class-data sharing
 * archive mapped by the image's JVM.
 * Runs with -Pimage (make test, make image-test), which builds the tarball first; skipped without it.
 */
class ImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  static Path work;
  private static JsonNode config;
  private static Path rootfs;

  @BeforeAll
  static void openTheTarball() throws IOException {
    String tarball = System.getProperty("ecsbridge.image.tar");
    assumeTrue(tarball != null, "ImageIT runs with -Pimage (make test, make image-test)");
    assertThat(Path.of(tarball)).as("the image `mvn -Pimage verify` builds").isRegularFile();
    Path layout = Files.createDirectories(work.resolve("layout"));
    Tools.run(List.of("tar", "-xf", tarball, "-C", layout.toString()), null, Map.of(), 2).assertSuccess();
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    assertThat(index.get("manifests")).hasSize(1);
    JsonNode manifest = JSON.readTree(blob(layout, index.get("manifests").get(0).get("digest").asText()).toFile());
    assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    config = JSON.readTree(blob(layout, manifest.get("config").get("digest").asText()).toFile());
    rootfs = Files.createDirectories(work.resolve("rootfs"));
    for (JsonNode layer : manifest.get("layers")) {
      Tools.run(List.of("tar", "-xzf", blob(layout, layer.get("digest").asText()).toString(), "-C",
          rootfs.toString()), null, Map.of(), 2).assertSuccess();
    }
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs").resolve(digest.replace(':', '/'));
  }

  @Test
  void nonRootNumericUserAndTheBuildAsLabels() {
    JsonNode c = config.get("config");
    assertThat(c.get("User").asText()).matches("[0-9]+:[0-9]+").doesNotStartWith("0:");
    BuildInfo build = BuildInfo.current();
    assertThat(c.get("Labels").get("org.opencontainers.image.version").asText()).isEqualTo(build.version());
    assertThat(c.get("Labels").get("org.opencontainers.image.revision").asText()).isEqualTo(build.revision())
        .matches("[0-9a-f]{12}");
    assertThat(c.get("Labels").get("org.opencontainers.image.licenses").asText()).isEqualTo("Apache-2.0");
    assertThat(entrypoint()).containsExactly("/opt/java/bin/java",
        "-XX:SharedArchiveFile=/opt/ecs-bridge/ecs-bridge.jsa", "-cp", "@/app/jib-classpath-file",
        "io.ecsbridge.EcsBridgeOperator");
    assertThat(config.get("os").asText()).isEqualTo("linux");
    assertThat(rootfs.resolve("opt/java/bin/java")).isExecutable();
    // what the runtime is: a jlink image, not a JDK (no compiler), with the CA certificates as a real file
    assertThat(rootfs.resolve("opt/java/bin/javac")).doesNotExist();
    assertThat(rootfs.resolve("opt/java/lib/security/cacerts")).isRegularFile().isNotEmptyFile();
  }

  /**
   * The image's glibc frees an ended thread's stack (its config's GLIBC_TUNABLES): a glibc that does not know the
   * tunable ignores it without a word, so its own loader is asked what it read.
   */
  @Test
  void theImagesGlibcReadsItsTunables() {
    String tunables = env("GLIBC_TUNABLES");
    assertThat(tunables).isEqualTo("glibc.pthread.stack_cache_size=0");
    Tools.Output listed = Tools.run(List.of(rootfs.resolve("lib64/ld-linux-x86-64.so.2").toString(),
        "--list-tunables"), null, Map.of("GLIBC_TUNABLES", tunables), 2).assertSuccess();
    assertThat(listed.stdout()).contains("glibc.pthread.stack_cache_size: 0x0 ");
  }

  /** A variable of the image's config's Env, or null. */
  private static String env(String name) {
    for (JsonNode e : config.path("config").path("Env")) {
      if (e.asText().startsWith(name + "=")) {
        return e.asText().substring(name.length() + 1);
      }
    }
    return null;
  }

  private static List<String> entrypoint() {
    List<String> args = new ArrayList<>();
    config.get("config").get("Entrypoint").forEach(a -> args.add(a.asText()));
    return args;
  }

  /** The image's java started through the image's dynamic loader and libraries (what a container's kernel does). */
  private static Tools.Output inImage(List<String> args) {
    List<String> command = new ArrayList<>(List.of(rootfs.resolve("lib64/ld-linux-x86-64.so.2").toString(),
        "--library-path", rootfs.resolve("lib/x86_64-linux-gnu").toString(),
        rootfs.resolve("opt/java/bin/java").toString()));
    command.addAll(args);
    return Tools.run(command, null, Map.of("JAVA_TOOL_OPTIONS", ""), 2);
  }

  /**
   * The image's java run in the image's own file system ({@link ImageRoot}) with the image's JAVA_TOOL_OPTIONS (its
   * config's Env) and the chart's memory limit as the JVM's RAM (-XX:MaxRAM=512m, as the bench gives it: the image's
   * options size the heap as a share of the container's memory, and a heap over 32 GiB on a large machine without a
   * limit would turn compressed pointers off, which no archive is dumped for).
   */
  private static Tools.Output inImageRoot(List<String> args) throws IOException {
    String options = env("JAVA_TOOL_OPTIONS");
    assertThat(options).as("the image's JVM options (its config's Env)").contains("-XX:+UseSerialGC");
    return Tools.run(ImageRoot.command(rootfs, args), null,
        Map.of("JAVA_TOOL_OPTIONS", options + " -XX:MaxRAM=512m"), 2);
  }

  @Test
  void theImagesJvmMapsTheStartsClassDataSharingArchive() throws IOException {
    assumeTrue(!"off".equals(System.getenv("IMAGE_CDS")), "IMAGE_CDS=off: the image was built without its archive");
    assertThat(rootfs.resolve("opt/ecs-bridge/ecs-bridge.jsa")).isRegularFile();
    List<String> args = new ArrayList<>(entrypoint());
    // -Xshare:on refuses to start when the archive cannot be mapped (another class path, jar or JVM), where the
    // entrypoint's default (auto) would start without it, silently. The build made the archive the same way
    // (hack/image/cds.sh), so a machine where this cannot run has failed before
    args.addAll(1, List.of("-Xshare:on", "-Xlog:class+load:file=/tmp/class-load.log"));
    args.add("--version");
    Tools.Output out = inImageRoot(args);
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    assertThat(out.stdout().trim()).isEqualTo(BuildInfo.current().toString());
    List<String> loaded = Files.readAllLines(rootfs.resolve("tmp/class-load.log"));
    // the application's classes too, not only the JDK's (Java 17 maps an archive for a longer class path as well)
    assertThat(loaded).anyMatch(l -> l.contains(" io.ecsbridge.EcsBridgeOperator source: shared objects file"));
    long shared = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
    assertThat((double) shared / loaded.size()).as("classes from the archive: %d of %d", shared, loaded.size())
        .isGreaterThan(0.9);
  }

  /** Catches a stale hack/image/start-classes.lst: a class of ours it names that the image no longer has. */
  @Test
  void theStartsClassListNamesNoClassOfOursThatIsGone() throws IOException {
    Set<String> ours;
    try (JarFile jar = new JarFile(rootfs.resolve("app/classpath/ecs-bridge-thin.jar").toFile())) {
      ours = jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class"))
          .map(n -> n.substring(0, n.length() - ".class".length())).collect(Collectors.toSet());
    }
    List<String> listed = Files.readAllLines(Repo.root().resolve("hack/image/start-classes.lst")).stream()
        .filter(l -> l.startsWith("io/ecsbridge/")).map(l -> l.split(" ")[0]).toList();
    assertThat(listed).as("the list's classes of ours").hasSizeGreaterThan(100);
    assertThat(listed.stream().filter(c -> !ours.contains(c)).toList())
        .as("classes hack/image/start-classes.lst names that are gone: `make cds-list` lists the start's again")
        .isEmpty();
  }

  @Test
  void theJlinkedRuntimeRunsWithTheImagesOwnLibraries() {
    Tools.Output out = inImage(List.of("-version"));
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    assertThat(out.stderr()).contains("version \"17.");
    // the loader and libc are the image's: the host's /lib is not on the path
    assertThat(rootfs.resolve("lib/x86_64-linux-gnu/libc.so.6")).isRegularFile();
    assertThat(rootfs.resolve("lib/x86_64-linux-gnu/libz.so.1")).isRegularFile();
  }

  @Test
  void theEntrypointPrintsTheVersion() throws IOException {
    // the entrypoint's argument file lists absolute paths inside the image: rebased on the extracted tree
    String classpath = List.of(Files.readString(rootfs.resolve("app/jib-classpath-file")).trim().split(":"))
        .stream().map(p -> rootfs + p).collect(Collectors.joining(":"));
    List<String> args = new ArrayList<>(entrypoint().subList(1, entrypoint().size()));
    args.set(args.indexOf("@/app/jib-classpath-file"), classpath);
    args.add("--version");
    Tools.Output out = inImage(args);
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    assertThat(out.stdout().trim()).isEqualTo(BuildInfo.current().toString());
  }
}
