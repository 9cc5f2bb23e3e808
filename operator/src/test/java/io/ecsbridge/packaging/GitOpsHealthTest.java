package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.Repo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Argo CD's and kstatus' verdicts over objects saved from real test runs (GitOpsHealthIT wrote them, from the real
 * API server: see src/test/resources/gitops/README.md). GitOpsHealthIT checks the same on live objects.
 */
class GitOpsHealthTest {
  private static Path fixture(String name) {
    return Repo.root().resolve("operator/src/test/resources/gitops/" + name + ".json");
  }

  @ParameterizedTest(name = "{0}: Argo CD {1}, kstatus {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      ecrrepository-ready            | Healthy     | ECR repository                   | Current
      ecrrepository-stalled          | Degraded    | does not exist                   | Failed
      ecrrepository-reconciling      | Progressing | transient AWS error              | InProgress
      ecrrepository-stale-generation | Progressing | observe generation 2             | InProgress
      ecscluster-deleting            | Progressing | service(s)                       | Terminating
      """)
  void verdicts(String name, String argoStatus, String argoMessage, String kstatus) {
    GitOpsHealth.Verdict argo = GitOpsHealth.argocd(List.of(fixture(name))).get(0);
    assertThat(argo.status()).isEqualTo(argoStatus);
    assertThat(argo.message()).contains(argoMessage);
    assertThat(GitOpsHealth.kstatus(List.of(fixture(name))).get(0).status()).isEqualTo(kstatus);
  }
}
