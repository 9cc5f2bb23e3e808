package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging;

/**
 * ConfigMap references with as: Parameter, end to end (the real API server, the operator, moto): the values land in
 * Parameter Store parameters the operator owns and the registered revision's container references each through
 * secrets[] by ARN (read back from moto), with no plain environment entry; a referenced change writes new parameters
 * and exactly one new revision, the old revision's parameters staying while it is ACTIVE; an unchanged resync writes
 * nothing; deletion deletes every parameter of the resource; a service on the taskDefinitionRef rolls out to the new
 * revision (the time from the ConfigMap update to UpdateService is printed).
 */
class ParameterReferencesIT extends OperatorIT {

  private static final String TD = """
      containerDefinitions:
      - name: web
        image: nginx:1.27
        memory: 128
        environment:
        - {name: PLAIN, value: "1"}
        - {name: FEATURES, valueFrom: {configMapKeyRef: {name: cfg, key: features, as: Parameter}}}
        - {name: LOG_LEVEL, valueFrom: {configMapKeyRef: {name: cfg, key: log-level}}}
        environmentFrom:
        - configMapRef: {name: big, as: Parameter}
          prefix: BIG_
      """;

  private ConfigMap configMap(String name, Map<String, String> data) {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withData(data).build();
    return k8s.configMaps().inNamespace(namespace).resource(cm).serverSideApply();
  }

  private ContainerDefinition registered(String arn) {
    return aws.ecs().describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition().containerDefinitions()
        .get(0);
  }

  private String path() {
    return "/ecsbridge/" + OWNER_INSTANCE + "/" + namespace + "/web";
  }

  /** The resource's parameters in moto, by name. */
  private Map<String, Parameter> parameters() {
    return aws.ssm().getParametersByPathPaginator(r -> r.path(path()).recursive(true)).stream().flatMap(page -> page.parameters().stream())
        .collect(Collectors.toMap(Parameter::name, p -> p));
  }

  @Test
  void valuesLandInOwnedParametersReferencedBySecretsAndOnlyAReferencedChangeRegistersOneMoreRevision() {
    configMap("cfg", Map.of("features", "a,b", "log-level", "debug", "unrelated", "1"));
    configMap("big", Map.of("schema", "{\"large\": true}"));
    create(resource(EcsTaskDefinition.class, "web", TD));
    EcsTaskDefinition td = awaitReady(EcsTaskDefinition.class, "web");
    String first = td.getStatus().taskDefinitionArn;

    Map<String, Parameter> stored = parameters();
    assertThat(stored).hasSize(2);
    Parameter features = stored.values().stream().filter(p -> p.name().endsWith("/cfg/features")).findFirst()
        .orElseThrow();
    assertThat(features.name()).matches(path() + "/[0-9a-f]{10}/cfg/features");
    assertThat(features.value()).isEqualTo("a,b");
    assertThat(features.typeAsString()).isEqualTo("String");
    assertThat(aws.ssm().listTagsForResource(r -> r.resourceType(ResourceTypeForTagging.PARAMETER)
        .resourceId(features.name())).tagList())
        .anyMatch(t -> t.key().equals(Ownership.TAG) && t.value().equals(OWNER_INSTANCE + "/" + namespace + "/web"));
    ContainerDefinition web = registered(first);
    Map<String, String> arns = stored.values().stream().collect(Collectors.toMap(
        p -> p.name().substring(p.name().lastIndexOf('/', p.name().lastIndexOf('/') - 1) + 1), Parameter::arn));
    assertThat(web.secrets()).extracting(s -> s.name() + "=" + s.valueFrom()).containsExactlyInAnyOrder(
        "FEATURES=" + arns.get("cfg/features"), "BIG_schema=" + arns.get("big/schema"));
    assertThat(web.environment()).extracting(e -> e.name()).containsExactlyInAnyOrder("PLAIN", "LOG_LEVEL");
    assertThat(td.getStatus().parametersArn).endsWith(":parameter" + features.name().replace("cfg/features", ""));

    // an unchanged resync writes nothing
    double writes = awsWrites();
    annotate(td, "ecsbridge.io/reconcile-requested-at", "resync-1");
    eventually().until(() -> "resync-1".equals(get(EcsTaskDefinition.class, "web").getStatus()
        .getLastHandledReconcileAt()));
    assertThat(awsWrites()).as("AWS writes of an unchanged resync").isEqualTo(writes);
    assertThat(awsCalls("ssm", null)).as("Parameter Store calls so far: 2 PutParameter, 1 GetParametersByPath")
        .isEqualTo(3);

    // a referenced value changes: new parameters under a new path, exactly one new revision
    double registers = awsCalls("ecs", "RegisterTaskDefinition");
    configMap("cfg", Map.of("features", "a,b,c", "log-level", "debug", "unrelated", "1"));
    eventually().until(() -> !first.equals(get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn)
        && isReady(get(EcsTaskDefinition.class, "web")));
    EcsTaskDefinition after = get(EcsTaskDefinition.class, "web");
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).isEqualTo(registers + 1);
    assertThat(awsCalls("ssm", "PutParameter")).isEqualTo(4);
    assertThat(parameters()).as("revision 1 is ACTIVE (revisionHistoryLimit 5): its parameters stay").hasSize(4)
        .containsKey(features.name());
    List<String> valueFroms = registered(after.getStatus().taskDefinitionArn).secrets().stream()
        .map(s -> s.valueFrom()).toList();
    assertThat(valueFroms).hasSize(2).allMatch(v -> v.startsWith(after.getStatus().parametersArn));
    String newFeatures = valueFroms.stream().filter(v -> v.endsWith("/cfg/features")).findFirst().orElseThrow();
    assertThat(aws.ssm().getParameter(r -> r.name(newFeatures.substring(newFeatures.indexOf(":parameter/")
        + ":parameter".length()))).parameter().value()).isEqualTo("a,b,c");

    // deletion (Delete): every revision deregistered, every parameter of the resource deleted
    k8s.resource(after).inNamespace(namespace).delete();
    eventually().until(() -> get(EcsTaskDefinition.class, "web") == null);
    assertThat(parameters()).isEmpty();
    assertThat(awsCalls("ssm", "DeleteParameters")).as("one call per set of values (path)").isEqualTo(2);
  }

  @Test
  void aChangedParameterValueRollsOutToTheServiceOnTheTaskDefinitionRef() {
    configMap("cfg", Map.of("features", "a", "log-level", "debug"));
    configMap("big", Map.of());
    String first = serviceOnTaskDefinitionWeb(TD);
    Rollout rollout = rollsOut("ConfigMap (as: Parameter)", first,
        () -> configMap("cfg", Map.of("features", "b", "log-level", "debug")));
    assertThat(aws.ecs().describeServices(r -> r.cluster("prod").services("web")).services().get(0)
        .taskDefinition()).isEqualTo(rollout.second());
  }
}
