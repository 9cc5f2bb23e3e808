package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.Images;
import io.ecsbridge.testing.OperatorIT;
import io.ecsbridge.testing.Repo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The kinds together, as users apply them: the whole application in samples/app, references resolved in any order
 * (its image tag pushed once the repository exists, as a CI pipeline would), a new task definition revision (the tag
 * pushed again) reaching the service at once, and revisions in use never deregistered.
 */
class EcsAppIT extends OperatorIT {

  /** samples/app references a Secret: the operator runs with Secret references on. */
  @Override
  protected Map<String, String> operatorSettings(String namespaces) {
    Map<String, String> settings = super.operatorSettings(namespaces);
    settings.put("ECSBRIDGE_SECRET_REFERENCES", "true");
    return settings;
  }
  private Map<String, String> network;

  @BeforeEach
  void network() {
    var ec2 = aws.ec2();
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
    String a = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.1.1.0/24").availabilityZone("us-east-1a"))
        .subnet().subnetId();
    String b = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.1.2.0/24").availabilityZone("us-east-1b"))
        .subnet().subnetId();
    String sg = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("app").description("app")).groupId();
    network = Map.of("subnet-REPLACE_ME_A", a, "subnet-REPLACE_ME_B", b, "sg-REPLACE_ME", sg);
  }

  /** The resources of samples/app, placeholders filled, in the files' order. */
  private List<HasMetadata> sampleApp() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Repo.root().resolve("samples/app"))) {
      files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    List<HasMetadata> resources = new ArrayList<>();
    for (Path f : files) {
      String yaml = Files.readString(f);
      for (var e : network.entrySet()) {
        yaml = yaml.replace(e.getKey(), e.getValue());
      }
      resources.addAll(k8s.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items());
    }
    return resources;
  }

  /**
   * What a CI pipeline does once the operator has made the shop's repository: pushes shop/web:v1 (samples/app's
   * imageFrom), then requests the EcrRepository's reconcile, standing in for its resync (ECR sends no event on a
   * push). Returns the digest.
   */
  private String pushShopWebV1() {
    awaitReady(EcrRepository.class, "shop");
    String digest = Images.push(aws.ecr(), "shop/web", "v1");
    annotate(get(EcrRepository.class, "shop"), "ecsbridge.io/reconcile-requested-at", digest);
    return digest;
  }

  private String registeredImage(String arn) {
    return aws.ecs().describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition().containerDefinitions()
        .get(0).image();
  }

  private Service describeService(String cluster, String name) {
    return aws.ecs().describeServices(r -> r.cluster(cluster).services(name)).services().get(0);
  }

  @Test
  void theSampleAppAppliedInReverseOrderConvergesAndStaysQuiet() throws Exception {
    List<HasMetadata> app = sampleApp();
    assertThat(app).extracting(HasMetadata::getKind)
        .containsExactly("EcrRepository", "EcsCluster", "ConfigMap", "Secret", "EcsTaskDefinition", "EcsService");
    // the service first: its references do not exist yet
    create(app.get(5));
    eventually().until(() -> "ReferenceNotReady".equals(reason(get(EcsService.class, "shop-web"), Conditions.READY)));
    EcsService waiting = get(EcsService.class, "shop-web");
    assertThat(isTrue(waiting, Conditions.RECONCILING)).isTrue();
    assertThat(isTrue(waiting, Conditions.STALLED)).isFalse();
    assertThat(awsCalls("ecs", "CreateService")).isZero();

    // the task definition before the ConfigMap and Secret it reads: it waits, then picks them up
    create(app.get(4));
    eventually().until(() -> "ReferenceNotReady".equals(reason(get(EcsTaskDefinition.class, "shop-web"),
        Conditions.READY)));
    create(app.get(3));
    create(app.get(2));
    create(app.get(1));
    create(app.get(0));
    // the repository made, the task definition waits for its image tag, which nobody has pushed yet
    awaitReady(EcrRepository.class, "shop");
    eventually().until(() -> "ImageNotFound".equals(reason(get(EcsTaskDefinition.class, "shop-web"),
        Conditions.READY)));
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).isZero();
    String digest = pushShopWebV1();
    eventually().until(() -> isReady(get(EcrRepository.class, "shop")) && isReady(get(EcsCluster.class, "shop"))
        && isReady(get(EcsTaskDefinition.class, "shop-web")) && isReady(get(EcsService.class, "shop-web")));

    EcsTaskDefinition td = get(EcsTaskDefinition.class, "shop-web");
    EcsService service = get(EcsService.class, "shop-web");
    Service live = describeService("shop", "shop-web");
    assertThat(live.taskDefinition()).isEqualTo(td.getStatus().taskDefinitionArn);
    assertThat(service.getStatus().taskDefinition).isEqualTo(td.getStatus().taskDefinitionArn);
    assertThat(live.runningCount()).isEqualTo(2);
    assertThat(registeredImage(live.taskDefinition())).as("imageFrom: shop/web:v1 pinned to its digest")
        .isEqualTo(get(EcrRepository.class, "shop").getStatus().repositoryUri + "@" + digest);
    assertThat(aws.ecs().describeTaskDefinition(r -> r.taskDefinition(live.taskDefinition())).taskDefinition()
        .containerDefinitions().get(0).environment()).as("LOG_LEVEL from the ConfigMap")
        .anySatisfy(e -> assertThat(e.name() + "=" + e.value()).isEqualTo("LOG_LEVEL=info"));
    assertThat(aws.ecs().describeTaskDefinition(r -> r.taskDefinition(live.taskDefinition())).taskDefinition()
        .containerDefinitions().get(0).secrets()).as("PAYMENT_API_KEY from the Secret, by reference")
        .anySatisfy(e -> assertThat(e.name() + "=" + e.valueFrom()).isEqualTo("PAYMENT_API_KEY="
            + td.getStatus().valuesSecretArn + ":shop-web/payment-api-key::"));
    assertThat(live.deploymentConfiguration().deploymentCircuitBreaker().rollback()).isTrue();
    assertThat(aws.autoScaling().describeScalableTargets(r -> r.serviceNamespace("ecs")).scalableTargets())
        .singleElement().satisfies(t -> {
          assertThat(t.resourceId()).isEqualTo("service/shop/shop-web");
          assertThat(t.minCapacity()).isEqualTo(2);
          assertThat(t.maxCapacity()).isEqualTo(10);
        });
    assertThat(aws.autoScaling().describeScalingPolicies(r -> r.serviceNamespace("ecs")).scalingPolicies())
        .singleElement().satisfies(p -> assertThat(p.policyName()).isEqualTo("cpu60"));

    // an in-sync resync of the whole application writes nothing
    double writes = awsWrites();
    for (HasMetadata r : List.of(get(EcrRepository.class, "shop"), get(EcsCluster.class, "shop"),
        get(EcsTaskDefinition.class, "shop-web"), get(EcsService.class, "shop-web"))) {
      annotate(r, "ecsbridge.io/reconcile-requested-at", "resync-1");
    }
    eventually().until(() -> "resync-1".equals(get(EcsService.class, "shop-web").getStatus().getLastHandledReconcileAt())
        && "resync-1".equals(get(EcsTaskDefinition.class, "shop-web").getStatus().getLastHandledReconcileAt())
        && "resync-1".equals(get(EcsCluster.class, "shop").getStatus().getLastHandledReconcileAt())
        && "resync-1".equals(get(EcrRepository.class, "shop").getStatus().getLastHandledReconcileAt()));
    assertThat(awsWrites()).as("AWS writes of an in-sync resync of the whole app").isEqualTo(writes);
  }

  @Test
  void aNewRevisionReachesTheServiceAtOnceAndRollsOut() throws Exception {
    List<HasMetadata> app = sampleApp();
    for (HasMetadata r : app) {
      create(r);
    }
    pushShopWebV1();
    eventually().until(() -> isReady(get(EcsService.class, "shop-web")));
    String first = get(EcsTaskDefinition.class, "shop-web").getStatus().taskDefinitionArn;
    double updates = awsCalls("ecs", "UpdateService");

    // v1 pushed again (a new digest): a new revision, as `hack/push-image.sh shop/web v1` does under `make run`
    String pushedAgain = pushShopWebV1();
    long[] revisionAt = new long[1];
    eventually().pollInterval(java.time.Duration.ofMillis(10)).until(() -> {
      String arn = get(EcsTaskDefinition.class, "shop-web").getStatus().taskDefinitionArn;
      if (!first.equals(arn)) {
        revisionAt[0] = System.nanoTime();
        return true;
      }
      return false;
    });
    eventually().pollInterval(java.time.Duration.ofMillis(10))
        .until(() -> awsCalls("ecs", "UpdateService") > updates);
    double latencyMs = (System.nanoTime() - revisionAt[0]) / 1e6;
    System.out.printf("new revision in EcsTaskDefinition status -> UpdateService: %.0f ms (upper bound, polled "
        + "every 10 ms)%n", latencyMs);
    assertThat(latencyMs).as("revision to UpdateService latency").isLessThan(2000);

    String second = get(EcsTaskDefinition.class, "shop-web").getStatus().taskDefinitionArn;
    assertThat(registeredImage(second)).endsWith("/shop/web@" + pushedAgain);
    eventually().until(() -> "RolloutInProgress".equals(reason(get(EcsService.class, "shop-web"),
        Conditions.RECONCILING)) || isReady(get(EcsService.class, "shop-web")) && second.equals(
        get(EcsService.class, "shop-web").getStatus().taskDefinition));
    eventually().until(() -> {
      EcsService s = get(EcsService.class, "shop-web");
      return isReady(s) && second.equals(s.getStatus().taskDefinition);
    });
    assertThat(describeService("shop", "shop-web").taskDefinition()).isEqualTo(second);
    assertThat(describeService("shop", "shop-web").deployments()).singleElement()
        .satisfies(d -> assertThat(d.rolloutStateAsString()).isEqualTo("COMPLETED"));
  }

  @Test
  void historyLimitNeverDeregistersARevisionAServiceStillRuns() {
    create(resource(EcsCluster.class, "hist", "{}"));
    EcsTaskDefinition td = create(resource(EcsTaskDefinition.class, "hist", """
        revisionHistoryLimit: 0
        containerDefinitions: [{name: app, image: "nginx:1.0", memory: 128}]
        """));
    eventually().until(() -> isReady(get(EcsTaskDefinition.class, "hist")) && isReady(get(EcsCluster.class, "hist")));
    String first = get(EcsTaskDefinition.class, "hist").getStatus().taskDefinitionArn;
    // a service pins the first revision by ARN (raw reference): it must outlive the history limit of 0
    create(resource(EcsService.class, "pinned", """
        clusterRef: {name: hist}
        taskDefinition: %s
        desiredCount: 1
        launchType: EC2
        """.formatted(first)));
    eventually().until(() -> isReady(get(EcsService.class, "pinned")));

    for (String image : List.of("nginx:1.1", "nginx:1.2")) {
      String before = get(EcsTaskDefinition.class, "hist").getStatus().taskDefinitionArn;
      edit(td, r -> {
        ((EcsTaskDefinition) r).getSpec().containerDefinitions.get(0).image = image;
        return r;
      });
      eventually().until(() -> {
        EcsTaskDefinition t = get(EcsTaskDefinition.class, "hist");
        return isReady(t) && !before.equals(t.getStatus().taskDefinitionArn);
      });
    }
    String current = get(EcsTaskDefinition.class, "hist").getStatus().taskDefinitionArn;
    eventually().untilAsserted(() -> assertThat(aws.ecs().listTaskDefinitions(r -> r.familyPrefix("hist"))
        .taskDefinitionArns()).as("ACTIVE revisions: the current one and the one a service runs")
        .containsExactlyInAnyOrder(first, current));
    assertThat(aws.ecs().describeTaskDefinition(r -> r.taskDefinition(first)).taskDefinition().statusAsString())
        .isEqualTo("ACTIVE");
  }
}
