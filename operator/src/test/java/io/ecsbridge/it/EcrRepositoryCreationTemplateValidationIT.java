package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.AdmissionIT;
import org.junit.jupiter.api.Test;

/** The real API server rejects invalid EcrRepositoryCreationTemplates at admission, with the CRD's own message. */
class EcrRepositoryCreationTemplateValidationIT extends AdmissionIT {
  private static final String BASE = "prefix: prod\nappliedFor: [PULL_THROUGH_CACHE]\n";

  EcrRepositoryCreationTemplateValidationIT() {
    super("EcrRepositoryCreationTemplate");
  }

  @Test
  void acceptsAFullTemplateAndRoot() {
    assertThat(apply("full", """
        prefix: prod/team
        description: repositories of the team
        appliedFor: [PULL_THROUGH_CACHE, REPLICATION]
        imageTagMutability: IMMUTABLE_WITH_EXCLUSION
        imageTagMutabilityExclusionFilters: [{filterType: WILDCARD, filter: 'latest*'}]
        encryptionConfiguration: {encryptionType: KMS, kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab'}
        lifecyclePolicy:
          rules: [{rulePriority: 1, selection: {tagStatus: untagged, countType: imageCountMoreThan, countNumber: 5}}]
        repositoryPolicy: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', Action: 'ecr:*'}]}
        resourceTags: {team: a}
        customRoleArn: arn:aws:iam::123456789012:role/ecr-templates
        """).getMetadata().getUid()).isNotBlank();
    apply("root", "prefix: ROOT\nappliedFor: [REPLICATION]");
  }

  @Test
  void exclusionFiltersGoWithTheWithExclusionSettingsOnly() {
    rejected("nofilters", BASE + "imageTagMutability: MUTABLE_WITH_EXCLUSION",
        "imageTagMutabilityExclusionFilters are required with imageTagMutability IMMUTABLE_WITH_EXCLUSION");
    rejected("filters", BASE + "imageTagMutability: IMMUTABLE\nimageTagMutabilityExclusionFilters: "
        + "[{filterType: WILDCARD, filter: x}]", "imageTagMutabilityExclusionFilters are required");
    rejected("filters-default", BASE + "imageTagMutabilityExclusionFilters: [{filterType: WILDCARD, filter: x}]",
        "imageTagMutabilityExclusionFilters are required");
    rejected("filter-chars", BASE + "imageTagMutability: IMMUTABLE_WITH_EXCLUSION\n"
        + "imageTagMutabilityExclusionFilters: [{filterType: WILDCARD, filter: 'a/b'}]", "filter");
    rejected("filter-many", BASE + "imageTagMutability: IMMUTABLE_WITH_EXCLUSION\n"
        + "imageTagMutabilityExclusionFilters: [" + "{filterType: WILDCARD, filter: x},".repeat(6) + "]",
        "imageTagMutabilityExclusionFilters");
  }

  @Test
  void appliedForIsRequiredWithEachScenarioOnce() {
    rejected("noapplied", "prefix: prod", "appliedFor");
    rejected("empty", "prefix: prod\nappliedFor: []", "appliedFor");
    rejected("twice", "prefix: prod\nappliedFor: [REPLICATION, REPLICATION]", "appliedFor lists each scenario once");
    rejected("unknown", "prefix: prod\nappliedFor: [CREATE_ON_PULL]", "appliedFor");
  }

  @Test
  void encryptionPrefixRoleAndTags() {
    rejected("kms-aes", BASE + "encryptionConfiguration: {encryptionType: AES256, "
        + "kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/abc'}", "kmsKey is only allowed with encryptionType KMS");
    rejected("kms-alias", BASE + "encryptionConfiguration: {encryptionType: KMS, kmsKey: alias/ecr}", "kmsKey");
    rejected("prefix", BASE.replace("prod", "Prod"), "prefix");
    rejected("role", BASE + "customRoleArn: ecr-templates", "customRoleArn must be an IAM role ARN");
    rejected("reserved", BASE + "resourceTags: {'ecsbridge.io/owner': x}",
        "tag keys starting with ecsbridge.io/ or aws: are reserved");
    rejected("aws", BASE + "resourceTags: {'AWS:x': y}", "tag keys starting with ecsbridge.io/ or aws: are reserved");
    rejected("longkey", BASE + "resourceTags: {'%s': y}".formatted("k".repeat(129)),
        "tag keys are 1 to 128 characters long");
    rejected("policy", BASE + "repositoryPolicy: {Version: '2012-10-17'}", "Statement");
    rejected("lifecycle", BASE + "lifecyclePolicy: {rules: [{rulePriority: 1, selection: {tagStatus: tagged, "
        + "countType: imageCountMoreThan, countNumber: 1}}]}", "tagStatus tagged needs tagPrefixList or tagPatternList");
  }

  @Test
  void thePrefixAndRegionAreImmutable() {
    apply("imm", BASE);
    rejected("imm", BASE.replace("prod", "dev"), "prefix is immutable");
    rejected("imm", BASE + "region: eu-west-1", "region is immutable");
    apply("imm", BASE + "description: changed\nencryptionConfiguration: {encryptionType: KMS}");
  }

  @Test
  void theSampleIsAccepted() throws Exception {
    var sample = k8s.getKubernetesSerialization().unmarshal(java.nio.file.Files.readString(io.ecsbridge.testing.Repo
        .root().resolve("samples/ecr-repository-creation-template.yaml")), io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
    sample.getMetadata().setNamespace(namespace);
    assertThat(k8s.resource(sample).create().getMetadata().getUid()).isNotBlank();
  }
}
