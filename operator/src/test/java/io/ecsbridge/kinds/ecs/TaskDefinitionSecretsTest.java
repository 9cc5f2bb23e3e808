package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionSpec;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus;
import io.ecsbridge.aws.FakeSecretsGateway;
import io.ecsbridge.aws.FakeTaskDefinitionGateway;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Secret references: resolution (missing, optional, prefix, precedence), the values secret's name and lifecycle
 * (one per values, kept while an ACTIVE revision references it), and that no value reaches a message, the task
 * definition, its tags, status or an Event.
 */
class TaskDefinitionSecretsTest {
  private static final String VALUE = "hunter2-s3cr3t";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final FakeTaskDefinitionGateway ecs = new FakeTaskDefinitionGateway();
  private final FakeSecretsGateway sm = new FakeSecretsGateway();
  private final Map<String, Secret> cache = new HashMap<>();
  private final EventRecorder events = mock(EventRecorder.class);
  @SuppressWarnings("unchecked")
  private final Context<EcsTaskDefinition> context = mock(Context.class);
  private int resourceVersion = 100;

  private EcsTaskDefinitionReconciler reconciler(boolean enabled, boolean allowCrossNamespace) {
    return new EcsTaskDefinitionReconciler(new OperatorContext(events, Clock.systemUTC(), "op",
        Duration.ofMinutes(10), allowCrossNamespace, io.ecsbridge.contract.OwnerLookup.UNCHECKED), ecs,
        region -> "eu-west-1", namespace -> Set.of(), (c, ns, name) -> Optional.empty(), enabled ? sm : null,
        (c, ns, name) -> Optional.ofNullable(cache.get(ns + "/" + name)));
  }

  private final EcsTaskDefinitionReconciler reconciler = reconciler(true, false);

  private void secret(String namespace, String name, Map<String, String> data) {
    Map<String, String> encoded = data.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        e -> Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8))));
    cache.put(namespace + "/" + name, new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .withResourceVersion(String.valueOf(resourceVersion++)).endMetadata().withData(encoded).build());
  }

  private static EcsTaskDefinitionSpec spec(String containerYaml) {
    return JSON.unmarshal("""
        containerDefinitions:
        - name: web
          image: nginx
        %s
        """.formatted(containerYaml.indent(2)), EcsTaskDefinitionSpec.class);
  }

  private static Optional<TaskDefinitionSecrets.Data> data(Map<String, String> values) {
    return Optional.of(new TaskDefinitionSecrets.Data(values, "1"));
  }

  @Test
  void aKeyRefAndEnvironmentFromWithAPrefixAreResolvedExplicitWinsAndMissingOnesAreNamedWithoutTheirValue() {
    Map<String, Optional<TaskDefinitionSecrets.Data>> secrets = Map.of(
        "db", data(Map.of("password", VALUE, "user", "app")),
        "api", data(Map.of("TOKEN", VALUE + "-api", "URL", "u")));
    var resolved = TaskDefinitionSecrets.resolve(spec("""
        secrets:
        - {name: RAW, valueFrom: arn:aws:ssm:eu-west-1:123456789012:parameter/raw}
        - {name: DB_PASSWORD, secretKeyRef: {name: db, key: password}}
        - {name: API_TOKEN, secretKeyRef: {name: db, key: user}}
        - {name: GONE, secretKeyRef: {name: db, key: nope, optional: true}}
        environmentFrom:
        - {secretRef: {name: api}, prefix: API_}
        - {secretRef: {name: missing, optional: true}}
        """), name -> secrets.getOrDefault(name, Optional.empty()));
    assertThat(resolved.verdict()).isNull();
    assertThat(resolved.refs()).extracting(TaskDefinitionSecrets.Ref::variable)
        .containsExactly("API_URL", "DB_PASSWORD", "API_TOKEN");
    assertThat(resolved.refs()).extracting(TaskDefinitionSecrets.Ref::member)
        .containsExactly("api/URL", "db/password", "db/user");
    assertThat(resolved.values()).containsOnlyKeys("api/URL", "db/password", "db/user");
    assertThat(resolved.toString()).doesNotContain(VALUE);

    var missing = TaskDefinitionSecrets.resolve(spec("""
        secrets:
        - {name: A, secretKeyRef: {name: db, key: nope}}
        - {name: B, secretKeyRef: {name: nothing, key: k}}
        environmentFrom:
        - {secretRef: {name: absent}}
        """), name -> secrets.getOrDefault(name, Optional.empty()));
    assertThat(missing.verdict().reason()).isEqualTo("ReferenceNotReady");
    assertThat(missing.verdict().message()).isEqualTo("Secret absent does not exist (environmentFrom of container "
        + "web); Secret db has no key nope (secrets A of container web); Secret nothing does not exist (secrets B of "
        + "container web)");
    assertThat(missing.toString()).doesNotContain(VALUE);
  }

  private static EcsTaskDefinition td(String namespace, String secretsYaml) {
    EcsTaskDefinition r = JSON.unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsTaskDefinition
        metadata: {name: web, namespace: %s, generation: 1, uid: u1}
        spec:
          revisionHistoryLimit: 1
          containerDefinitions:
          - name: web
            image: nginx
            memory: 128
        %s
        """.formatted(namespace, secretsYaml.indent(4)), EcsTaskDefinition.class);
    r.setStatus(new EcsTaskDefinitionStatus());
    return r;
  }

  private static EcsTaskDefinition td() {
    return td("ns", "secrets: [{name: DB_PASSWORD, secretKeyRef: {name: db, key: password}}]");
  }

  private Health sync(EcsTaskDefinitionReconciler reconciler, EcsTaskDefinition r) {
    Health health = reconciler.sync(r, r.getStatus(), context).health();
    Conditions.apply(r.getStatus(), health, 1L, Clock.systemUTC());
    return health;
  }

  private JsonNode registered(long revision) {
    return ecs.families.get("web").get(revision).content.get("containerDefinitions").get(0).get("secrets");
  }

  /** Everything a value must never reach: task definitions and their tags, status, every Event's arguments. */
  private void assertNoValueAnywhere(EcsTaskDefinition r, String... values) {
    String everywhere = ecs.families.values().stream().flatMap(m -> m.values().stream())
        .map(s -> s.content + " " + s.tags).collect(Collectors.joining("\n"))
        + JSON.asJson(r.getStatus())
        + mockingDetails(events).getInvocations().stream().map(i -> java.util.Arrays.toString(i.getArguments()))
        .collect(Collectors.joining("\n"));
    for (String value : values) {
      assertThat(everywhere).as("a Secret value in a task definition, its tags, status or an Event")
          .doesNotContain(value);
    }
  }

  @Test
  void theValueGoesToOneOwnedSecretReferencedByArnAndOnlyAReferencedChangeMakesOneNewSecretAndRevision() {
    EcsTaskDefinition r = td();
    Health waiting = sync(reconciler, r);
    assertThat(waiting.reason()).isEqualTo("ReferenceNotReady");
    assertThat(waiting.message()).contains("Secret db does not exist");
    assertThat(ecs.calls).as("no ECS call while a reference is missing").isEmpty();
    assertThat(sm.calls).as("no Secrets Manager call while a reference is missing").isEmpty();

    secret("ns", "db", Map.of("password", VALUE, "unrelated", "1"));
    assertThat(reconciler.inputsChanged(r, context)).isTrue();
    assertThat(sync(reconciler, r).state()).isEqualTo(Health.State.READY);
    assertThat(sm.secrets).hasSize(1);
    String arn = sm.secrets.keySet().iterator().next();
    FakeSecretsGateway.Stored stored = sm.secrets.get(arn);
    assertThat(stored.name).matches("ecsbridge/op/ns/web/[0-9a-f]{10}");
    assertThat(stored.value).isEqualTo("{\"db/password\":\"" + VALUE + "\"}");
    assertThat(stored.tags).containsEntry(Ownership.TAG, "op/ns/web");
    assertThat(registered(1).toString()).isEqualTo("[{\"name\":\"DB_PASSWORD\",\"valueFrom\":\"" + arn
        + ":db/password::\"}]");
    assertThat(ecs.families.get("web").get(1L).tags).containsEntry(TaskDefinitionSecrets.VALUES_TAG,
        stored.name.substring(stored.name.lastIndexOf('/') + 1));
    assertThat(r.getStatus().valuesSecretArn).isEqualTo(arn);
    assertThat(r.getStatus().secretVersions).containsOnlyKeys("db/password");
    assertThat(reconciler.inputsChanged(r, context)).isFalse();

    ecs.writes.clear();
    sm.calls.clear();
    assertThat(sync(reconciler, r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).as("an unchanged resync").isEmpty();
    assertThat(sm.calls).as("an unchanged resync reads no secret").isEmpty();

    secret("ns", "db", Map.of("password", VALUE, "unrelated", "2"));
    assertThat(reconciler.inputsChanged(r, context)).as("a referenced Secret changed (by its version)").isTrue();
    assertThat(sync(reconciler, r).state()).isEqualTo(Health.State.READY);
    assertThat(sm.calls).as("values compared in memory").containsExactly("GetSecretValue");
    assertThat(sm.writes).containsExactly("CreateSecret");
    assertThat(ecs.writes).as("an unreferenced key changed").isEmpty();
    assertThat(reconciler.inputsChanged(r, context)).isFalse();

    secret("ns", "db", Map.of("password", VALUE + "-2", "unrelated", "2"));
    assertThat(sync(reconciler, r).state()).isEqualTo(Health.State.READY);
    assertThat(sm.writes).containsExactly("CreateSecret", "CreateSecret");
    assertThat(ecs.writes).containsExactly("RegisterTaskDefinition");
    String arn2 = r.getStatus().valuesSecretArn;
    assertThat(arn2).isNotEqualTo(arn);
    assertThat(registered(2).toString()).contains(arn2 + ":db/password::");
    assertThat(sm.secrets.get(arn).deleted).as("revision 1 is still ACTIVE (revisionHistoryLimit 1)").isFalse();

    secret("ns", "db", Map.of("password", VALUE + "-3", "unrelated", "2"));
    assertThat(sync(reconciler, r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.active("web")).containsExactly(2L, 3L);
    assertThat(sm.secrets.get(arn).deleted).as("only revision 1, now deregistered, referenced it").isTrue();
    assertThat(sm.secrets.get(arn2).deleted).as("revision 2 is kept").isFalse();
    assertNoValueAnywhere(r, VALUE);

    sm.create("eu-west-1", "ecsbridge/op/ns/web/foreign", "{}", Map.of(Ownership.TAG, "op/ns/other"));
    reconciler.remove(r, null, new EcsTaskDefinitionReconciler.Place("eu-west-1", null, null, null, null, null));
    assertThat(ecs.active("web")).isEmpty();
    assertThat(sm.secrets.values().stream().filter(s -> !s.deleted).map(s -> s.name))
        .as("every values secret of this resource is scheduled for deletion; another owner's is not touched")
        .containsExactly("ecsbridge/op/ns/web/foreign");
  }

  @Test
  void namesNeverCollideAcrossNamespacesOrInstances() {
    var a = new TaskDefinitionSecrets(sm, null, "op", events).prefix(td("team-a", ""));
    var b = new TaskDefinitionSecrets(sm, null, "op", events).prefix(td("team-b", ""));
    var other = new TaskDefinitionSecrets(sm, null, "op2", events).prefix(td("team-a", ""));
    assertThat(a).isEqualTo("ecsbridge/op/team-a/web/");
    assertThat(Set.of(a, b, other)).hasSize(3);
  }

  @Test
  void aRawValueFromNamingAnotherNamespacesValuesSecretIsRefusedWithoutAnAwsCall() {
    EcsTaskDefinition r = td("ns", "secrets: [{name: STOLEN, valueFrom: "
        + "'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecsbridge/op/team-b/db/0a1b2c3d4e-AbCdEf:db/password::'}]");
    Health refused = sync(reconciler, r);
    assertThat(refused.state()).isEqualTo(Health.State.STALLED);
    assertThat(refused.reason()).isEqualTo(Ownership.OWNED_BY_ANOTHER_NAMESPACE);
    assertThat(ecs.calls).isEmpty();
    assertThat(sync(reconciler(true, true), r).state()).as("allowed across namespaces when the operator allows it")
        .isEqualTo(Health.State.READY);

    EcsTaskDefinition own = td("ns", "secrets: [{name: MINE, valueFrom: "
        + "'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecsbridge/op/ns/db/0a1b2c3d4e-AbCdEf:db/password::'}]");
    own.getMetadata().setName("own");
    assertThat(sync(reconciler, own).state()).isEqualTo(Health.State.READY);
  }

  @Test
  void aRawValueFromNamingAnotherNamespacesParameterIsRefusedByArnAndByName() {
    for (String valueFrom : java.util.List.of(
        "arn:aws:ssm:eu-west-1:123456789012:parameter/ecsbridge/op/team-b/db/0a1b2c3d4e/db/password",
        "/ecsbridge/op/team-b/db/0a1b2c3d4e/db/password")) {
      EcsTaskDefinition r = td("ns", "secrets: [{name: STOLEN, valueFrom: '" + valueFrom + "'}]");
      Health refused = sync(reconciler, r);
      assertThat(refused.reason()).as(valueFrom).isEqualTo(Ownership.OWNED_BY_ANOTHER_NAMESPACE);
      assertThat(refused.message()).contains("team-b/db");
    }
    assertThat(ecs.calls).isEmpty();
  }

  @Test
  void withSecretReferencesOffAReferenceIsStalledAndNoSecretIsRead() {
    secret("ns", "db", Map.of("password", VALUE));
    EcsTaskDefinition r = td();
    Health off = sync(reconciler(false, false), r);
    assertThat(off.state()).isEqualTo(Health.State.STALLED);
    assertThat(off.reason()).isEqualTo("SecretReferencesDisabled");
    assertThat(off.message()).contains("operator.secretReferences").doesNotContain(VALUE);
    assertThat(ecs.calls).isEmpty();
    assertThat(sm.calls).isEmpty();
  }

  @Test
  void theValuesJsonIsSortedByMember() {
    assertThat(TaskDefinitionSecrets.json(new TreeMap<>(Map.of("b/k", "2", "a/k", "1"))))
        .isEqualTo("{\"a/k\":\"1\",\"b/k\":\"2\"}");
  }
}
