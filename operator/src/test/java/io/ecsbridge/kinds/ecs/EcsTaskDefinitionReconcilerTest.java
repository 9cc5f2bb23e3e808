package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.Ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.FakeTaskDefinitionGateway;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler's decisions against in-memory ECS: when it registers, retags, prunes, and when it must not. */
class EcsTaskDefinitionReconcilerTest {
  private static final String OWNER = "op/ns/web";
  private static final String WEB = """
      containerDefinitions:
      - name: web
        image: nginx:1.27
        memory: 256
        portMappings: [{containerPort: 80}]
        environment: [{name: B, value: "2"}, {name: A, value: "1"}]
      """;

  private final FakeTaskDefinitionGateway ecs = new FakeTaskDefinitionGateway();
  private final EventRecorder events = mock(EventRecorder.class);
  private final Set<String> inUse = new HashSet<>();
  @SuppressWarnings("unchecked")
  private final Context<EcsTaskDefinition> context = mock(Context.class);
  private EcsTaskDefinitionReconciler reconciler;
  private long generation = 1;

  @BeforeEach
  void setUp() {
    reconciler = new EcsTaskDefinitionReconciler(
        new OperatorContext(events, Clock.systemUTC(), "op", Duration.ofMinutes(10)), ecs,
        region -> region == null ? "eu-west-1" : region, namespace -> Set.copyOf(inUse));
  }

  private EcsTaskDefinition td(String spec) {
    EcsTaskDefinition r = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsTaskDefinition
        metadata: {name: web, namespace: ns, generation: %d, uid: u1}
        spec:
        %s
        """.formatted(generation, spec.indent(2)), EcsTaskDefinition.class);
    r.setStatus(new EcsTaskDefinitionStatus());
    return r;
  }

  /** One pass as the frame runs it: sync, then the status the frame writes (observedGeneration, conditions). */
  private Health sync(EcsTaskDefinition r) {
    Health health = reconciler.sync(r, r.getStatus(), context).health();
    Conditions.apply(r.getStatus(), health, r.getMetadata().getGeneration(), Clock.systemUTC());
    return health;
  }

  /** Applies a new spec as a user edit (next generation), keeping the status. */
  private EcsTaskDefinition edit(EcsTaskDefinition r, String spec) {
    generation++;
    EcsTaskDefinition next = td(spec);
    next.setStatus(r.getStatus());
    return next;
  }

  private static ObjectNode content(String spec) {
    return TaskDefinitionContent.request(TaskDefinitionContentTest.specJson(spec));
  }

  @Test
  void registersOnceWithOwnerAndHashTagsThenAnInSyncPassMakesOneReadAndNoWrite() {
    EcsTaskDefinition r = td(WEB + "tags: {team: a}");
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).containsExactly("RegisterTaskDefinition");
    var stored = ecs.families.get("web").get(1L);
    assertThat(stored.tags).containsEntry(Ownership.TAG, OWNER).containsEntry("team", "a")
        .containsEntry(TaskDefinitionContent.HASH_TAG, r.getStatus().contentHash);
    assertThat(r.getStatus().taskDefinitionArn).endsWith("task-definition/web:1");
    assertThat(r.getStatus().revision).isEqualTo(1L);
    verify(events).normal(eq(r), eq("Created"), contains("web:1"));

    ecs.calls.clear();
    ecs.writes.clear();
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.calls).as("an in-sync pass: exactly one read").containsExactly("DescribeTaskDefinition");
  }

  @Test
  void theSameContentReorderedOrWithDefaultsSpelledOutRegistersNothing() {
    EcsTaskDefinition r = td(WEB);
    sync(r);
    ecs.writes.clear();
    r = edit(r, """
        containerDefinitions:
        - name: web
          environment: [{name: A, value: "1"}, {name: B, value: "2"}]
          portMappings: [{containerPort: 80, protocol: tcp}]
          memory: 256
          image: nginx:1.27
          cpu: 0
          essential: true
          mountPoints: []
        networkMode: bridge
        """);
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).isEmpty();
    assertThat(ecs.active("web")).containsExactly(1L);
  }

  @Test
  void aContentChangeRegistersANewRevisionAndSaysWhatChanged() {
    EcsTaskDefinition r = td(WEB);
    sync(r);
    String firstHash = r.getStatus().contentHash;
    r = edit(r, WEB.replace("nginx:1.27", "nginx:1.28"));
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.active("web")).containsExactly(1L, 2L);
    assertThat(r.getStatus().revision).isEqualTo(2L);
    assertThat(r.getStatus().contentHash).isNotEqualTo(firstHash);
    verify(events).normal(eq(r), eq("Updated"), contains("containerDefinitions[web].image"));
  }

  @Test
  void aTagsChangeRetagsTheCurrentRevisionWithoutANewOne() {
    EcsTaskDefinition r = td(WEB + "tags: {team: a, stage: dev}");
    sync(r);
    ecs.writes.clear();
    r = edit(r, WEB + "tags: {team: b}");
    sync(r);
    assertThat(ecs.writes).containsExactly("TagResource", "UntagResource");
    assertThat(ecs.active("web")).containsExactly(1L);
    assertThat(ecs.families.get("web").get(1L).tags).containsEntry("team", "b").doesNotContainKey("stage")
        .containsKeys(Ownership.TAG, TaskDefinitionContent.HASH_TAG);
  }

  @Test
  void aRestartAfterRegisteringFindsTheHashTagAndRegistersNoDuplicate() {
    sync(td(WEB));
    ecs.writes.clear();
    EcsTaskDefinition fresh = td(WEB); // a new operator: no status yet
    assertThat(sync(fresh).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).isEmpty();
    assertThat(fresh.getStatus().revision).isEqualTo(1L);
  }

  @Test
  void aRevisionWithAnOldHashButTheSameContentIsRetaggedNotReregistered() {
    EcsTaskDefinition r = td(WEB);
    sync(r);
    ecs.families.get("web").get(1L).tags.put(TaskDefinitionContent.HASH_TAG, "from-an-older-normalizer");
    ecs.writes.clear();
    sync(r);
    assertThat(ecs.writes).containsExactly("TagResource");
    assertThat(ecs.families.get("web").get(1L).tags.get(TaskDefinitionContent.HASH_TAG))
        .isEqualTo(r.getStatus().contentHash);
  }

  @Test
  void aRevisionRegisteredBehindOurBackIsReplacedAsDrift() {
    EcsTaskDefinition r = td(WEB);
    sync(r);
    ecs.put("web", content(WEB.replace("nginx:1.27", "evil:1")), Map.of(Ownership.TAG, OWNER));
    ecs.writes.clear();
    sync(r);
    assertThat(ecs.writes).containsExactly("RegisterTaskDefinition");
    assertThat(r.getStatus().revision).isEqualTo(3L);
    verify(events).normal(eq(r), eq("DriftCorrected"), any());
  }

  @Test
  void aRevisionRegisteredOutsideWithCopiedTagsIsJudgedByItsContent() {
    EcsTaskDefinition r = td(WEB);
    sync(r);
    // "create new revision" in the console, or describe + edit + register: the tags, our hash among them, come along
    var copied = new java.util.TreeMap<>(ecs.families.get("web").get(1L).tags);
    ecs.put("web", content(WEB.replace("nginx:1.27", "unreviewed:1")), copied);
    ecs.writes.clear();
    sync(r);
    assertThat(ecs.writes).as("the changed content is put back").containsExactly("RegisterTaskDefinition");
    assertThat(r.getStatus().revision).isEqualTo(3L);
    verify(events).normal(eq(r), eq("DriftCorrected"), contains("image"));
  }

  @Test
  void managedRefusesAForeignFamilyAndAdoptTakesItOver() {
    ecs.put("web", content(WEB.replace("nginx:1.27", "old:1")), Map.of("team", "legacy"));
    EcsTaskDefinition r = td(WEB);
    Health refused = sync(r);
    assertThat(refused.state()).isEqualTo(Health.State.STALLED);
    assertThat(refused.reason()).isEqualTo("AlreadyExists");
    assertThat(refused.message()).contains("managementPolicy: Adopt");
    assertThat(ecs.writes).isEmpty();
    assertThat(r.getStatus().taskDefinitionArn).as("a foreign revision is not advertised").isNull();

    r.getSpec().setManagementPolicy(ManagementPolicy.Adopt);
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).containsExactly("RegisterTaskDefinition");
    assertThat(ecs.families.get("web").get(2L).tags).containsEntry(Ownership.TAG, OWNER);
    assertThat(ecs.families.get("web").get(1L).tags).containsExactly(Map.entry("team", "legacy"));
    verify(events).normal(eq(r), eq("Adopted"), any());
  }

  /**
   * A family is the unit of ownership: a revision registered without tags on top of a family another custom resource
   * (here of another namespace, whose existence cannot be checked: it counts as existing) registers into does not
   * make the family adoptable.
   */
  @Test
  void aFamilyAnotherCustomResourceRegistersIntoIsNeverAdopted() {
    ecs.put("web", content(WEB.replace("nginx:1.27", "theirs:1")), Map.of(Ownership.TAG, "op/team-b/web"));
    ecs.put("web", content(WEB.replace("nginx:1.27", "theirs:2")), Map.of("team", "console"));
    EcsTaskDefinition r = td(WEB + "managementPolicy: Adopt");
    Health refused = sync(r);
    assertThat(refused.state()).isEqualTo(Health.State.STALLED);
    assertThat(refused.reason()).isEqualTo("OwnedByAnother");
    assertThat(refused.message()).contains("EcsTaskDefinition team-b/web", "ACTIVE revisions tagged op/team-b/web");
    assertThat(ecs.writes).isEmpty();
    assertThat(r.getStatus().taskDefinitionArn).isNull();
    // the Warning Event of a Stalled verdict is the generic reconciler's (EcrRepositoryReconcilerTest.aStalledVerdictIsToldOncePerEpisode, ITs)

    // the latest revision's own tag is enough to refuse: no listing of the family then
    ecs.put("web", content(WEB.replace("nginx:1.27", "theirs:3")), Map.of(Ownership.TAG, "op/team-b/web"));
    ecs.calls.clear();
    EcsTaskDefinition managed = td(WEB);
    assertThat(sync(managed).reason()).isEqualTo("OwnedByAnother");
    assertThat(ecs.calls).noneMatch(c -> c.startsWith("ListTaskDefinitions") || c.startsWith("ListTags"));
    assertThat(ecs.writes).isEmpty();
  }

  @Test
  void adoptingAFamilyWhoseContentAlreadyMatchesTagsItInstead() {
    ecs.put("web", content(WEB), Map.of());
    EcsTaskDefinition r = td(WEB + "managementPolicy: Adopt");
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecs.writes).containsExactly("TagResource");
    assertThat(ecs.families.get("web").get(1L).tags).containsEntry(Ownership.TAG, OWNER)
        .containsEntry(TaskDefinitionContent.HASH_TAG, r.getStatus().contentHash);
  }

  @Test
  void observeOnlyNeverWrites() {
    EcsTaskDefinition r = td(WEB + "managementPolicy: ObserveOnly");
    Health absent = sync(r);
    assertThat(absent.reason()).isEqualTo("NotFound");

    ecs.put("web", content(WEB.replace("nginx:1.27", "other:2")), Map.of());
    Health differs = sync(r);
    assertThat(differs.reason()).isEqualTo("OutOfSync");
    assertThat(differs.message()).contains("containerDefinitions[web].image");

    ecs.put("web", content(WEB), Map.of());
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(r.getStatus().revision).isEqualTo(2L);
    assertThat(ecs.writes).isEmpty();
  }

  @Test
  void olderOwnedRevisionsBeyondTheLimitAreDeregisteredOldestFirst() {
    for (String owner : List.of(OWNER, "someone-else", OWNER, OWNER, OWNER)) {
      ecs.put("web", content(WEB.replace("nginx:1.27", "nginx:" + owner)), Map.of(Ownership.TAG, owner));
    }
    EcsTaskDefinition r = td(WEB + "revisionHistoryLimit: 2");
    sync(r);
    // ours: 1, 3, 4, 5 and 6 (new, current); keep 6 and two older (5, 4); deregister 1 then 3; foreign 2 stays
    assertThat(ecs.active("web")).containsExactly(2L, 4L, 5L, 6L);
    assertThat(ecs.writes).containsExactly("RegisterTaskDefinition", "DeregisterTaskDefinition web:1",
        "DeregisterTaskDefinition web:3");
    verify(events).normal(eq(r), eq("Deregistered"), contains("web:1"));
  }

  @Test
  void aRevisionAServiceStillRunsIsNeverPruned() {
    String spec = WEB + "revisionHistoryLimit: 0";
    EcsTaskDefinition r = td(spec);
    sync(r);
    inUse.add(FakeTaskDefinitionGateway.ACCOUNT_ARN + "web:1");
    r = edit(r, spec.replace("nginx:1.27", "nginx:2"));
    sync(r);
    r = edit(r, spec.replace("nginx:1.27", "nginx:3"));
    sync(r);
    assertThat(ecs.active("web")).containsExactly(1L, 3L);

    inUse.clear();
    r = edit(r, spec.replace("nginx:1.27", "nginx:3").replace("limit: 0", "limit: 0\ntags: {x: y}"));
    sync(r);
    assertThat(ecs.active("web")).as("a later spec change prunes what is no longer in use").containsExactly(3L);
  }

  @Test
  void whenServicesCannotBeReadNothingIsPrunedAndTheRevisionStillCounts() {
    reconciler = new EcsTaskDefinitionReconciler(
        new OperatorContext(events, Clock.systemUTC(), "op", Duration.ofMinutes(10)), ecs, region -> "eu-west-1",
        namespace -> {
          throw new IllegalStateException("ecsservices is forbidden");
        });
    String spec = WEB + "revisionHistoryLimit: 0";
    EcsTaskDefinition r = td(spec);
    sync(r);
    r = edit(r, spec.replace("nginx:1.27", "nginx:2"));
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(r.getStatus().revision).isEqualTo(2L);
    assertThat(ecs.active("web")).containsExactly(1L, 2L);
    verify(events).warning(eq(r), eq("PruneDeferred"), contains("forbidden"));
  }

  @Test
  void loweringTheLimitPrunesWithoutANewRevisionAndAnUnchangedResyncDoesNotList() {
    EcsTaskDefinition r = td(WEB);
    sync(r);
    for (int i = 1; i <= 3; i++) {
      r = edit(r, WEB.replace("nginx:1.27", "nginx:" + i));
      sync(r);
    }
    assertThat(ecs.active("web")).containsExactly(1L, 2L, 3L, 4L);
    ecs.calls.clear();
    sync(r);
    assertThat(ecs.calls).containsExactly("DescribeTaskDefinition");

    ecs.writes.clear();
    r = edit(r, WEB.replace("nginx:1.27", "nginx:3") + "revisionHistoryLimit: 1");
    sync(r);
    assertThat(ecs.active("web")).containsExactly(3L, 4L);
    assertThat(ecs.writes).containsExactly("DeregisterTaskDefinition web:1", "DeregisterTaskDefinition web:2");
  }

  @Test
  void deleteDeregistersOnlyOurRevisions() {
    EcsTaskDefinition r = td(WEB);
    sync(r);
    ecs.put("web", content(WEB), Map.of("team", "other"));
    ecs.put("web-other", content(WEB), Map.of(Ownership.TAG, OWNER));
    r = edit(r, WEB.replace("nginx:1.27", "nginx:2") + "managementPolicy: Adopt");
    sync(r);
    assertThat(reconciler.delete(r, r.getStatus(), context).done()).isTrue();
    assertThat(ecs.active("web")).containsExactly(2L);
    assertThat(ecs.active("web-other")).containsExactly(1L);
    verify(events).normal(eq(r), eq("Deleted"), contains("Deregistered 2 revision(s)"));
  }

  @Test
  void theRegisteredContentIsTheSpecAsWritten() {
    sync(td(WEB.replace("memory: 256", "memory: 256\n  command: [b, a]")));
    ObjectNode stored = ecs.families.get("web").get(1L).content;
    assertThat(stored.get("containerDefinitions").get(0).get("command").toString()).isEqualTo("[\"b\",\"a\"]");
    assertThat(stored.has("tags")).isFalse();
    assertThat(stored.has("revisionHistoryLimit")).isFalse();
    assertThat(new ObjectMapper().convertValue(stored.get("containerDefinitions").get(0).get("environment"), List.class))
        .hasSize(2);
  }
}
