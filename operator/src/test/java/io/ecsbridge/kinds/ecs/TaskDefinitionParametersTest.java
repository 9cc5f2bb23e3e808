package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionSpec;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus;
import io.ecsbridge.aws.FakeParametersGateway;
import io.ecsbridge.aws.FakeTaskDefinitionGateway;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.Ownership;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ConfigMap references with as: Parameter: resolution (precedence with the plain environment), the parameters' names,
 * the secrets[] entries on their ARNs, and their lifecycle (a new path per new values, kept while an ACTIVE revision
 * references it, all deleted with the resource).
 */
class TaskDefinitionParametersTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final FakeTaskDefinitionGateway ecs = new FakeTaskDefinitionGateway();
  private final FakeParametersGateway ssm = new FakeParametersGateway();
  private final Map<String, ConfigMap> cache = new HashMap<>();
  private final EventRecorder events = mock(EventRecorder.class);
  @SuppressWarnings("unchecked")
  private final Context<EcsTaskDefinition> context = mock(Context.class);

  private EcsTaskDefinitionReconciler reconciler(FakeParametersGateway gateway) {
    return new EcsTaskDefinitionReconciler(new OperatorContext(events, Clock.systemUTC(), "op",
        Duration.ofMinutes(10)), ecs, region -> "eu-west-1", namespace -> Set.of(),
        (c, ns, name) -> Optional.ofNullable(cache.get(ns + "/" + name)), null, null,
        new ImageReferences(ImageReferences.Repositories.informers(), null, region -> "eu-west-1"), gateway);
  }

  private final EcsTaskDefinitionReconciler reconciler = reconciler(ssm);

  private void configMap(String name, Map<String, String> data) {
    cache.put("ns/" + name, new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("ns")
        .endMetadata().withData(data).build());
  }

  private static EcsTaskDefinitionSpec spec(String containerYaml) {
    return JSON.unmarshal("""
        containerDefinitions:
        - name: web
          image: nginx
        %s
        """.formatted(containerYaml.indent(2)), EcsTaskDefinitionSpec.class);
  }

  private static EcsTaskDefinition td(String containerYaml) {
    EcsTaskDefinition r = JSON.unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsTaskDefinition
        metadata: {name: web, namespace: ns, generation: 1, uid: u1}
        spec:
          revisionHistoryLimit: 1
          containerDefinitions:
          - name: web
            image: nginx
            memory: 128
        %s
        """.formatted(containerYaml.indent(4)), EcsTaskDefinition.class);
    r.setStatus(new EcsTaskDefinitionStatus());
    return r;
  }

  private Health sync(EcsTaskDefinition r) {
    Health health = reconciler.sync(r, r.getStatus(), context).health();
    Conditions.apply(r.getStatus(), health, 1L, Clock.systemUTC());
    return health;
  }

  private JsonNode container(long revision) {
    return ecs.families.get("web").get(revision).content.get("containerDefinitions").get(0);
  }

  @Test
  void parameterReferencesLeaveThePlainEnvironmentAndEnvironmentStillWinsOverEnvironmentFrom() {
    Map<String, Optional<Map<String, String>>> maps = Map.of(
        "cfg", Optional.of(Map.of("a", "1", "b", "2", "LEVEL", "x")),
        "big", Optional.of(Map.of("blob", "large")));
    var resolved = TaskDefinitionReferences.resolve(spec("""
        environment:
        - {name: PLAIN, valueFrom: {configMapKeyRef: {name: cfg, key: a}}}
        - {name: BLOB, valueFrom: {configMapKeyRef: {name: big, key: blob, as: Parameter}}}
        - {name: CFG_b, value: explicit}
        environmentFrom:
        - {configMapRef: {name: cfg, as: Parameter}, prefix: CFG_}
        - {configMapRef: {name: cfg}, prefix: P_}
        - {configMapRef: {name: cfg, as: Parameter}, prefix: P_}
        """), name -> maps.getOrDefault(name, Optional.empty()));
    assertThat(resolved.verdict()).isNull();
    assertThat(resolved.environment().get("web")).extracting(e -> e.name)
        .containsExactly("PLAIN", "CFG_b");
    assertThat(resolved.parameters()).extracting(TaskDefinitionReferences.ParameterRef::variable)
        .as("a later source wins over an earlier one whatever it is; an environment entry wins over both")
        .containsExactlyInAnyOrder("CFG_LEVEL", "CFG_a", "P_LEVEL", "P_a", "P_b", "BLOB");
    assertThat(resolved.parameters()).extracting(TaskDefinitionReferences.ParameterRef::member)
        .contains("big/blob", "cfg/a");

    var plain = TaskDefinitionReferences.resolve(spec("""
        environment: [{name: PLAIN, valueFrom: {configMapKeyRef: {name: cfg, key: a}}}]
        """), name -> maps.getOrDefault(name, Optional.empty()));
    var asParameter = TaskDefinitionReferences.resolve(spec("""
        environment: [{name: PLAIN, valueFrom: {configMapKeyRef: {name: cfg, key: a, as: Parameter}}}]
        """), name -> maps.getOrDefault(name, Optional.empty()));
    assertThat(plain.hash()).as("as: Environment keeps today's hash").isEqualTo(
        TaskDefinitionContent.hash(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(plain.environment())));
    assertThat(asParameter.hash()).isNotNull().isNotEqualTo(plain.hash());
  }

  @Test
  void eachValueIsAnOwnedParameterReferencedByArnAndOnlyAChangedValueMakesNewParametersAndOneRevision() {
    EcsTaskDefinition r = td("""
        environment: [{name: FEATURES, valueFrom: {configMapKeyRef: {name: cfg, key: features, as: Parameter}}}]
        environmentFrom: [{configMapRef: {name: app, as: Parameter}, prefix: APP_}]
        """);
    Health waiting = sync(r);
    assertThat(waiting.reason()).isEqualTo("ReferenceNotReady");
    assertThat(ssm.calls).as("no Parameter Store call while a reference is missing").isEmpty();

    configMap("cfg", Map.of("features", "a,b", "other", "1"));
    configMap("app", Map.of("mode", "blue"));
    assertThat(reconciler.inputsChanged(r, context)).isTrue();
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ssm.values).hasSize(2);
    String path = ssm.values.keySet().iterator().next().replaceAll("/[^/]+/[^/]+$", "");
    assertThat(path).matches("/ecsbridge/op/ns/web/[0-9a-f]{10}");
    assertThat(ssm.values).containsEntry(path + "/cfg/features", "a,b").containsEntry(path + "/app/mode", "blue");
    assertThat(ssm.tags.get(path + "/cfg/features")).containsEntry(Ownership.TAG, "op/ns/web");
    JsonNode web = container(1);
    assertThat(web.get("secrets").toString()).isEqualTo("[{\"name\":\"APP_mode\",\"valueFrom\":\""
        + FakeParametersGateway.ARN + path + "/app/mode\"},{\"name\":\"FEATURES\",\"valueFrom\":\""
        + FakeParametersGateway.ARN + path + "/cfg/features\"}]");
    assertThat(web.path("environment").toString()).as("no plain environment entry for them")
        .doesNotContain("FEATURES").doesNotContain("blue");
    assertThat(ecs.families.get("web").get(1L).tags).containsEntry(TaskDefinitionParameters.VALUES_TAG,
        path.substring(path.lastIndexOf('/') + 1));
    assertThat(r.getStatus().parametersArn).isEqualTo(FakeParametersGateway.ARN + path + "/");
    assertThat(reconciler.inputsChanged(r, context)).isFalse();

    ecs.writes.clear();
    ssm.calls.clear();
    ssm.writes.clear();
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).as("an unchanged resync").isEmpty();
    assertThat(ssm.calls).as("an unchanged resync calls no Parameter Store API (status remembers)").isEmpty();

    configMap("cfg", Map.of("features", "a,b", "other", "2"));
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ssm.calls).as("an unreferenced key changed").isEmpty();
    assertThat(ecs.writes).isEmpty();

    configMap("cfg", Map.of("features", "a,b,c", "other", "2"));
    assertThat(reconciler.inputsChanged(r, context)).isTrue();
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).as("one new revision").containsExactly("RegisterTaskDefinition");
    assertThat(ssm.writes).containsExactly("PutParameter", "PutParameter");
    assertThat(ssm.values).hasSize(4).as("revision 1 is still ACTIVE (revisionHistoryLimit 1)")
        .containsKey(path + "/cfg/features");
    String path2 = r.getStatus().parametersArn.substring(FakeParametersGateway.ARN.length());
    assertThat(path2).isNotEqualTo(path + "/");
    assertThat(ssm.values).containsEntry(path2 + "cfg/features", "a,b,c");
    assertThat(container(2).get("secrets").toString()).contains(FakeParametersGateway.ARN + path2 + "cfg/features");

    configMap("cfg", Map.of("features", "d", "other", "2"));
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.active("web")).containsExactly(2L, 3L);
    assertThat(ssm.values.keySet()).as("only revision 1, now deregistered, referenced the first path")
        .noneMatch(n -> n.startsWith(path + "/")).anyMatch(n -> n.startsWith(path2));

    ssm.values.put("/ecsbridge/op/ns/web-2/0123456789/cfg/features", "another resource's");
    reconciler.remove(r, null, new EcsTaskDefinitionReconciler.Place("eu-west-1", null, null, null, null, null));
    assertThat(ecs.active("web")).isEmpty();
    assertThat(ssm.values).as("every parameter of this resource is deleted; another resource's is not touched")
        .containsOnlyKeys("/ecsbridge/op/ns/web-2/0123456789/cfg/features");
  }

  @Test
  void namesStayWithinSsmRulesAndNeverCollideAcrossNamespacesOrInstances() {
    var a = new TaskDefinitionParameters(ssm, "op", events);
    EcsTaskDefinition r = td("");
    assertThat(a.prefix(r)).isEqualTo("/ecsbridge/op/ns/web/");
    assertThat(new TaskDefinitionParameters(ssm, "op2", events).prefix(r)).isEqualTo("/ecsbridge/op2/ns/web/");
    r.getMetadata().setNamespace("ns2");
    assertThat(a.prefix(r)).isEqualTo("/ecsbridge/op/ns2/web/");
    // SSM: a-zA-Z0-9_.-/ only, no more than 15 levels, at most 1011 characters with the ARN's part before the name
    assertThat(a.prefix(r) + "0123456789/cfg.v1/some_key-1").matches("[A-Za-z0-9_./-]+");

    String longest = "arn:aws-us-gov:ssm:ap-southeast-2:123456789012:parameter/ecsbridge/" + "i".repeat(64) + "/"
        + "n".repeat(63) + "/" + "r".repeat(253) + "/0123456789/" + "c".repeat(253) + "/" + "k".repeat(253);
    assertThat(longest.length()).as("the longest name the operator can make, with its ARN part").isLessThan(1011);
    assertThat(longest.chars().filter(ch -> ch == '/').count()).isLessThanOrEqualTo(15);
  }

  @Test
  void withoutParameterStoreAccessAReferenceIsStalledAndNothingIsWritten() {
    configMap("cfg", Map.of("k", "v"));
    EcsTaskDefinition r = td("""
        environment: [{name: K, valueFrom: {configMapKeyRef: {name: cfg, key: k, as: Parameter}}}]
        """);
    Health health = reconciler(null).sync(r, r.getStatus(), context).health();
    assertThat(health.reason()).isEqualTo(TaskDefinitionParameters.UNAVAILABLE);
    assertThat(ecs.writes).isEmpty();
  }
}
