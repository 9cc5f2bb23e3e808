package io.ecsbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The side-by-side's own parts that need no ACK: its workload and its build's check of the sources. */
class AckBenchTest {
  @Test
  void ackGetsTheSameRepositoriesInItsOwnSpelling() {
    List<Workload.Item> ours = Workload.items(3, true, false, 0, null);
    List<Workload.Item> ack = AckBench.repositories(3);
    assertThat(ack).extracting(Workload.Item::key).isEqualTo(ours.stream().map(Workload.Item::key).toList());
    assertThat(ack.get(2).yaml()).contains("name: bench-repo-2", "imageTagMutability: MUTABLE",
        "scanOnPush: false", "tags: [{key: bench, value: ecs-bridge}]");
    assertThat(ours.get(2).yaml()).contains("imageTagMutability: MUTABLE", "scanOnPush: false",
        "tags: {bench: ecs-bridge}");
  }

  @Test
  void theBuildSaysWhichSourcesAreMissing(@TempDir Path src) throws Exception {
    Files.createDirectories(src.resolve("ecr-controller"));
    Files.writeString(src.resolve("ecr-controller/go.mod"), "module github.com/aws-controllers-k8s/ecr-controller\n");
    Process p = new ProcessBuilder("bash", Repo.root().resolve("hack/ack/build.sh").toString(), src.toString())
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out).contains("no " + src.toRealPath() + "/runtime/go.mod");
  }
}
