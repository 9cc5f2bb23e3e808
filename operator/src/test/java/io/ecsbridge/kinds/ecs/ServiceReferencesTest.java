package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsClusterSpec;
import io.ecsbridge.api.v1alpha1.EcsClusterStatus;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus;
import io.ecsbridge.aws.FakeServiceGateway;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reference resolution of EcsService from in-memory caches, and the raw names' checks against an in-memory ECS. */
class ServiceReferencesTest {
  private static final String REGION = "eu-west-1";
  private static final String V1 = FakeServiceGateway.arn(REGION, "web:1");
  private static final String V2 = FakeServiceGateway.arn(REGION, "web:2");

  private final FakeServiceGateway ecs = new FakeServiceGateway();
  @SuppressWarnings("unchecked")
  private final Context<EcsService> context = mock(Context.class);
  private final Map<String, EcsTaskDefinition> taskDefinitions = new HashMap<>();
  private final Map<String, EcsCluster> clusters = new HashMap<>();
  private final ServiceReferences references = new ServiceReferences(new ServiceReferences.Lookup() {
    @Override
    public Optional<EcsTaskDefinition> taskDefinition(Context<EcsService> c, String namespace, String name) {
      return Optional.ofNullable(taskDefinitions.get(namespace + "/" + name));
    }

    @Override
    public Optional<EcsCluster> cluster(Context<EcsService> c, String namespace, String name) {
      return Optional.ofNullable(clusters.get(namespace + "/" + name));
    }
  }, ecs, false);

  private static EcsService service(String spec) {
    EcsService s = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsService
        metadata: {name: web, namespace: ns, generation: 1}
        spec:
        %s
        """.formatted(spec.indent(2)), EcsService.class);
    s.setStatus(new EcsServiceStatus());
    return s;
  }

  /** An EcsCluster of namespace ns at generation 2, its conditions at {@code observed}. */
  private EcsCluster cluster(String name, Health health, long observed) {
    EcsCluster c = new EcsCluster();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withGeneration(2L).build());
    c.setSpec(new EcsClusterSpec());
    c.setStatus(new EcsClusterStatus());
    Conditions.apply(c.getStatus(), health, observed, Clock.systemUTC());
    clusters.put("ns/" + name, c);
    return c;
  }

  /** An EcsTaskDefinition of namespace ns at generation 2 with this revision, its conditions at {@code observed}. */
  private EcsTaskDefinition taskDefinition(String name, String arn, Health health, long observed) {
    EcsTaskDefinition td = new EcsTaskDefinition();
    td.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withGeneration(2L).build());
    td.setStatus(new EcsTaskDefinitionStatus());
    td.getStatus().taskDefinitionArn = arn;
    Conditions.apply(td.getStatus(), health, observed, Clock.systemUTC());
    taskDefinitions.put("ns/" + name, td);
    return td;
  }

  private static Health ready() {
    return Health.ready("Synced", "");
  }

  private ServiceReferences.Resolved resolve(EcsService s) {
    return references.resolve(s, REGION, s.getStatus(), context);
  }

  @Test
  void aReferenceWaitsUntilItIsReadyAtItsGenerationWithoutAwsCalls() {
    EcsService s = service("clusterRef: {name: prod}\ntaskDefinitionRef: {name: web}");
    assertThat(resolve(s).verdict()).isEqualTo(Health.progressing("ReferenceNotReady",
        "EcsCluster prod does not exist"));
    cluster("prod", Health.progressing("Reconciling", ""), 2);
    assertThat(resolve(s).verdict()).isEqualTo(Health.progressing("ReferenceNotReady", "EcsCluster prod is not Ready"));
    cluster("prod", ready(), 2).getSpec().clusterName = "prod-eu";
    assertThat(resolve(s).verdict()).isEqualTo(Health.progressing("ReferenceNotReady",
        "EcsTaskDefinition web does not exist"));
    taskDefinition("web", V1, ready(), 1); // Ready, but for the generation before
    assertThat(resolve(s).verdict()).isEqualTo(Health.progressing("ReferenceNotReady",
        "EcsTaskDefinition web is not Ready (no current revision at its generation yet)"));

    taskDefinition("web", V2, ready(), 2);
    assertThat(resolve(s)).isEqualTo(new ServiceReferences.Resolved("prod-eu", V2, null));
    assertThat(ecs.clusterReads + ecs.taskDefinitionLookups + ecs.describes).as("no AWS call").isZero();
  }

  @Test
  void aReferenceStalledAtItsGenerationMakesTheServiceDependencyStalled() {
    EcsService s = service("clusterRef: {name: prod}\ntaskDefinitionRef: {name: web}");
    cluster("prod", Health.stalled("AccessDenied", "not allowed"), 2);
    assertThat(resolve(s).verdict()).isEqualTo(Health.stalled("DependencyStalled",
        "EcsCluster prod is Stalled (AccessDenied): not allowed"));
    cluster("prod", Health.stalled("AccessDenied", "not allowed"), 1); // an older generation's verdict: not any more
    assertThat(resolve(s).verdict().reason()).isEqualTo("ReferenceNotReady");

    cluster("prod", ready(), 2);
    taskDefinition("web", V1, Health.stalled("InvalidParameter", "bad image"), 2);
    assertThat(resolve(s).verdict()).isEqualTo(Health.stalled("DependencyStalled",
        "EcsTaskDefinition web is Stalled (InvalidParameter): bad image"));
    taskDefinition("web", V1, ready(), 2);
    assertThat(resolve(s).verdict()).isNull();
  }

  @Test
  void aTaskDefinitionReferenceChangesTheInputsWhenItResolvesElsewhereOrNotAtAll() {
    EcsService raw = service("clusterRef: {name: prod}\ntaskDefinition: web:1");
    assertThat(references.referenceChanged(raw, context)).as("no taskDefinitionRef: never").isFalse();

    EcsService s = service("cluster: prod\ntaskDefinitionRef: {name: web}");
    s.getStatus().targetTaskDefinition = V1;
    taskDefinition("web", V1, ready(), 2);
    assertThat(references.referenceChanged(s, context)).as("the revision last applied").isFalse();
    taskDefinition("web", V2, ready(), 2);
    assertThat(references.referenceChanged(s, context)).as("a new revision").isTrue();
    taskDefinition("web", V1, Health.stalled("InvalidParameter", "bad image"), 2);
    assertThat(references.referenceChanged(s, context)).as("Stalled: a verdict to give").isTrue();
    taskDefinitions.clear();
    assertThat(references.referenceChanged(s, context)).as("gone").isTrue();
    assertThat(ecs.clusterReads + ecs.taskDefinitionLookups).as("no AWS call").isZero();
  }

  @Test
  void theWatchedValuesOfAReferenceFollowItsGeneration() {
    EcsTaskDefinition td = taskDefinition("web", V1, ready(), 2);
    assertThat(ServiceReferences.revision(td)).isEqualTo(V1);
    assertThat(ServiceReferences.revision(taskDefinition("web", V1, ready(), 1))).isNull();
    assertThat(ServiceReferences.revision(taskDefinition("web", V1, Health.progressing("Reconciling", ""), 2)))
        .isNull();

    EcsCluster c = cluster("prod", ready(), 2);
    assertThat(ServiceReferences.clusterName(c)).isEqualTo("prod");
    assertThat(ServiceReferences.clusterName(cluster("prod", Health.progressing("Reconciling", ""), 2))).isNull();
    assertThat(ServiceReferences.stalledKey(c)).isNull();
    assertThat(ServiceReferences.stalledKey(cluster("prod", Health.stalled("Limit", "too many"), 2)))
        .isEqualTo("Limit: too many");
    assertThat(ServiceReferences.stalledKey(cluster("prod", Health.stalled("Limit", "too many"), 1))).isNull();
  }

  @Test
  void rawNamesAreCheckedOnEveryPassReferencesNever() {
    ecs.clusterTags.put("prod", Map.of(Ownership.TAG, "op/team-b/prod"));
    EcsService s = service("cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod'\ntaskDefinition: web:1");
    ServiceReferences.Resolved refused = resolve(s);
    assertThat(refused.verdict().reason()).isEqualTo("OwnedByAnotherNamespace");
    assertThat(refused.verdict().message()).startsWith("ECS cluster prod is managed by EcsCluster team-b/prod");
    assertThat(ecs.taskDefinitionLookups).as("not looked up once the cluster is refused").isZero();

    ecs.clusterTags.clear();
    assertThat(resolve(s)).isEqualTo(new ServiceReferences.Resolved(s.getSpec().cluster, V1, null));
    s.getStatus().targetTaskDefinition = V1;
    s.getStatus().setObservedGeneration(1L);
    assertThat(resolve(s).taskDefinition()).isEqualTo(V1);
    assertThat(ecs.clusterReads).isEqualTo(3);
    assertThat(ecs.taskDefinitionLookups).as("a revision resolved before, the spec unchanged").isEqualTo(1);

    EcsService none = service("cluster: prod");
    assertThat(resolve(none)).isEqualTo(new ServiceReferences.Resolved("prod", null, null));

    ecs.taskDefinitionTags.put("web", Map.of(Ownership.TAG, "op/team-b/web"));
    cluster("prod", ready(), 2);
    taskDefinition("web", V1, ready(), 2);
    EcsService referenced = service("clusterRef: {name: prod}\ntaskDefinitionRef: {name: web}");
    assertThat(resolve(referenced)).isEqualTo(new ServiceReferences.Resolved("prod", V1, null));
    assertThat(ecs.clusterReads).as("a reference is this namespace's: no tag read").isEqualTo(4);
    assertThat(ecs.taskDefinitionLookups).isEqualTo(1);
  }

  @Test
  void theClusterToDeleteFromIsTheServiceArnsThenTheSpecs() {
    EcsService s = service("clusterRef: {name: prod}\ntaskDefinition: web:1");
    s.getStatus().serviceArn = "arn:aws:ecs:eu-west-1:123456789012:service/prod-eu/web";
    assertThat(references.clusterForDelete(s, s.getStatus(), context)).isEqualTo("prod-eu");
    s.getStatus().serviceArn = "arn:aws:ecs:eu-west-1:123456789012:service/web"; // the old ARN format
    assertThat(references.clusterForDelete(s, s.getStatus(), context)).as("the EcsCluster gone").isEqualTo("prod");
    cluster("prod", Health.progressing("Deleting", ""), 2).getSpec().clusterName = "prod-eu";
    assertThat(references.clusterForDelete(s, s.getStatus(), context)).as("Ready or not").isEqualTo("prod-eu");
    EcsService raw = service("cluster: other\ntaskDefinition: web:1");
    assertThat(references.clusterForDelete(raw, raw.getStatus(), context)).isEqualTo("other");
  }

  @Test
  void aResyncPassReadsARawClustersTagsAfreshBeforeItWritesAndIsRetriedWhenItIsTakenMeanwhile() {
    EcsService raw = service("cluster: prod\ntaskDefinition: web:1");
    EcsService ref = service("clusterRef: {name: prod}\ntaskDefinition: web:1");
    // a person's pass checked on a fresh read already; a reference is this namespace's cluster
    io.ecsbridge.aws.Lanes.call("EcsService", io.ecsbridge.aws.Lanes.Lane.USER, () -> {
      references.confirmRawCluster(raw, REGION, "prod");
      return null;
    });
    io.ecsbridge.aws.Lanes.call("EcsService", io.ecsbridge.aws.Lanes.Lane.RESYNC, () -> {
      references.confirmRawCluster(ref, REGION, "prod");
      return null;
    });
    assertThat(ecs.clusterReads).isZero();

    io.ecsbridge.aws.Lanes.call("EcsService", io.ecsbridge.aws.Lanes.Lane.RESYNC, () -> {
      references.confirmRawCluster(raw, REGION, "prod"); // still nobody's: allowed
      return null;
    });
    assertThat(ecs.clusterReads).isEqualTo(1);

    ecs.clusterTags.put("prod", Map.of(Ownership.TAG, "op/team-b/prod")); // adopted by another namespace meanwhile
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.ecsbridge.aws.Lanes.call("EcsService",
        io.ecsbridge.aws.Lanes.Lane.RESYNC, () -> {
          references.confirmRawCluster(raw, REGION, "prod");
          return null;
        })).isInstanceOf(io.ecsbridge.aws.AwsException.class).hasMessageContaining("changed owner")
        .satisfies(e -> assertThat(((io.ecsbridge.aws.AwsException) e).retryable()).isTrue());
  }
}
