package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecsbridge.api.v1alpha1.ContainerDefinition.EnvironmentVariable;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionSpec;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus;
import io.ecsbridge.aws.FakeTaskDefinitionGateway;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** ConfigMap references resolved into the plain environment: missing, optional, prefix, precedence; and a pass. */
class TaskDefinitionReferencesTest {
  private final Map<String, Map<String, String>> configMaps = new HashMap<>();

  private static EcsTaskDefinitionSpec spec(String containerYaml) {
    return new KubernetesSerialization().unmarshal("""
        containerDefinitions:
        - name: web
          image: nginx
        %s
        """.formatted(containerYaml.indent(2)), EcsTaskDefinitionSpec.class);
  }

  private TaskDefinitionReferences.Resolved resolve(String containerYaml) {
    return TaskDefinitionReferences.resolve(spec(containerYaml), name -> Optional.ofNullable(configMaps.get(name)));
  }

  private static Map<String, String> env(TaskDefinitionReferences.Resolved resolved) {
    assertThat(resolved.verdict()).as("verdict").isNull();
    return resolved.environment().get("web").stream()
        .collect(Collectors.toMap(e -> e.name, e -> e.value, (a, b) -> b, LinkedHashMap::new));
  }

  @Test
  void aKeyRefAndEnvironmentFromWithAPrefixBecomePlainEnvironment() {
    configMaps.put("cfg", Map.of("log-level", "debug", "mode", "prod"));
    configMaps.put("flags", Map.of("A", "1", "B", "2"));
    var resolved = resolve("""
        environment:
        - {name: PLAIN, value: x}
        - {name: LOG_LEVEL, valueFrom: {configMapKeyRef: {name: cfg, key: log-level}}}
        environmentFrom:
        - configMapRef: {name: flags}
          prefix: FLAG_
        """);
    assertThat(env(resolved)).containsExactlyInAnyOrderEntriesOf(Map.of("PLAIN", "x", "LOG_LEVEL", "debug",
        "FLAG_A", "1", "FLAG_B", "2"));
    assertThat(resolved.hash()).hasSize(64);
  }

  @Test
  void environmentWinsOverEnvironmentFromAndALaterSourceOverAnEarlierOne() {
    configMaps.put("first", Map.of("MODE", "first", "ONLY_FIRST", "1"));
    configMaps.put("second", Map.of("MODE", "second", "LEVEL", "info"));
    var resolved = resolve("""
        environment:
        - {name: LEVEL, value: explicit}
        environmentFrom:
        - configMapRef: {name: first}
        - configMapRef: {name: second}
        """);
    assertThat(env(resolved)).containsExactlyInAnyOrderEntriesOf(Map.of("MODE", "second", "ONLY_FIRST", "1",
        "LEVEL", "explicit"));
  }

  @Test
  void aMissingConfigMapOrKeyIsReferenceNotReadyNamingIt() {
    configMaps.put("cfg", Map.of("other", "v"));
    var resolved = resolve("""
        environment:
        - {name: LOG_LEVEL, valueFrom: {configMapKeyRef: {name: cfg, key: log-level}}}
        - {name: DB, valueFrom: {configMapKeyRef: {name: absent, key: db}}}
        environmentFrom:
        - configMapRef: {name: gone}
        """);
    assertThat(resolved.verdict().state()).isEqualTo(Health.State.PROGRESSING);
    assertThat(resolved.verdict().reason()).isEqualTo("ReferenceNotReady");
    assertThat(resolved.verdict().message()).contains("ConfigMap cfg has no key log-level (environment LOG_LEVEL "
        + "of container web)", "ConfigMap absent does not exist (environment DB of container web)",
        "ConfigMap gone does not exist (environmentFrom of container web)");
  }

  @Test
  void optionalAndMissingLeavesTheVariableOut() {
    configMaps.put("cfg", Map.of("other", "v"));
    var resolved = resolve("""
        environment:
        - {name: A, value: "1"}
        - {name: LOG_LEVEL, valueFrom: {configMapKeyRef: {name: cfg, key: log-level, optional: true}}}
        - {name: DB, valueFrom: {configMapKeyRef: {name: absent, key: db, optional: true}}}
        environmentFrom:
        - configMapRef: {name: gone, optional: true}
        """);
    assertThat(env(resolved)).containsExactly(Map.entry("A", "1"));
  }

  @Test
  void aContainerWithoutReferencesIsSentAsWrittenAndTheSpecHasNoHash() {
    var resolved = resolve("environment: [{name: A, value: \"1\"}]");
    assertThat(resolved.verdict()).isNull();
    assertThat(resolved.environment()).isEmpty();
    assertThat(resolved.hash()).isNull();
  }

  @Test
  void theResolvedContentHasNoKubernetesOnlyField() {
    configMaps.put("cfg", Map.of("k", "v"));
    EcsTaskDefinitionSpec spec = spec("""
        environment: [{name: K, valueFrom: {configMapKeyRef: {name: cfg, key: k}}}]
        environmentFrom: [{configMapRef: {name: cfg}, prefix: P_}]
        """);
    var resolved = TaskDefinitionReferences.resolve(spec, name -> Optional.ofNullable(configMaps.get(name)));
    JsonNode request = TaskDefinitionContent.request(TaskDefinitionReferences.resolved(spec, resolved.environment()));
    JsonNode web = request.get("containerDefinitions").get(0);
    assertThat(web.has("environmentFrom")).isFalse();
    assertThat(web.get("environment").toString()).isEqualTo("[{\"name\":\"P_k\",\"value\":\"v\"},"
        + "{\"name\":\"K\",\"value\":\"v\"}]");
  }

  // ---- a pass of the reconciler with ConfigMaps in a map instead of the informer's cache

  private final FakeTaskDefinitionGateway ecs = new FakeTaskDefinitionGateway();
  private final Map<String, ConfigMap> cache = new HashMap<>();
  @SuppressWarnings("unchecked")
  private final Context<EcsTaskDefinition> context = mock(Context.class);
  private final EcsTaskDefinitionReconciler reconciler = new EcsTaskDefinitionReconciler(
      new OperatorContext(mock(EventRecorder.class), Clock.systemUTC(), "op", Duration.ofMinutes(10)), ecs,
      region -> "eu-west-1", namespace -> Set.of(),
      (c, namespace, name) -> Optional.ofNullable(cache.get(namespace + "/" + name)), null, null);

  private void configMap(String namespace, String name, Map<String, String> data) {
    cache.put(namespace + "/" + name, new ConfigMapBuilder().withNewMetadata().withName(name)
        .withNamespace(namespace).endMetadata().withData(data).build());
  }

  private static EcsTaskDefinition td() {
    EcsTaskDefinition r = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsTaskDefinition
        metadata: {name: web, namespace: ns, generation: 1, uid: u1}
        spec:
          containerDefinitions:
          - name: web
            image: nginx
            memory: 128
            environment: [{name: LOG_LEVEL, valueFrom: {configMapKeyRef: {name: cfg, key: log-level}}}]
        """, EcsTaskDefinition.class);
    r.setStatus(new EcsTaskDefinitionStatus());
    return r;
  }

  private Health sync(EcsTaskDefinition r) {
    Health health = reconciler.sync(r, r.getStatus(), context).health();
    Conditions.apply(r.getStatus(), health, 1L, Clock.systemUTC());
    return health;
  }

  private List<JsonNode> registeredEnvironment(long revision) {
    return List.of(ecs.families.get("web").get(revision).content.get("containerDefinitions").get(0)
        .get("environment"));
  }

  @Test
  void aMissingConfigMapCallsNoAwsThenItsValueIsRegisteredAndOnlyAChangedValueRegistersAgain() {
    EcsTaskDefinition r = td();
    configMap("other", "cfg", Map.of("log-level", "from-another-namespace"));
    Health waiting = sync(r);
    assertThat(waiting.reason()).isEqualTo("ReferenceNotReady");
    assertThat(waiting.message()).contains("ConfigMap cfg does not exist");
    assertThat(ecs.calls).as("no AWS call while a reference is missing").isEmpty();

    configMap("ns", "cfg", Map.of("log-level", "debug", "unrelated", "1"));
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(registeredEnvironment(1).toString()).isEqualTo("[[{\"name\":\"LOG_LEVEL\",\"value\":\"debug\"}]]");
    String remembered = r.getStatus().referencesHash;
    assertThat(remembered).hasSize(64);

    ecs.writes.clear();
    configMap("ns", "cfg", Map.of("log-level", "debug", "unrelated", "2"));
    assertThat(reconciler.inputsChanged(r, context)).as("inputsChanged after an unreferenced key changed").isFalse();
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).as("an unreferenced key changed").isEmpty();
    assertThat(r.getStatus().referencesHash).isEqualTo(remembered);

    configMap("ns", "cfg", Map.of("log-level", "info", "unrelated", "2"));
    assertThat(reconciler.inputsChanged(r, context)).as("inputsChanged after a referenced value changed").isTrue();
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).containsExactly("RegisterTaskDefinition");
    assertThat(registeredEnvironment(2).toString()).isEqualTo("[[{\"name\":\"LOG_LEVEL\",\"value\":\"info\"}]]");
    assertThat(r.getStatus().referencesHash).isNotEqualTo(remembered);
    assertThat(r.getStatus().revision).isEqualTo(2L);

    ecs.writes.clear();
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).as("an unchanged resync").isEmpty();
  }
}
