package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbridge.api.v1alpha1.EcrRepositoryCreationTemplate;
import io.ecsbridge.api.v1alpha1.EcrRepositoryCreationTemplateSpec;
import io.ecsbridge.api.v1alpha1.EcrRepositoryCreationTemplateSpec.AppliedFor;
import io.ecsbridge.api.v1alpha1.EcrRepositorySpec;
import io.ecsbridge.api.v1alpha1.EcrRepositorySpec.ImageTagMutability;
import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.Event;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.RepositoryCreationTemplate;
import software.amazon.awssdk.services.ecr.model.Tag;

/**
 * EcrRepositoryCreationTemplate end to end against the real API server and moto with the project's extension
 * (ecsbridge_ecr_registry.py): create, every updatable member changed in one UpdateRepositoryCreationTemplate and then
 * removed, drift put back, in-sync resyncs that only read, deletion; both sides checked.
 */
class EcrRepositoryCreationTemplateIT extends OperatorIT {
  private static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private RepositoryCreationTemplate template(String prefix) {
    return aws.ecr().describeRepositoryCreationTemplates(r -> r.prefixes(prefix)).repositoryCreationTemplates()
        .stream().filter(t -> prefix.equals(t.prefix())).findFirst().orElse(null);
  }

  private static EcrRepositorySpec.ImageTagMutabilityExclusionFilter filter(String filter) {
    var f = new EcrRepositorySpec.ImageTagMutabilityExclusionFilter();
    f.filterType = EcrRepositorySpec.ExclusionFilterType.WILDCARD;
    f.filter = filter;
    return f;
  }

  private static EcrRepositoryCreationTemplateSpec.EncryptionConfiguration kms(String key) {
    var e = new EcrRepositoryCreationTemplateSpec.EncryptionConfiguration();
    e.encryptionType = io.ecsbridge.api.v1alpha1.EcrRepositorySpec.EncryptionType.KMS;
    e.kmsKey = key;
    return e;
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Map<String, String> tags(RepositoryCreationTemplate t) {
    return t.resourceTags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
  }

  @Test
  void createUpdateEveryMemberRemoveThemDriftInSyncResyncsAndDelete() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s")); // drift made in AWS is seen on the next resync
    EcrRepositoryCreationTemplate cr = create(resource(EcrRepositoryCreationTemplate.class, "prod", """
        prefix: prod
        appliedFor: [PULL_THROUGH_CACHE]
        imageTagMutability: IMMUTABLE
        lifecyclePolicy:
          rules:
          - rulePriority: 1
            selection: {tagStatus: untagged, countType: imageCountMoreThan, countNumber: 5}
        resourceTags: {team: platform}
        """));
    EcrRepositoryCreationTemplate ready = awaitReady(EcrRepositoryCreationTemplate.class, "prod");
    RepositoryCreationTemplate live = template("prod");
    assertThat(live.appliedForAsStrings()).containsExactly("PULL_THROUGH_CACHE");
    assertThat(live.imageTagMutabilityAsString()).isEqualTo("IMMUTABLE");
    assertThat(live.lifecyclePolicy()).contains("\"countNumber\":5");
    assertThat(tags(live)).isEqualTo(Map.of("team", "platform"));
    assertThat(ready.getStatus().registryId).matches("[0-9]{12}");
    assertThat(ready.getStatus().createdAt).isEqualTo(live.createdAt().toString());
    assertThat(ready.getStatus().ownedIdentity).isEqualTo(ready.getStatus().registryId + ":us-east-1:prod");
    assertThat(hasEvent(ready, "Created")).isTrue();

    // every updatable member at once: one UpdateRepositoryCreationTemplate
    double updates = awsCalls("ecr", "UpdateRepositoryCreationTemplate");
    edit(cr, r -> {
      var s = r.getSpec();
      s.description = "the prod repositories";
      s.appliedFor = java.util.List.of(AppliedFor.REPLICATION,
          AppliedFor.PULL_THROUGH_CACHE, AppliedFor.CREATE_ON_PUSH);
      s.imageTagMutability = ImageTagMutability.IMMUTABLE_WITH_EXCLUSION;
      s.imageTagMutabilityExclusionFilters = java.util.List.of(filter("latest*"));
      s.encryptionConfiguration = kms(KEY);
      s.lifecyclePolicy.rules.get(0).selection.countNumber = 7;
      s.repositoryPolicy = json("{\"Version\": \"2012-10-17\", \"Statement\": "
          + "[{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [\"ecr:BatchGetImage\"]}]}");
      s.resourceTags = Map.of("team", "payments", "cost", "a");
      s.customRoleArn = "arn:aws:iam::123456789012:role/ecr-templates";
      return r;
    });
    eventually().until(() -> "the prod repositories".equals(template("prod").description()));
    live = template("prod");
    // CREATE_ON_PUSH is newer than SDK 2.39.6's enum: it travels as the string ECR's API takes
    assertThat(live.appliedForAsStrings()).containsExactlyInAnyOrder("REPLICATION", "PULL_THROUGH_CACHE",
        "CREATE_ON_PUSH");
    assertThat(live.imageTagMutabilityAsString()).isEqualTo("IMMUTABLE_WITH_EXCLUSION");
    assertThat(live.imageTagMutabilityExclusionFilters()).singleElement()
        .satisfies(f -> assertThat(f.filter()).isEqualTo("latest*"));
    assertThat(live.encryptionConfiguration().encryptionTypeAsString()).isEqualTo("KMS");
    assertThat(live.encryptionConfiguration().kmsKey()).isEqualTo(KEY);
    assertThat(live.lifecyclePolicy()).contains("\"countNumber\":7");
    assertThat(live.repositoryPolicy()).contains("ecr:BatchGetImage");
    assertThat(tags(live)).isEqualTo(Map.of("team", "payments", "cost", "a"));
    assertThat(live.customRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/ecr-templates");
    awaitReady(EcrRepositoryCreationTemplate.class, "prod");
    assertThat(awsCalls("ecr", "UpdateRepositoryCreationTemplate")).as("one update for all").isEqualTo(updates + 1);
    assertThat(events(get(EcrRepositoryCreationTemplate.class, "prod"))).filteredOn(e -> "Updated".equals(
        e.getReason())).extracting(Event::getMessage).anyMatch(m -> m.contains("description") && m.contains(
            "customRoleArn") && m.contains("lifecyclePolicy"));

    // removed from the spec: removed from the template
    edit(get(EcrRepositoryCreationTemplate.class, "prod"), r -> {
      var s = r.getSpec();
      s.description = null;
      s.imageTagMutability = ImageTagMutability.MUTABLE;
      s.imageTagMutabilityExclusionFilters = null;
      s.encryptionConfiguration = null;
      s.lifecyclePolicy = null;
      s.repositoryPolicy = null;
      s.resourceTags = null;
      s.customRoleArn = null;
      return r;
    });
    eventually().until(() -> template("prod").description() == null);
    live = template("prod");
    assertThat(live.imageTagMutabilityAsString()).isEqualTo("MUTABLE");
    assertThat(live.imageTagMutabilityExclusionFilters()).isEmpty();
    assertThat(live.encryptionConfiguration().encryptionTypeAsString()).isEqualTo("AES256");
    assertThat(live.lifecyclePolicy()).isNull();
    assertThat(live.repositoryPolicy()).isNull();
    assertThat(live.resourceTags()).isEmpty();
    assertThat(live.customRoleArn()).isNull();
    awaitReady(EcrRepositoryCreationTemplate.class, "prod");

    // drift made in AWS is put back
    aws.ecr().updateRepositoryCreationTemplate(r -> r.prefix("prod").description("changed by hand")
        .imageTagMutability("IMMUTABLE"));
    eventually().until(() -> template("prod").description() == null
        && "MUTABLE".equals(template("prod").imageTagMutabilityAsString())
        && hasEvent(get(EcrRepositoryCreationTemplate.class, "prod"), "DriftCorrected"));

    // in-sync resyncs read one template and write nothing
    awaitReady(EcrRepositoryCreationTemplate.class, "prod");
    double writes = awsWrites();
    double describes = awsCalls("ecr", "DescribeRepositoryCreationTemplates");
    double reads = awsCalls("ecr", null) - writes;
    eventually().until(() -> awsCalls("ecr", "DescribeRepositoryCreationTemplates") >= describes + 3);
    double resyncs = awsCalls("ecr", "DescribeRepositoryCreationTemplates") - describes;
    assertThat(awsWrites()).as("write calls during in-sync resyncs").isEqualTo(writes);
    double readsPerResync = (awsCalls("ecr", null) - awsWrites() - reads) / resyncs;
    System.out.printf("AWS calls per in-sync EcrRepositoryCreationTemplate resync: %.1f reads, 0 writes (%d "
        + "resyncs)%n", readsPerResync, (long) resyncs);
    assertThat(readsPerResync).isEqualTo(1.0);

    // deletion removes the template
    k8s.resource(get(EcrRepositoryCreationTemplate.class, "prod")).delete();
    eventually().until(() -> get(EcrRepositoryCreationTemplate.class, "prod") == null);
    assertThat(template("prod")).isNull();
    assertThat(events(cr)).anyMatch(e -> "Deleted".equals(e.getReason()));
  }
}
