package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcrRepositorySpec.ImageTagMutability;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.OperatorIT;
import io.ecsbridge.testing.Repo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Argo CD's Lua health check and kstatus over live objects the operator produced on the real API server: Ready,
 * Reconciling (AWS unreachable: retried), Stalled (ObserveOnly of a missing repository), a stale generation (a spec
 * change the operator has not seen) and a deletion waiting for a cluster's services (Reconciling; kstatus: Terminating). The objects are saved to
 * target/gitops-fixtures/ (the source of src/test/resources/gitops/, which GitOpsHealthTest reads).
 */
class GitOpsHealthIT extends OperatorIT {
  private static final Path OUT = Repo.root().resolve("operator/target/gitops-fixtures");

  private <T extends HasMetadata> T parse(String yaml, Class<T> type) {
    return k8s.getKubernetesSerialization().unmarshal(yaml, type);
  }

  private Path save(String name, HasMetadata live) throws Exception {
    live.getMetadata().setManagedFields(null);
    Files.createDirectories(OUT);
    Path file = OUT.resolve(name + ".json");
    Files.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(k8s.getKubernetesSerialization().convertValue(live, Map.class)) + "\n");
    return file;
  }

  @Test
  void argoCdAndKstatusReadTheOperatorsStatus() throws Exception {
    create(parse("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepository
        metadata: {name: ready}
        spec: {imageTagMutability: MUTABLE}
        """, EcrRepository.class));
    create(parse("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepository
        metadata: {name: missing}
        spec: {managementPolicy: ObserveOnly}
        """, EcrRepository.class));
    EcsCluster busy = create(parse("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsCluster
        metadata: {name: busy}
        spec: {}
        """, EcsCluster.class));
    eventually().until(() -> isReady(get(EcrRepository.class, "ready")) && isReady(get(EcsCluster.class, "busy"))
        && isTrue(get(EcrRepository.class, "missing"), Conditions.STALLED));
    aws.ecs().registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("web").image("nginx")
        .memory(128)));
    aws.ecs().createService(r -> r.cluster("busy").serviceName("web").taskDefinition("web").desiredCount(0));
    k8s.resource(busy).inNamespace(namespace).delete();
    eventually().until(() -> "ClusterNotEmpty".equals(reason(get(EcsCluster.class, "busy"), Conditions.RECONCILING)));

    Path ready = save("ecrrepository-ready", get(EcrRepository.class, "ready"));
    Path stalled = save("ecrrepository-stalled", get(EcrRepository.class, "missing"));
    Path deleting = save("ecscluster-deleting", get(EcsCluster.class, "busy"));
    // a spec change nobody has reconciled yet: the operator is stopped
    operator.close();
    operator = null;
    edit(get(EcrRepository.class, "ready"), r -> {
      r.getSpec().imageTagMutability = ImageTagMutability.IMMUTABLE;
      return r;
    });
    Path stale = save("ecrrepository-stale-generation", get(EcrRepository.class, "ready"));
    // AWS unreachable (nothing listens on port 9): retried with backoff, Reconciling
    startOperator(settings -> settings.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9"));
    create(parse("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepository
        metadata: {name: unreachable}
        spec: {imageTagMutability: MUTABLE}
        """, EcrRepository.class));
    eventually().until(() -> "AwsRetrying".equals(reason(get(EcrRepository.class, "unreachable"),
        Conditions.RECONCILING)));
    Path reconciling = save("ecrrepository-reconciling", get(EcrRepository.class, "unreachable"));

    List<Path> objects = List.of(ready, stalled, reconciling, stale, deleting);
    List<GitOpsHealth.Verdict> argo = GitOpsHealth.argocd(objects);
    assertThat(argo).extracting(GitOpsHealth.Verdict::status)
        .containsExactly("Healthy", "Degraded", "Progressing", "Progressing", "Progressing");
    assertThat(argo.get(1).message()).contains("does not exist");
    assertThat(argo.get(2).message()).contains("transient AWS error");
    assertThat(argo.get(3).message()).contains("generation 2");
    assertThat(argo.get(4).message()).contains("service(s)");
    assertThat(GitOpsHealth.kstatus(objects)).extracting(GitOpsHealth.Verdict::status)
        .containsExactly("Current", "Failed", "InProgress", "InProgress", "Terminating");
  }
}
