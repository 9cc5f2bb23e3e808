package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * Secrets into task definitions, end to end (the real API server, the operator with Secret references on, moto): a
 * secretKeyRef's value lands in an owner-tagged Secrets Manager secret and not in the registered revision (read back
 * from moto), whose secrets[] references it by ARN and JSON key; a referenced value that changes makes one new secret
 * and exactly one revision, which a service on the taskDefinitionRef rolls out to; a change of an unreferenced key
 * and an unchanged resync write nothing; a missing Secret waits without AWS calls and is picked up at once; deletion
 * schedules every values secret for deletion; no value reaches the operator's log, an Event or status.
 */
class SecretReferencesIT extends OperatorIT {

  private static final String VALUE = "pa55-Wd-zz9-plural-z-alpha";

  private static final String TD = """
      containerDefinitions:
      - name: web
        image: nginx:1.27
        memory: 128
        secrets:
        - {name: DB_PASSWORD, secretKeyRef: {name: db, key: password}}
        environmentFrom:
        - secretRef: {name: api}
          prefix: API_
      """;

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @Override
  protected Map<String, String> operatorSettings(String namespaces) {
    Map<String, String> settings = super.operatorSettings(namespaces);
    settings.put("ECSBRIDGE_SECRET_REFERENCES", "true");
    return settings;
  }

  @BeforeEach
  void captureLogs() {
    logs.start();
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .addAppender(logs);
  }

  @AfterEach
  void stopCapturing() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }

  private void secret(String name, Map<String, String> data) {
    Secret s = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withStringData(data).build();
    k8s.secrets().inNamespace(namespace).resource(s).serverSideApply();
  }

  private ContainerDefinition registered(String arn) {
    return aws.ecs().describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition().containerDefinitions()
        .get(0);
  }

  private List<SecretListEntry> valuesSecrets() {
    return aws.secretsManager().listSecrets(r -> r.includePlannedDeletion(true)).secretList().stream()
        .filter(s -> s.name().startsWith("ecsbridge/" + OWNER_INSTANCE + "/" + namespace + "/")).toList();
  }

  private void assertNoValueInLogsEventsOrStatus(EcsTaskDefinition td, String... values) {
    String log = logs.list.stream().map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
        : ThrowableProxyUtil.asString(e.getThrowableProxy()))).collect(Collectors.joining("\n"));
    String events = events(td).stream().map(e -> e.getReason() + " " + e.getMessage())
        .collect(Collectors.joining("\n"));
    String status = k8s.getKubernetesSerialization().asJson(td.getStatus());
    assertThat(logs.list).as("operator log lines captured").isNotEmpty();
    for (String value : values) {
      assertThat(log).as("operator log").doesNotContain(value);
      assertThat(events).as("Events").doesNotContain(value);
      assertThat(status).as("status").doesNotContain(value);
    }
  }

  @Test
  void theValueIsInSecretsManagerNotInTheRevisionAndOnlyAReferencedChangeRegistersOneMoreThenDeletionCleansUp() {
    secret("db", Map.of("password", VALUE, "unrelated", "1"));
    secret("api", Map.of("TOKEN", VALUE + "-api"));
    create(resource(EcsTaskDefinition.class, "web", TD));
    EcsTaskDefinition td = awaitReady(EcsTaskDefinition.class, "web");
    String first = td.getStatus().taskDefinitionArn;
    String valuesArn = td.getStatus().valuesSecretArn;
    assertThat(valuesArn).contains(":secret:ecsbridge/" + OWNER_INSTANCE + "/" + namespace + "/web/");

    ContainerDefinition web = registered(first);
    assertThat(web.secrets()).extracting(s -> s.name() + "=" + s.valueFrom()).containsExactlyInAnyOrder(
        "DB_PASSWORD=" + valuesArn + ":db/password::", "API_TOKEN=" + valuesArn + ":api/TOKEN::");
    String described = aws.ecs().describeTaskDefinition(r -> r.taskDefinition(first)
        .include(software.amazon.awssdk.services.ecs.model.TaskDefinitionField.TAGS)).toString();
    assertThat(described).as("the registered revision and its tags").doesNotContain(VALUE);
    assertThat(aws.secretsManager().getSecretValue(r -> r.secretId(valuesArn)).secretString())
        .isEqualTo("{\"api/TOKEN\":\"" + VALUE + "-api\",\"db/password\":\"" + VALUE + "\"}");
    assertThat(aws.secretsManager().describeSecret(r -> r.secretId(valuesArn)).tags())
        .anyMatch(t -> t.key().equals(Ownership.TAG) && t.value().equals(OWNER_INSTANCE + "/" + namespace + "/web"));

    // an unchanged resync writes nothing
    double writes = awsWrites();
    annotate(td, "ecsbridge.io/reconcile-requested-at", "resync-1");
    eventually().until(() -> "resync-1".equals(get(EcsTaskDefinition.class, "web").getStatus()
        .getLastHandledReconcileAt()));
    assertThat(awsWrites()).as("AWS writes of an unchanged resync").isEqualTo(writes);

    // an unreferenced key changes: compared in memory (GetSecretValue), nothing written
    double reads = awsCalls("secretsmanager", "GetSecretValue");
    secret("db", Map.of("password", VALUE, "unrelated", "2"));
    eventually().until(() -> awsCalls("secretsmanager", "GetSecretValue") > reads);
    eventually().until(() -> !get(EcsTaskDefinition.class, "web").getStatus().secretVersions
        .equals(td.getStatus().secretVersions));
    assertThat(awsWrites()).as("AWS writes after a change of an unreferenced key").isEqualTo(writes);

    // a referenced value changes: one new values secret, exactly one new revision referencing it
    double registers = awsCalls("ecs", "RegisterTaskDefinition");
    secret("db", Map.of("password", VALUE + "-2", "unrelated", "2"));
    eventually().until(() -> !first.equals(get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn)
        && isReady(get(EcsTaskDefinition.class, "web")));
    EcsTaskDefinition after = get(EcsTaskDefinition.class, "web");
    assertThat(after.getStatus().valuesSecretArn).isNotEqualTo(valuesArn);
    assertThat(registered(after.getStatus().taskDefinitionArn).secrets()).extracting(s -> s.valueFrom())
        .allMatch(v -> v.startsWith(after.getStatus().valuesSecretArn + ":"));
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).isEqualTo(registers + 1);
    assertThat(awsCalls("secretsmanager", "CreateSecret")).isEqualTo(2);
    assertThat(aws.secretsManager().describeSecret(r -> r.secretId(valuesArn)).deletedDate())
        .as("revision 1 is ACTIVE (revisionHistoryLimit 5): its values stay readable").isNull();
    assertNoValueInLogsEventsOrStatus(after, VALUE);

    // deletion (Delete): every revision deregistered, every values secret scheduled for deletion
    k8s.resource(after).inNamespace(namespace).delete();
    eventually().until(() -> get(EcsTaskDefinition.class, "web") == null);
    assertThat(valuesSecrets()).hasSize(2).allMatch(s -> s.deletedDate() != null);
  }

  @Test
  void aSecretChangeRollsOutToTheServiceOnTheTaskDefinitionRef() {
    secret("db", Map.of("password", VALUE));
    secret("api", Map.of());
    String first = serviceOnTaskDefinitionWeb(TD);
    Rollout rollout = rollsOut("Secret", first, () -> secret("db", Map.of("password", VALUE + "-rotated")));
    assertThat(awsCalls("ecs", "UpdateService")).as("one rollout").isEqualTo(rollout.updatesBefore() + 1);
    assertNoValueInLogsEventsOrStatus(get(EcsTaskDefinition.class, "web"), VALUE);
  }

  @Test
  void aMissingSecretWaitsWithoutAwsCallsAndIsPickedUpAtOnceAndOptionalOnesAreLeftOut() {
    create(resource(EcsTaskDefinition.class, "web", TD));
    eventually().until(() -> "ReferenceNotReady".equals(reason(get(EcsTaskDefinition.class, "web"),
        Conditions.RECONCILING)));
    EcsTaskDefinition waiting = get(EcsTaskDefinition.class, "web");
    assertThat(isTrue(waiting, Conditions.STALLED)).isFalse();
    assertThat(condition(waiting, Conditions.RECONCILING).orElseThrow().getMessage())
        .contains("Secret db does not exist", "Secret api does not exist");
    // the operator's own account id (STS GetCallerIdentity, asked once) is no call of the task definition's
    assertThat(awsCalls(null, null) - awsCalls("STS", "GetCallerIdentity"))
        .as("AWS calls while a reference is missing").isZero();

    secret("api", Map.of());
    long t0 = System.nanoTime();
    secret("db", Map.of("password", VALUE));
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> isReady(get(EcsTaskDefinition.class, "web")));
    System.out.printf("Secret created -> EcsTaskDefinition Ready: %d ms (resync period 10 min)%n",
        (System.nanoTime() - t0) / 1_000_000);

    create(resource(EcsTaskDefinition.class, "opt", """
        containerDefinitions:
        - name: web
          image: nginx:1.27
          memory: 128
          secrets:
          - {name: MAYBE, secretKeyRef: {name: nothing, key: k, optional: true}}
          environmentFrom:
          - secretRef: {name: nothing-either, optional: true}
        """));
    EcsTaskDefinition opt = awaitReady(EcsTaskDefinition.class, "opt");
    assertThat(registered(opt.getStatus().taskDefinitionArn).secrets()).isEmpty();
  }
}
