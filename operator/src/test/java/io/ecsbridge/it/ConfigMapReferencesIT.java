package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * ConfigMaps into task definitions, end to end (the real API server, the operator, moto): configMapKeyRef and
 * environmentFrom land in the registered revision's plain environment (read back from moto); a referenced value that
 * changes registers exactly one new revision, which a service on the taskDefinitionRef rolls out to; a change of an
 * unreferenced key and an unchanged resync write nothing; a missing ConfigMap waits without any AWS call and is
 * picked up at once when it appears (watched: the resync period is 10 min); only the resource's own namespace counts.
 */
class ConfigMapReferencesIT extends OperatorIT {

  private static final String TD = """
      containerDefinitions:
      - name: web
        image: nginx:1.27
        memory: 128
        environment:
        - {name: PLAIN, value: "1"}
        - {name: LOG_LEVEL, valueFrom: {configMapKeyRef: {name: cfg, key: log-level}}}
        - {name: FLAG_B, value: explicit}
        environmentFrom:
        - configMapRef: {name: flags}
          prefix: FLAG_
      """;

  private ConfigMap configMap(String ns, String name, Map<String, String> data) {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withData(data).build();
    return k8s.configMaps().inNamespace(ns).resource(cm).serverSideApply();
  }

  private Map<String, String> registeredEnvironment(String arn) {
    return aws.ecs().describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition().containerDefinitions()
        .get(0).environment().stream().collect(Collectors.toMap(e -> e.name(), e -> e.value()));
  }

  private double ecsCalls() {
    return awsCalls("ecs", null);
  }

  @Test
  void keyRefAndEnvironmentFromLandInTheRevisionAndOnlyAReferencedChangeRegistersOneMore() {
    configMap(namespace, "cfg", Map.of("log-level", "debug", "unrelated", "1"));
    configMap(namespace, "flags", Map.of("A", "on", "B", "from-configmap"));
    create(resource(EcsTaskDefinition.class, "web", TD));
    EcsTaskDefinition td = awaitReady(EcsTaskDefinition.class, "web");
    String first = td.getStatus().taskDefinitionArn;
    assertThat(registeredEnvironment(first)).containsExactlyInAnyOrderEntriesOf(Map.of("PLAIN", "1",
        "LOG_LEVEL", "debug", "FLAG_A", "on", "FLAG_B", "explicit"));
    assertThat(td.getStatus().referencesHash).hasSize(64);

    // an unchanged resync writes nothing
    double writes = awsWrites();
    annotate(td, "ecsbridge.io/reconcile-requested-at", "resync-1");
    eventually().until(() -> "resync-1".equals(get(EcsTaskDefinition.class, "web").getStatus()
        .getLastHandledReconcileAt()));
    assertThat(awsWrites()).as("AWS writes of an unchanged resync").isEqualTo(writes);

    // an unreferenced key changes: the task definition is looked at (the watch), nothing is registered
    double describes = awsCalls("ecs", "DescribeTaskDefinition");
    configMap(namespace, "cfg", Map.of("log-level", "debug", "unrelated", "2"));
    eventually().until(() -> awsCalls("ecs", "DescribeTaskDefinition") > describes);
    assertThat(awsWrites()).as("AWS writes after a change of an unreferenced key").isEqualTo(writes);
    assertThat(get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn).isEqualTo(first);

    // a referenced value changes: exactly one new revision, with the new value
    double registers = awsCalls("ecs", "RegisterTaskDefinition");
    configMap(namespace, "cfg", Map.of("log-level", "info", "unrelated", "2"));
    eventually().until(() -> !first.equals(get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn)
        && isReady(get(EcsTaskDefinition.class, "web")));
    String second = get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn;
    assertThat(registeredEnvironment(second)).containsEntry("LOG_LEVEL", "info");
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).isEqualTo(registers + 1);
    assertThat(hasEvent(get(EcsTaskDefinition.class, "web"), "DriftCorrected")).as("a new value is Updated, "
        + "not drift").isFalse();

    // environmentFrom: a key added to the source is a new variable, one more revision
    configMap(namespace, "flags", Map.of("A", "on", "B", "from-configmap", "C", "new"));
    eventually().until(() -> !second.equals(get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn)
        && isReady(get(EcsTaskDefinition.class, "web")));
    assertThat(registeredEnvironment(get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn))
        .containsEntry("FLAG_C", "new").containsEntry("FLAG_B", "explicit");
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).isEqualTo(registers + 2);
  }

  @Test
  void aConfigMapChangeRollsOutToTheServiceOnTheTaskDefinitionRef() {
    configMap(namespace, "cfg", Map.of("log-level", "debug"));
    configMap(namespace, "flags", Map.of());
    String first = serviceOnTaskDefinitionWeb(TD);
    Rollout rollout = rollsOut("ConfigMap", first, () -> configMap(namespace, "cfg", Map.of("log-level", "info")));
    assertThat(aws.ecs().describeServices(r -> r.cluster("prod").services("web")).services().get(0)
        .taskDefinition()).isEqualTo(rollout.second());
    assertThat(awsCalls("ecs", "UpdateService")).as("one rollout").isEqualTo(rollout.updatesBefore() + 1);
  }

  @Test
  void aMissingConfigMapWaitsWithoutAwsCallsThenIsReadyAtOnceAndAnotherNamespacesIsNeverRead() throws Exception {
    String other = newNamespace();
    startOperator(s -> s.put("ECSBRIDGE_WATCH_NAMESPACES", namespace + "," + other));
    configMap(other, "cfg", Map.of("log-level", "from-another-namespace"));
    configMap(other, "flags", Map.of("A", "from-another-namespace"));
    create(resource(EcsTaskDefinition.class, "web", TD));
    eventually().until(() -> "ReferenceNotReady".equals(reason(get(EcsTaskDefinition.class, "web"),
        Conditions.RECONCILING)));
    EcsTaskDefinition waiting = get(EcsTaskDefinition.class, "web");
    assertThat(isTrue(waiting, Conditions.STALLED)).isFalse();
    assertThat(condition(waiting, Conditions.RECONCILING).orElseThrow().getMessage())
        .contains("ConfigMap cfg does not exist", "ConfigMap flags does not exist");
    // looked at again (a reconcile request): the other namespace's ConfigMaps of the same names are not read
    annotate(waiting, "ecsbridge.io/reconcile-requested-at", "again");
    eventually().until(() -> "again".equals(get(EcsTaskDefinition.class, "web").getStatus()
        .getLastHandledReconcileAt()));
    assertThat(reason(get(EcsTaskDefinition.class, "web"), Conditions.RECONCILING)).isEqualTo("ReferenceNotReady");
    assertThat(ecsCalls()).as("AWS calls while a reference is missing").isZero();

    configMap(namespace, "flags", Map.of("A", "on"));
    long t0 = System.nanoTime();
    configMap(namespace, "cfg", Map.of("log-level", "debug"));
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> isReady(get(EcsTaskDefinition.class, "web")));
    System.out.printf("ConfigMap created -> EcsTaskDefinition Ready: %d ms (resync period 10 min)%n",
        (System.nanoTime() - t0) / 1_000_000);
    assertThat(registeredEnvironment(get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn))
        .containsEntry("LOG_LEVEL", "debug").containsEntry("FLAG_A", "on");
  }

  @Test
  void optionalAndMissingIsReadyWithoutTheVariable() {
    create(resource(EcsTaskDefinition.class, "web", """
        containerDefinitions:
        - name: web
          image: nginx:1.27
          memory: 128
          environment:
          - {name: PLAIN, value: "1"}
          - {name: LOG_LEVEL, valueFrom: {configMapKeyRef: {name: cfg, key: log-level, optional: true}}}
          environmentFrom:
          - configMapRef: {name: flags, optional: true}
        """));
    EcsTaskDefinition td = awaitReady(EcsTaskDefinition.class, "web");
    assertThat(registeredEnvironment(td.getStatus().taskDefinitionArn)).containsExactly(Map.entry("PLAIN", "1"));
  }
}
