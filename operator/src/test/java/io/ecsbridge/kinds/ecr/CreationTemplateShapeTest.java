package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Shape;
import io.ecsbridge.contract.ShapeContract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcrRepositoryCreationTemplate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryCreationTemplateRequest;
import software.amazon.awssdk.services.ecr.model.UpdateRepositoryCreationTemplateRequest;

/** EcrRepositoryCreationTemplate's mapping onto ECR: coverage of the spec, each member's comparison. */
class CreationTemplateShapeTest extends ShapeContract {
  private static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd";

  @Override
  protected Shape shape() {
    return CreationTemplateShape.SHAPE;
  }

  @Override
  protected Class<? extends HasMetadata> kind() {
    return EcrRepositoryCreationTemplate.class;
  }

  @Override
  protected String everyField() {
    return """
        region: eu-west-1
        managementPolicy: Adopt
        deletionPolicy: Retain
        accountRef: {name: team-a}
        prefix: prod/team
        description: the team's
        appliedFor: [REPLICATION, PULL_THROUGH_CACHE]
        imageTagMutability: IMMUTABLE_WITH_EXCLUSION
        imageTagMutabilityExclusionFilters: [{filterType: WILDCARD, filter: 'latest*'}]
        encryptionConfiguration: {encryptionType: KMS, kmsKey: '%s'}
        lifecyclePolicy:
          rules:
          - rulePriority: 1
            description: old
            selection: {tagStatus: tagged, tagPrefixList: [v], tagPatternList: ['v*'], countType: sinceImagePushed,
                        countUnit: days, countNumber: 5}
            action: {type: expire}
        repositoryPolicy: {Version: '2012-10-17', Id: p, Statement: [{Effect: Allow, Principal: '*', Action: 'ecr:*'}]}
        resourceTags: {team: a, app: b}
        customRoleArn: arn:aws:iam::123456789012:role/ecr-templates
        """.formatted(KEY);
  }

  @Override
  protected Supplier<SdkPojo> createRequest() {
    return CreateRepositoryCreationTemplateRequest::builder;
  }

  @Override
  protected List<Supplier<SdkPojo>> updateRequests() {
    return List.of(UpdateRepositoryCreationTemplateRequest::builder);
  }

  @Override
  protected Map<String, String> documents() {
    return Map.of("lifecyclePolicy", "UpdateRepositoryCreationTemplateRequest.lifecyclePolicy",
        "repositoryPolicy", "UpdateRepositoryCreationTemplateRequest.repositoryPolicy");
  }

  @Override
  protected Map<String, String> leftOut() {
    return Map.of();
  }

  @Override
  protected List<Case> cases() {
    String lifecycle = "{\"lifecyclePolicy\": {\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": "
        + "\"untagged\", \"countType\": \"imageCountMoreThan\", \"countNumber\": %d}, \"action\": {\"type\": "
        + "\"expire\"}}]}}";
    return List.of(
        new Case("description", "", "{\"description\": \"\"}", "{\"description\": \"x\"}"),
        new Case("appliedFor", "appliedFor: [REPLICATION, PULL_THROUGH_CACHE]",
            "{\"appliedFor\": [\"PULL_THROUGH_CACHE\", \"REPLICATION\"]}", "{\"appliedFor\": [\"REPLICATION\"]}"),
        new Case("imageTagMutability", "", "{\"imageTagMutability\": \"MUTABLE\"}",
            "{\"imageTagMutability\": \"IMMUTABLE\"}"),
        new Case("imageTagMutabilityExclusionFilters", "imageTagMutability: MUTABLE_WITH_EXCLUSION\n"
                + "imageTagMutabilityExclusionFilters: [{filterType: WILDCARD, filter: b}, {filterType: WILDCARD, "
                + "filter: a}]",
            "{\"imageTagMutability\": \"MUTABLE_WITH_EXCLUSION\", \"imageTagMutabilityExclusionFilters\": "
                + "[{\"filterType\": \"WILDCARD\", \"filter\": \"a\"}, {\"filterType\": \"WILDCARD\", \"filter\": "
                + "\"b\"}]}",
            "{\"imageTagMutability\": \"MUTABLE_WITH_EXCLUSION\", \"imageTagMutabilityExclusionFilters\": "
                + "[{\"filterType\": \"WILDCARD\", \"filter\": \"a\"}]}"),
        new Case("encryptionConfiguration", "encryptionConfiguration: {encryptionType: KMS}",
            "{\"encryptionConfiguration\": {\"encryptionType\": \"KMS\", \"kmsKey\": \"" + KEY + "\"}}",
            "{\"encryptionConfiguration\": {\"encryptionType\": \"AES256\"}}"),
        new Case("lifecyclePolicy", "lifecyclePolicy: {rules: [{rulePriority: 1, selection: {tagStatus: untagged, "
            + "countType: imageCountMoreThan, countNumber: 3}}]}", lifecycle.formatted(3), lifecycle.formatted(4)),
        new Case("repositoryPolicy", "repositoryPolicy: {Statement: {Effect: Allow, Principal: '*', "
                + "Action: ['ecr:B', 'ecr:A']}}",
            "{\"repositoryPolicy\": {\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": "
                + "[\"ecr:A\", \"ecr:B\"]}]}}",
            "{\"repositoryPolicy\": {\"Statement\": [{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": "
                + "[\"ecr:A\", \"ecr:B\"]}]}}"),
        new Case("resourceTags", "resourceTags: {team: a, app: b}",
            "{\"resourceTags\": [{\"Key\": \"team\", \"Value\": \"a\"}, {\"Key\": \"app\", \"Value\": \"b\"}]}",
            "{\"resourceTags\": [{\"Key\": \"team\", \"Value\": \"a\"}]}"),
        new Case("customRoleArn", "", "{}", "{\"customRoleArn\": \"arn:aws:iam::1:role/r\"}"));
  }

  @Test
  void theEncryptionDefaultIsAes256AndFiltersCountOnlyWithAnExclusionSetting() {
    assertThat(shape().differences(spec("appliedFor: [REPLICATION]"), json("{\"appliedFor\": [\"REPLICATION\"], "
        + "\"encryptionConfiguration\": {\"encryptionType\": \"AES256\"}, \"imageTagMutability\": \"MUTABLE\", "
        + "\"imageTagMutabilityExclusionFilters\": [{\"filterType\": \"WILDCARD\", \"filter\": \"a\"}]}"))).isEmpty();
  }

  @Test
  void resourceTagsAreSentAsEcrsListSortedByKey() {
    assertThat(shape().request(spec("resourceTags: {team: a, app: b}")).get("resourceTags")).isEqualTo(json(
        "[{\"Key\": \"app\", \"Value\": \"b\"}, {\"Key\": \"team\", \"Value\": \"a\"}]"));
  }
}
