package io.ecsbridge.it;

import io.ecsbridge.testing.AwsTestClients;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * What the kind contract test ({@link KindContractIT}) needs to know of a kind, and nothing of the operator: a minimal
 * spec as a user writes it, and AWS's side through the SDK (moto): making the AWS resource outside the operator,
 * reading back its state and its owner tags. A new kind adds one entry here.
 */
abstract class KindFixture {
  static final String OWNER_TAG = "ecsbridge.io/owner";
  static final List<String> KINDS = List.of("EcrRepository", "EcsCluster", "EcsTaskDefinition", "EcsService",
      "EcsCapacityProvider");
  /**
   * Kinds whose AWS resource takes no tags, owned by the identity a custom resource records in status: AWS holds no
   * owner, so {@link #createInAws} makes only foreign ones, and the owner is read from the custom resources
   * ({@link KindContractIT}).
   */
  static final List<String> IDENTITY_KINDS = List.of("EcrPullThroughCacheRule", "EcrRepositoryCreationTemplate");

  protected final AwsTestClients aws;

  KindFixture(AwsTestClients aws) {
    this.aws = aws;
  }

  static KindFixture of(String kind, AwsTestClients aws) {
    return switch (kind) {
      case "EcrRepository" -> new Repositories(aws);
      case "EcsCluster" -> new Clusters(aws);
      case "EcsTaskDefinition" -> new TaskDefinitions(aws);
      case "EcsService" -> new Services(aws);
      case "EcsCapacityProvider" -> new CapacityProviders(aws);
      case "EcrPullThroughCacheRule" -> new PullThroughCacheRules(aws);
      case "EcrRepositoryCreationTemplate" -> new CreationTemplates(aws);
      default -> throw new IllegalArgumentException("no contract fixture for kind " + kind);
    };
  }

  abstract String kind();

  /** Whether the kind is owned by the identity recorded in status ({@link #IDENTITY_KINDS}), not by a tag. */
  boolean ownedByIdentity() {
    return IDENTITY_KINDS.contains(kind());
  }

  /** Makes in AWS what every spec of the kind needs (for a service: its cluster and task definition). */
  void prepare() {}

  /** A minimal spec of the AWS resource {@code awsName} (YAML, without the policies), with tags {team: demo}. */
  abstract String spec(String awsName);

  /**
   * Makes the AWS resource {@code awsName} outside the operator, differing from {@link #spec} in
   * {@link #differingField()} and tagged {team: legacy}, plus the owner tag {@code ownerTag} unless null.
   */
  abstract void createInAws(String awsName, String ownerTag);

  /** The spec field in which {@link #createInAws} differs, as an ObserveOnly OutOfSync message names it. */
  abstract String differingField();

  /** What the spec manages of the AWS resource, without its names and ecs-bridge's own tags; null when absent. */
  abstract String state(String awsName);

  /**
   * What exists in AWS of {@code awsName}, each part (the resource, or each ACTIVE revision of a task definition
   * family) with its owner tag ("" for none); empty when nothing exists.
   */
  abstract Map<String, String> owners(String awsName);

  /** The owner tag of the AWS resource (of a family: its latest ACTIVE revision), null when untagged or absent. */
  abstract String ownerTag(String awsName);

  /** The status field that holds the AWS resource's ARN. */
  abstract String statusArnField();

  /** The live ARN (of a family: its latest ACTIVE revision). */
  abstract String arn(String awsName);

  static Map<String, String> userTags(Map<String, String> tags) {
    Map<String, String> user = new TreeMap<>(tags);
    user.keySet().removeIf(k -> k.startsWith("ecsbridge.io/") || k.startsWith("aws:"));
    return user;
  }

  static Map<String, String> legacyTags(String ownerTag) {
    Map<String, String> tags = new TreeMap<>();
    tags.put("team", "legacy");
    if (ownerTag != null) {
      tags.put(OWNER_TAG, ownerTag);
    }
    return tags;
  }

  static List<software.amazon.awssdk.services.ecs.model.Tag> ecsTags(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> software.amazon.awssdk.services.ecs.model.Tag.builder().key(e.getKey())
        .value(e.getValue()).build()).toList();
  }

  static Map<String, String> fromEcs(List<software.amazon.awssdk.services.ecs.model.Tag> tags) {
    Map<String, String> map = new TreeMap<>();
    tags.forEach(t -> map.put(t.key(), t.value()));
    return map;
  }

  // ---- EcrRepository -----------------------------------------------------------------------------------------------

  static final class Repositories extends KindFixture {
    Repositories(AwsTestClients aws) {
      super(aws);
    }

    @Override
    String kind() {
      return "EcrRepository";
    }

    @Override
    String spec(String awsName) {
      return "repositoryName: %s\ntags: {team: demo}\n".formatted(awsName);
    }

    @Override
    void createInAws(String awsName, String ownerTag) {
      aws.ecr().createRepository(r -> r.repositoryName(awsName).imageTagMutability(ImageTagMutability.IMMUTABLE)
          .tags(legacyTags(ownerTag).entrySet().stream().map(e -> software.amazon.awssdk.services.ecr.model.Tag
              .builder().key(e.getKey()).value(e.getValue()).build()).toList()));
    }

    @Override
    String differingField() {
      return "imageTagMutability";
    }

    private Repository describe(String awsName) {
      try {
        return aws.ecr().describeRepositories(r -> r.repositoryNames(awsName)).repositories().get(0);
      } catch (RepositoryNotFoundException e) {
        return null;
      }
    }

    private Map<String, String> tags(Repository repo) {
      Map<String, String> tags = new TreeMap<>();
      aws.ecr().listTagsForResource(r -> r.resourceArn(repo.repositoryArn())).tags()
          .forEach(t -> tags.put(t.key(), t.value()));
      return tags;
    }

    @Override
    String state(String awsName) {
      Repository repo = describe(awsName);
      return repo == null ? null : repo.imageTagMutabilityAsString() + " " + userTags(tags(repo));
    }

    @Override
    Map<String, String> owners(String awsName) {
      Repository repo = describe(awsName);
      return repo == null ? Map.of() : Map.of(awsName, tags(repo).getOrDefault(OWNER_TAG, ""));
    }

    @Override
    String ownerTag(String awsName) {
      Repository repo = describe(awsName);
      return repo == null ? null : tags(repo).get(OWNER_TAG);
    }

    @Override
    String statusArnField() {
      return "arn";
    }

    @Override
    String arn(String awsName) {
      return describe(awsName).repositoryArn();
    }
  }

  // ---- EcsCluster --------------------------------------------------------------------------------------------------

  static final class Clusters extends KindFixture {
    Clusters(AwsTestClients aws) {
      super(aws);
    }

    @Override
    String kind() {
      return "EcsCluster";
    }

    @Override
    String spec(String awsName) {
      return "clusterName: %s\nsettings: [{name: containerInsights, value: enabled}]\ntags: {team: demo}\n"
          .formatted(awsName);
    }

    @Override
    void createInAws(String awsName, String ownerTag) {
      aws.ecs().createCluster(r -> r.clusterName(awsName)
          .settings(ClusterSetting.builder().name("containerInsights").value("disabled").build())
          .tags(ecsTags(legacyTags(ownerTag))));
    }

    @Override
    String differingField() {
      return "settings";
    }

    /** The cluster while ACTIVE (a deleted one is still described, INACTIVE). */
    private Cluster describe(String awsName) {
      return aws.ecs().describeClusters(r -> r.clusters(awsName).include(ClusterField.TAGS, ClusterField.SETTINGS))
          .clusters().stream().filter(c -> "ACTIVE".equals(c.status())).findFirst().orElse(null);
    }

    @Override
    String state(String awsName) {
      Cluster c = describe(awsName);
      if (c == null) {
        return null;
      }
      Map<String, String> settings = new TreeMap<>();
      c.settings().forEach(s -> settings.put(s.nameAsString(), s.value()));
      return settings + " " + userTags(fromEcs(c.tags()));
    }

    @Override
    Map<String, String> owners(String awsName) {
      Cluster c = describe(awsName);
      return c == null ? Map.of() : Map.of(awsName, fromEcs(c.tags()).getOrDefault(OWNER_TAG, ""));
    }

    @Override
    String ownerTag(String awsName) {
      Cluster c = describe(awsName);
      return c == null ? null : fromEcs(c.tags()).get(OWNER_TAG);
    }

    @Override
    String statusArnField() {
      return "arn";
    }

    @Override
    String arn(String awsName) {
      return describe(awsName).clusterArn();
    }
  }

  // ---- EcsTaskDefinition: the family is the AWS resource, each ACTIVE revision a part of it -------------------------

  static final class TaskDefinitions extends KindFixture {
    TaskDefinitions(AwsTestClients aws) {
      super(aws);
    }

    @Override
    String kind() {
      return "EcsTaskDefinition";
    }

    @Override
    String spec(String awsName) {
      return """
          family: %s
          containerDefinitions:
          - {name: app, image: "nginx:1", memory: 128}
          tags: {team: demo}
          """.formatted(awsName);
    }

    @Override
    void createInAws(String awsName, String ownerTag) {
      aws.ecs().registerTaskDefinition(r -> r.family(awsName)
          .containerDefinitions(c -> c.name("app").image("legacy:1").memory(128))
          .tags(ecsTags(legacyTags(ownerTag))));
    }

    @Override
    String differingField() {
      return "containerDefinitions[app].image";
    }

    /** The family's ACTIVE revisions (exactly this family), oldest first. */
    private List<String> active(String family) {
      List<String> arns = new ArrayList<>();
      String token = null;
      do {
        String next = token;
        var page = aws.ecs().listTaskDefinitions(r -> r.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE)
            .nextToken(next));
        page.taskDefinitionArns().stream().filter(arn -> arn.substring(arn.lastIndexOf('/') + 1)
            .startsWith(family + ":")).forEach(arns::add);
        token = page.nextToken();
      } while (token != null);
      arns.sort(Comparator.comparingInt(arn -> Integer.parseInt(arn.substring(arn.lastIndexOf(':') + 1))));
      return arns;
    }

    private Map<String, String> tags(String arn) {
      return fromEcs(aws.ecs().listTagsForResource(r -> r.resourceArn(arn)).tags());
    }

    private String latest(String family) {
      List<String> arns = active(family);
      return arns.isEmpty() ? null : arns.get(arns.size() - 1);
    }

    @Override
    String state(String awsName) {
      String arn = latest(awsName);
      if (arn == null) {
        return null;
      }
      var described = aws.ecs().describeTaskDefinition(r -> r.taskDefinition(arn).include(TaskDefinitionField.TAGS));
      return described.taskDefinition().containerDefinitions().stream().map(c -> c.name() + "=" + c.image()).toList()
          + " " + userTags(fromEcs(described.tags()));
    }

    @Override
    Map<String, String> owners(String awsName) {
      Map<String, String> owners = new LinkedHashMap<>();
      for (String arn : active(awsName)) {
        owners.put(arn.substring(arn.lastIndexOf('/') + 1), tags(arn).getOrDefault(OWNER_TAG, ""));
      }
      return owners;
    }

    @Override
    String ownerTag(String awsName) {
      String arn = latest(awsName);
      return arn == null ? null : tags(arn).get(OWNER_TAG);
    }

    @Override
    String statusArnField() {
      return "taskDefinitionArn";
    }

    @Override
    String arn(String awsName) {
      return latest(awsName);
    }
  }

  // ---- EcsService: in a cluster and with a task definition nobody owns ---------------------------------------------

  static final class Services extends KindFixture {
    private static final String CLUSTER = "shared";

    Services(AwsTestClients aws) {
      super(aws);
    }

    @Override
    String kind() {
      return "EcsService";
    }

    @Override
    void prepare() {
      aws.ecs().createCluster(r -> r.clusterName(CLUSTER));
      aws.ecs().registerTaskDefinition(r -> r.family("shared-app")
          .containerDefinitions(c -> c.name("app").image("nginx:1").memory(128)));
    }

    @Override
    String spec(String awsName) {
      return """
          serviceName: %s
          cluster: %s
          taskDefinition: shared-app:1
          desiredCount: 1
          launchType: EC2
          propagateTags: SERVICE
          tags: {team: demo}
          """.formatted(awsName, CLUSTER);
    }

    @Override
    void createInAws(String awsName, String ownerTag) {
      aws.ecs().createService(r -> r.cluster(CLUSTER).serviceName(awsName).taskDefinition("shared-app:1")
          .desiredCount(1).launchType(LaunchType.EC2).propagateTags(PropagateTags.NONE)
          .tags(ecsTags(legacyTags(ownerTag))));
    }

    @Override
    String differingField() {
      return "propagateTags";
    }

    /** The service until it is INACTIVE (ACTIVE, or DRAINING while ECS deletes it). */
    private Service describe(String awsName) {
      return aws.ecs().describeServices(r -> r.cluster(CLUSTER).services(awsName).include(ServiceField.TAGS))
          .services().stream().filter(s -> !"INACTIVE".equals(s.status())).findFirst().orElse(null);
    }

    @Override
    String state(String awsName) {
      Service s = describe(awsName);
      return s == null ? null : s.status() + " desiredCount=" + s.desiredCount() + " " + s.taskDefinition()
          + " propagateTags=" + s.propagateTagsAsString() + " " + userTags(fromEcs(s.tags()));
    }

    @Override
    Map<String, String> owners(String awsName) {
      Service s = describe(awsName);
      return s == null ? Map.of() : Map.of(awsName, fromEcs(s.tags()).getOrDefault(OWNER_TAG, ""));
    }

    @Override
    String ownerTag(String awsName) {
      Service s = describe(awsName);
      return s == null ? null : fromEcs(s.tags()).get(OWNER_TAG);
    }

    @Override
    String statusArnField() {
      return "serviceArn";
    }

    @Override
    String arn(String awsName) {
      return describe(awsName).serviceArn();
    }
  }

  // ---- EcsCapacityProvider: on an Auto Scaling group of its own name ------------------------------------------------

  static final class CapacityProviders extends KindFixture {
    private final java.util.Set<String> groups = new java.util.HashSet<>();

    CapacityProviders(AwsTestClients aws) {
      super(aws);
    }

    @Override
    String kind() {
      return "EcsCapacityProvider";
    }

    /** The Auto Scaling group named as the provider (ECS lets one group serve one provider), made once. */
    private synchronized String group(String awsName) {
      if (groups.add(awsName)) {
        aws.autoScalingGroup(awsName);
      }
      return awsName;
    }

    @Override
    String spec(String awsName) {
      return """
          name: %s
          autoScalingGroupProvider: {autoScalingGroupArn: %s, managedDraining: ENABLED}
          tags: {team: demo}
          """.formatted(awsName, group(awsName));
    }

    @Override
    void createInAws(String awsName, String ownerTag) {
      String group = group(awsName);
      aws.ecs().createCapacityProvider(r -> r.name(awsName).autoScalingGroupProvider(a -> a
          .autoScalingGroupArn(group).managedDraining("DISABLED")).tags(ecsTags(legacyTags(ownerTag))));
    }

    @Override
    String differingField() {
      return "autoScalingGroupProvider";
    }

    /** The provider while ACTIVE (a deleted one is still described, INACTIVE). */
    private software.amazon.awssdk.services.ecs.model.CapacityProvider describe(String awsName) {
      return aws.ecs().describeCapacityProviders(r -> r.capacityProviders(awsName)
          .include(software.amazon.awssdk.services.ecs.model.CapacityProviderField.TAGS)).capacityProviders().stream()
          .filter(p -> "ACTIVE".equals(p.statusAsString())).findFirst().orElse(null);
    }

    @Override
    String state(String awsName) {
      var p = describe(awsName);
      return p == null ? null : "managedDraining=" + p.autoScalingGroupProvider().managedDrainingAsString() + " "
          + userTags(fromEcs(p.tags()));
    }

    @Override
    Map<String, String> owners(String awsName) {
      var p = describe(awsName);
      return p == null ? Map.of() : Map.of(awsName, fromEcs(p.tags()).getOrDefault(OWNER_TAG, ""));
    }

    @Override
    String ownerTag(String awsName) {
      var p = describe(awsName);
      return p == null ? null : fromEcs(p.tags()).get(OWNER_TAG);
    }

    @Override
    String statusArnField() {
      return "capacityProviderArn";
    }

    @Override
    String arn(String awsName) {
      return describe(awsName).capacityProviderArn();
    }
  }

  // ---- identity-owned kinds: AWS holds no owner (owners: "" for an existing resource; ownerTag: none) --------------

  /** What an identity-owned kind's fixture answers of owners: the resource exists, or not. */
  abstract static class IdentityOwned extends KindFixture {
    IdentityOwned(AwsTestClients aws) {
      super(aws);
    }

    @Override
    Map<String, String> owners(String awsName) {
      return state(awsName) == null ? Map.of() : Map.of(awsName, "");
    }

    @Override
    String ownerTag(String awsName) {
      return null;
    }

    /** The registry id ECR reports, which status.registryId shows. */
    @Override
    String statusArnField() {
      return "registryId";
    }
  }

  // ---- EcrPullThroughCacheRule: an ECR upstream (no secret needed), differing in its role --------------------------

  static final class PullThroughCacheRules extends IdentityOwned {
    private static final String UPSTREAM = "210987654321.dkr.ecr.us-east-1.amazonaws.com";
    private static final String ROLE = "arn:aws:iam::123456789012:role/";

    PullThroughCacheRules(AwsTestClients aws) {
      super(aws);
    }

    @Override
    String kind() {
      return "EcrPullThroughCacheRule";
    }

    @Override
    String spec(String awsName) {
      return "ecrRepositoryPrefix: %s\nupstreamRegistry: ecr\nupstreamRegistryUrl: %s\ncustomRoleArn: %sdemo\n"
          .formatted(awsName, UPSTREAM, ROLE);
    }

    @Override
    void createInAws(String awsName, String ownerTag) {
      aws.ecr().createPullThroughCacheRule(r -> r.ecrRepositoryPrefix(awsName).upstreamRegistry("ecr")
          .upstreamRegistryUrl(UPSTREAM).customRoleArn(ROLE + "legacy"));
    }

    @Override
    String differingField() {
      return "customRoleArn";
    }

    private software.amazon.awssdk.services.ecr.model.PullThroughCacheRule describe(String awsName) {
      try {
        return aws.ecr().describePullThroughCacheRules(r -> r.ecrRepositoryPrefixes(awsName)).pullThroughCacheRules()
            .get(0);
      } catch (software.amazon.awssdk.services.ecr.model.PullThroughCacheRuleNotFoundException e) {
        return null;
      }
    }

    @Override
    String state(String awsName) {
      var rule = describe(awsName);
      return rule == null ? null : rule.upstreamRegistryUrl() + " customRoleArn=" + rule.customRoleArn();
    }

    @Override
    String arn(String awsName) {
      return describe(awsName).registryId();
    }
  }

  // ---- EcrRepositoryCreationTemplate: differing in its description and the tags of its repositories ---------------

  static final class CreationTemplates extends IdentityOwned {
    CreationTemplates(AwsTestClients aws) {
      super(aws);
    }

    @Override
    String kind() {
      return "EcrRepositoryCreationTemplate";
    }

    @Override
    String spec(String awsName) {
      return "prefix: %s\nappliedFor: [REPLICATION]\ndescription: demo\nresourceTags: {team: demo}\n"
          .formatted(awsName);
    }

    @Override
    void createInAws(String awsName, String ownerTag) {
      aws.ecr().createRepositoryCreationTemplate(r -> r.prefix(awsName).appliedForWithStrings("REPLICATION")
          .description("legacy").resourceTags(software.amazon.awssdk.services.ecr.model.Tag.builder().key("team")
              .value("legacy").build()));
    }

    @Override
    String differingField() {
      return "description";
    }

    private software.amazon.awssdk.services.ecr.model.RepositoryCreationTemplate describe(String awsName) {
      return aws.ecr().describeRepositoryCreationTemplates(r -> r.prefixes(awsName)).repositoryCreationTemplates()
          .stream().filter(t -> awsName.equals(t.prefix())).findFirst().orElse(null);
    }

    @Override
    String state(String awsName) {
      var t = describe(awsName);
      if (t == null) {
        return null;
      }
      Map<String, String> tags = new TreeMap<>();
      t.resourceTags().forEach(tag -> tags.put(tag.key(), tag.value()));
      return t.appliedForAsStrings() + " description=" + t.description() + " " + tags;
    }

    @Override
    String arn(String awsName) {
      return aws.ecr().describeRepositoryCreationTemplates(r -> r.prefixes(awsName)).registryId();
    }
  }
}
