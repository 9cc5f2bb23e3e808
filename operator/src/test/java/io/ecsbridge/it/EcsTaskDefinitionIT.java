package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.kinds.ecs.TaskDefinitionContent;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * EcsTaskDefinition end to end: the real API server, the operator, moto 5.2.1; both sides checked. Moto's
 * RegisterTaskDefinition stores what it is sent (no unit conversion, few defaults), DescribeTaskDefinition of a bare
 * family answers the latest revision of any status, ListTaskDefinitions' familyPrefix matches the family exactly and
 * is not paginated: the operator's normalization and its ACTIVE/exact-family filtering cover both moto and real ECS.
 */
class EcsTaskDefinitionIT extends OperatorIT {

  private static final String FARGATE = """
      requiresCompatibilities: [FARGATE]
      networkMode: awsvpc
      cpu: "0.5 vCPU"
      memory: "1GB"
      executionRoleArn: arn:aws:iam::123456789012:role/exec
      containerDefinitions:
      - name: web
        image: nginx:1.27
        portMappings: [{containerPort: 80, name: http}]
        environment: [{name: B, value: "2"}, {name: A, value: "1"}]
        healthCheck: {command: [CMD-SHELL, "curl -f localhost || exit 1"]}
        logConfiguration: {logDriver: awslogs, options: {awslogs-group: /ecs/web, awslogs-region: eu-west-1}}
      - name: side
        image: busybox
        essential: false
        command: [sleep, infinity]
      """;

  /** FARGATE, the same content: reordered, defaults spelled out, units spelled differently. */
  private static final String FARGATE_SAME = """
      cpu: "512"
      memory: "1 GB"
      networkMode: awsvpc
      executionRoleArn: arn:aws:iam::123456789012:role/exec
      requiresCompatibilities: [FARGATE]
      containerDefinitions:
      - name: side
        image: busybox
        cpu: 0
        essential: false
        command: [sleep, infinity]
        mountPoints: []
      - name: web
        essential: true
        image: nginx:1.27
        environment: [{name: A, value: "1"}, {name: B, value: "2"}]
        portMappings: [{containerPort: 80, hostPort: 80, protocol: tcp, name: http}]
        healthCheck: {command: [CMD-SHELL, "curl -f localhost || exit 1"], interval: 30, timeout: 5, retries: 3}
        logConfiguration: {options: {awslogs-region: eu-west-1, awslogs-group: /ecs/web}, logDriver: awslogs}
        versionConsistency: enabled
      """;

  private EcsTaskDefinition td(String name, String specYaml) {
    return resource(EcsTaskDefinition.class, name, specYaml);
  }

  private EcsTaskDefinition awaitReady(String name) {
    return awaitReady(EcsTaskDefinition.class, name);
  }

  private EcsTaskDefinition awaitReady(String name, long generation) {
    eventually().until(() -> {
      EcsTaskDefinition r = get(EcsTaskDefinition.class, name);
      return isReady(r) && r.getStatus().getObservedGeneration() == generation;
    });
    return get(EcsTaskDefinition.class, name);
  }

  private EcsTaskDefinition editSpec(EcsTaskDefinition resource, String specYaml) {
    EcsTaskDefinition wanted = td(resource.getMetadata().getName(), specYaml);
    return edit(resource, r -> {
      r.setSpec(wanted.getSpec());
      return r;
    });
  }

  private DescribeTaskDefinitionResponse describe(String taskDefinition) {
    return aws.ecs().describeTaskDefinition(r -> r.taskDefinition(taskDefinition).include(TaskDefinitionField.TAGS));
  }

  private Map<String, String> tags(String arn) {
    return aws.ecs().listTagsForResource(r -> r.resourceArn(arn)).tags().stream()
        .collect(Collectors.toMap(Tag::key, Tag::value));
  }

  private List<String> revisions(String family, TaskDefinitionStatus status) {
    return aws.ecs().listTaskDefinitions(r -> r.familyPrefix(family).status(status)).taskDefinitionArns().stream()
        .map(arn -> arn.substring(arn.lastIndexOf('/') + 1)).toList();
  }

  private List<String> active(String family) {
    return revisions(family, TaskDefinitionStatus.ACTIVE);
  }

  @Test
  void createsTheFirstRevisionAndReportsEveryStatusField() {
    create(td("web", FARGATE + "tags: {team: web}"));
    EcsTaskDefinition ready = awaitReady("web");
    double createCalls = awsCalls("ecs", null);

    DescribeTaskDefinitionResponse live = describe("web");
    EcsTaskDefinitionStatus status = ready.getStatus();
    assertThat(status.taskDefinitionArn).isEqualTo(live.taskDefinition().taskDefinitionArn())
        .endsWith(":task-definition/web:1");
    assertThat(status.revision).isEqualTo(live.taskDefinition().revision().longValue()).isEqualTo(1L);
    assertThat(status.contentHash).hasSize(64);
    assertThat(live.tags()).extracting(Tag::key, Tag::value).contains(
        org.assertj.core.groups.Tuple.tuple(TaskDefinitionContent.HASH_TAG, status.contentHash),
        org.assertj.core.groups.Tuple.tuple(Ownership.TAG, OWNER_INSTANCE + "/" + namespace + "/web"),
        org.assertj.core.groups.Tuple.tuple("team", "web"));
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(status.getConditions()).extracting(Condition::getType)
        .containsExactlyInAnyOrder(Conditions.READY, Conditions.RECONCILING, Conditions.STALLED);
    assertThat(isTrue(ready, Conditions.STALLED)).isFalse();
    assertThat(live.taskDefinition().containerDefinitions()).extracting(c -> c.name())
        .containsExactlyInAnyOrder("web", "side");
    assertThat(live.taskDefinition().requiresCompatibilitiesAsStrings()).containsExactly("FARGATE");
    assertThat(active("web")).containsExactly("web:1");
    assertThat(hasEvent(ready, "Created")).isTrue();
    System.out.printf("AWS calls to create an EcsTaskDefinition (first revision): %.0f (%s)%n", createCalls,
        operator.registry().find(io.ecsbridge.aws.AwsCallMeter.CALLS).counters().stream()
            .map(c -> c.getId().getTag("operation") + "=" + (long) c.count()).sorted().toList());
    assertThat(createCalls).isLessThanOrEqualTo(2.0);
  }

  @Test
  void theSampleBecomesReady() throws Exception {
    String yaml = java.nio.file.Files.readString(io.ecsbridge.testing.Repo.root()
        .resolve("samples/ecs-task-definition.yaml"));
    create(k8s.getKubernetesSerialization().unmarshal(yaml, EcsTaskDefinition.class));
    EcsTaskDefinition ready = awaitReady("demo-web");
    assertThat(ready.getStatus().taskDefinitionArn).endsWith("task-definition/demo-web:1");
    assertThat(describe("demo-web").taskDefinition().volumes()).hasSize(1);
  }

  @Test
  void reapplyingTheSameContentReorderedWithDefaultsSpelledOutRegistersNothing() {
    EcsTaskDefinition created = create(td("same", FARGATE));
    EcsTaskDefinition ready = awaitReady("same");
    double writes = awsWrites();

    editSpec(ready, FARGATE_SAME);
    EcsTaskDefinition again = awaitReady("same", 2);
    assertThat(again.getStatus().revision).isEqualTo(1L);
    assertThat(again.getStatus().contentHash).isEqualTo(ready.getStatus().contentHash);
    assertThat(active("same")).containsExactly("same:1");
    assertThat(awsWrites()).as("write calls after re-applying the same content").isEqualTo(writes);
    assertThat(created).isNotNull();
  }

  @Test
  void aContentChangeRegistersANewRevision() {
    create(td("change", FARGATE));
    EcsTaskDefinition ready = awaitReady("change");
    editSpec(ready, FARGATE.replace("nginx:1.27", "nginx:1.28"));
    EcsTaskDefinition updated = awaitReady("change", 2);
    assertThat(updated.getStatus().revision).isEqualTo(2L);
    assertThat(updated.getStatus().taskDefinitionArn).endsWith("task-definition/change:2");
    assertThat(updated.getStatus().contentHash).isNotEqualTo(ready.getStatus().contentHash);
    DescribeTaskDefinitionResponse live = describe("change");
    assertThat(live.taskDefinition().revision()).isEqualTo(2);
    assertThat(live.taskDefinition().containerDefinitions()).filteredOn(c -> c.name().equals("web"))
        .extracting(c -> c.image()).containsExactly("nginx:1.28");
    assertThat(tags(live.taskDefinition().taskDefinitionArn())).containsEntry(TaskDefinitionContent.HASH_TAG,
        updated.getStatus().contentHash);
    assertThat(active("change")).containsExactly("change:1", "change:2");
    assertThat(events(updated)).anyMatch(e -> "Updated".equals(e.getReason())
        && e.getMessage().contains("change:2") && e.getMessage().contains("containerDefinitions[web].image"));
  }

  @Test
  void aTagsChangeRetagsTheRevisionWithoutANewOne() {
    create(td("tagged", FARGATE + "tags: {team: web, stage: dev}"));
    EcsTaskDefinition ready = awaitReady("tagged");
    String arn = ready.getStatus().taskDefinitionArn;
    editSpec(ready, FARGATE + "tags: {team: checkout, owner: alice}");
    eventually().untilAsserted(() -> assertThat(tags(arn)).containsEntry("team", "checkout")
        .containsEntry("owner", "alice").doesNotContainKey("stage")
        .containsKeys(Ownership.TAG, TaskDefinitionContent.HASH_TAG));
    EcsTaskDefinition retagged = awaitReady("tagged", 2);
    assertThat(retagged.getStatus().revision).isEqualTo(1L);
    assertThat(active("tagged")).containsExactly("tagged:1");
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).isEqualTo(1.0);
  }

  @Test
  void anInSyncResyncMakesExactlyOneReadAndNoWrite() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    create(td("steady", FARGATE + "tags: {team: web}"));
    awaitReady("steady");
    double writes = awsWrites();
    double describes = awsCalls("ecs", "DescribeTaskDefinition");
    double all = awsCalls("ecs", null);
    eventually().until(() -> awsCalls("ecs", "DescribeTaskDefinition") >= describes + 3);
    double resyncs = awsCalls("ecs", "DescribeTaskDefinition") - describes;
    double perResync = (awsCalls("ecs", null) - all) / resyncs;
    assertThat(awsWrites()).as("write calls during in-sync resyncs").isEqualTo(writes);
    System.out.printf("AWS calls per in-sync EcsTaskDefinition resync: %.1f (DescribeTaskDefinition include TAGS), "
        + "0 writes (%d resyncs)%n", perResync, (long) resyncs);
    assertThat(perResync).isEqualTo(1.0);
  }

  @Test
  void revisionHistoryLimitDeregistersOlderRevisionsOldestFirst() {
    String spec = FARGATE + "revisionHistoryLimit: 1";
    create(td("hist", spec));
    EcsTaskDefinition r = awaitReady("hist");
    for (int i = 2; i <= 4; i++) {
      r = editSpec(r, spec.replace("nginx:1.27", "nginx:" + i));
      r = awaitReady("hist", i);
      assertThat(r.getStatus().revision).isEqualTo((long) i);
    }
    assertThat(active("hist")).containsExactly("hist:3", "hist:4");
    assertThat(revisions("hist", TaskDefinitionStatus.INACTIVE)).containsExactly("hist:1", "hist:2");
    assertThat(events(r)).filteredOn(e -> "Deregistered".equals(e.getReason())).hasSize(2);

    // lowering the limit prunes at once, without a new revision
    r = editSpec(r, spec.replace("nginx:1.27", "nginx:4").replace("Limit: 1", "Limit: 0"));
    awaitReady("hist", 5);
    eventually().untilAsserted(() -> assertThat(active("hist")).containsExactly("hist:4"));
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).isEqualTo(4.0);
  }

  @Test
  void aRestartNeverRegistersADuplicate() throws Exception {
    create(td("restart", FARGATE));
    // stop as soon as the revision exists in AWS, whether or not the status was written yet
    eventually().until(() -> !active("restart").isEmpty());
    operator.close();
    operator = null;
    startOperator(s -> {});
    EcsTaskDefinition ready = awaitReady("restart");
    assertThat(ready.getStatus().revision).isEqualTo(1L);

    // the worst case: the status is lost entirely; the hash tag on the revision still says "in sync"
    operator.close();
    operator = null;
    k8s.resources(EcsTaskDefinition.class).inNamespace(namespace).withName("restart").editStatus(r -> {
      r.setStatus(new EcsTaskDefinitionStatus());
      return r;
    });
    startOperator(s -> {});
    eventually().until(() -> {
      EcsTaskDefinition r = get(EcsTaskDefinition.class, "restart");
      return isReady(r) && r.getStatus().revision != null;
    });
    assertThat(active("restart")).containsExactly("restart:1");
    assertThat(awsWrites()).as("writes of the restarted operator").isZero();
    assertThat(events(ready)).filteredOn(e -> "Created".equals(e.getReason())).hasSize(1);
  }

  /** Every revision this resource registered is deregistered, even under a newer one registered by someone else. */
  @Test
  void deleteDeregistersEveryRevisionThisResourceRegisteredAndNoOther() {
    EcsTaskDefinition gone = create(td("gone", FARGATE));
    EcsTaskDefinition g = awaitReady("gone");
    editSpec(g, FARGATE.replace("nginx:1.27", "nginx:2"));
    awaitReady("gone", 2);
    // a revision of the family registered by someone else is not ours to deregister
    registerForeign("gone", "foreign:1");
    k8s.resource(gone).inNamespace(namespace).delete();
    eventually().until(() -> get(EcsTaskDefinition.class, "gone") == null);
    assertThat(active("gone")).containsExactly("gone:3");
    assertThat(revisions("gone", TaskDefinitionStatus.INACTIVE)).containsExactly("gone:1", "gone:2");
  }

  @Test
  void aFamilyRecreatedAfterDeletionStartsFromItsInactiveRevisions() {
    // moto answers DescribeTaskDefinition(family) with the latest revision even when it is INACTIVE (real ECS
    // answers with the latest ACTIVE one): the operator must see "no ACTIVE revision" either way
    EcsTaskDefinition first = create(td("again", FARGATE));
    awaitReady("again");
    k8s.resource(first).inNamespace(namespace).delete();
    eventually().until(() -> get(EcsTaskDefinition.class, "again") == null);
    assertThat(describe("again").taskDefinition().statusAsString()).isEqualTo("INACTIVE");

    create(td("again", FARGATE));
    EcsTaskDefinition again = awaitReady("again");
    assertThat(again.getStatus().revision).isEqualTo(2L);
    assertThat(active("again")).containsExactly("again:2");
  }

  private void registerForeign(String family, String image) {
    aws.ecs().registerTaskDefinition(r -> r.family(family).requiresCompatibilities(
            software.amazon.awssdk.services.ecs.model.Compatibility.FARGATE)
        .networkMode("awsvpc").cpu("256").memory("512")
        .containerDefinitions(c -> c.name("web").image(image))
        .tags(Tag.builder().key("team").value("legacy").build()));
  }

  @Test
  void adoptingAFamilyWithTheSameContentRetagsItInsteadOfRegistering() {
    // registered elsewhere with moto's own shape: numeric units, reordered lists, defaults spelled out
    aws.ecs().registerTaskDefinition(r -> r.family("twin")
        .requiresCompatibilities(software.amazon.awssdk.services.ecs.model.Compatibility.FARGATE)
        .networkMode("awsvpc").cpu("512").memory("1024").executionRoleArn("arn:aws:iam::123456789012:role/exec")
        .containerDefinitions(
            c -> c.name("side").image("busybox").essential(false).command("sleep", "infinity"),
            c -> c.name("web").image("nginx:1.27").essential(true)
                .environment(e -> e.name("A").value("1"), e -> e.name("B").value("2"))
                .portMappings(p -> p.containerPort(80).hostPort(80).protocol("tcp").name("http"))
                .healthCheck(h -> h.command("CMD-SHELL", "curl -f localhost || exit 1").interval(30))
                .logConfiguration(l -> l.logDriver("awslogs").options(Map.of("awslogs-group", "/ecs/web",
                    "awslogs-region", "eu-west-1")))));
    create(td("twin", FARGATE + "managementPolicy: Adopt\ntags: {team: web}"));
    EcsTaskDefinition adopted = awaitReady("twin");
    assertThat(adopted.getStatus().revision).isEqualTo(1L);
    assertThat(active("twin")).containsExactly("twin:1");
    assertThat(tags(adopted.getStatus().taskDefinitionArn)).containsEntry("team", "web")
        .containsEntry(TaskDefinitionContent.HASH_TAG, adopted.getStatus().contentHash).containsKey(Ownership.TAG);
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).isZero();
    assertThat(hasEvent(adopted, "Adopted")).isTrue();
  }

  @Test
  void everyFieldAsMotoStoresItNormalizesToTheSpec() throws Exception {
    // every field includes the optional Secret references (none exists: nothing is stored), which need them on
    startOperator(s -> s.put("ECSBRIDGE_SECRET_REFERENCES", "true"));
    // registered outside the operator with every field of the model, then adopted: equal content, no new revision
    String spec = io.ecsbridge.aws.TaskDefinitionModelCoverageTest.EVERY_FIELD;
    var content = TaskDefinitionContent.request(io.ecsbridge.kinds.ecs.TaskDefinitionContentTest.specJson(spec));
    var builder = software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest.builder();
    io.ecsbridge.aws.SdkJson.fill(builder, content);
    aws.ecs().registerTaskDefinition(builder.family("all").build());

    create(td("all", spec.replace("managementPolicy: Managed", "managementPolicy: Adopt")
        .replace("region: eu-west-1\n", "")));
    EcsTaskDefinition adopted = awaitReady("all");
    assertThat(adopted.getStatus().revision).isEqualTo(1L);
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).isZero();
    assertThat(tags(adopted.getStatus().taskDefinitionArn)).containsEntry("team", "all");
  }

  @Test
  void terminalAwsErrorStallsWithAwsMessageAndNoHotLoop() throws Exception {
    // resyncs every second: a Stalled resource must not call AWS on them either
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    // moto (like ECS) refuses pidMode host on Fargate with a ClientException
    create(td("badpid", FARGATE + "pidMode: host"));
    eventually().until(() -> isTrue(get(EcsTaskDefinition.class, "badpid"), Conditions.STALLED));
    EcsTaskDefinition stalled = get(EcsTaskDefinition.class, "badpid");
    Condition condition = condition(stalled, Conditions.STALLED).orElseThrow();
    assertThat(condition.getReason()).isEqualTo("Client");
    assertThat(condition.getMessage()).contains("pidMode");
    assertThat(events(stalled)).anyMatch(e -> "Warning".equals(e.getType()) && e.getMessage().contains("pidMode"));
    double calls = awsCalls("ecs", null);
    org.awaitility.Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> awsCalls("ecs", null) == calls);
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).isEqualTo(1.0);

    editSpec(stalled, FARGATE + "pidMode: task");
    assertThat(awaitReady("badpid", 2).getStatus().revision).isEqualTo(1L);
  }
}
