package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Shape;
import io.ecsbridge.contract.ShapeContract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest;
import software.amazon.awssdk.services.ecr.model.PutImageScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.PutImageTagMutabilityRequest;
import software.amazon.awssdk.services.ecr.model.PutLifecyclePolicyRequest;
import software.amazon.awssdk.services.ecr.model.SetRepositoryPolicyRequest;

/** EcrRepository's mapping onto ECR: coverage of the spec, and each member's normalization against what ECR reports. */
class RepositoryShapeTest extends ShapeContract {

  @Override
  protected Shape shape() {
    return RepositoryShape.SHAPE;
  }

  @Override
  protected Class<? extends HasMetadata> kind() {
    return EcrRepository.class;
  }

  @Override
  protected String everyField() {
    return """
        region: eu-west-1
        managementPolicy: Managed
        deletionPolicy: Delete
        accountRef: {name: team-a}
        repositoryName: team/app
        imageTagMutability: IMMUTABLE_WITH_EXCLUSION
        imageTagMutabilityExclusionFilters: [{filterType: WILDCARD, filter: "latest"}, {filter: "dev-*"}]
        imageScanningConfiguration: {scanOnPush: true}
        encryptionConfiguration: {encryptionType: KMS, kmsKey: alias/ecr}
        lifecyclePolicy:
          rules:
          - rulePriority: 1
            description: old tagged images
            selection: {tagStatus: tagged, tagPrefixList: [v], countType: imageCountMoreThan, countNumber: 5}
            action: {type: expire}
          - rulePriority: 2
            selection: {tagStatus: tagged, tagPatternList: ["*-rc"], countType: sinceImagePushed, countUnit: days,
                        countNumber: 7}
        repositoryPolicy: {Version: "2012-10-17", Id: pull, Statement: [{Effect: Allow, Principal: "*", Action: "ecr:*"}]}
        tags: {team: a}
        forceDelete: true
        """;
  }

  @Override
  protected Supplier<SdkPojo> createRequest() {
    return CreateRepositoryRequest::builder;
  }

  @Override
  protected List<Supplier<SdkPojo>> updateRequests() {
    return List.of(PutImageTagMutabilityRequest::builder, PutImageScanningConfigurationRequest::builder,
        PutLifecyclePolicyRequest::builder, SetRepositoryPolicyRequest::builder);
  }

  @Override
  protected Map<String, String> documents() {
    return Map.of("lifecyclePolicy", "PutLifecyclePolicyRequest.lifecyclePolicyText",
        "repositoryPolicy", "SetRepositoryPolicyRequest.policyText");
  }

  @Override
  protected List<Case> cases() {
    return List.of(
        new Case("imageTagMutability", "", "{\"imageTagMutability\": \"MUTABLE\"}",
            "{\"imageTagMutability\": \"IMMUTABLE\"}"),
        new Case("imageTagMutability", "imageTagMutability: IMMUTABLE", "{\"imageTagMutability\": \"IMMUTABLE\"}",
            "{\"imageTagMutability\": \"MUTABLE\"}"),
        new Case("imageTagMutabilityExclusionFilters", """
            imageTagMutability: MUTABLE_WITH_EXCLUSION
            imageTagMutabilityExclusionFilters: [{filter: "v*"}, {filterType: WILDCARD, filter: "release-*"}]
            """, """
            {"imageTagMutability": "MUTABLE_WITH_EXCLUSION", "imageTagMutabilityExclusionFilters": [
              {"filterType": "WILDCARD", "filter": "release-*"}, {"filterType": "WILDCARD", "filter": "v*"}]}
            """, """
            {"imageTagMutability": "MUTABLE_WITH_EXCLUSION",
             "imageTagMutabilityExclusionFilters": [{"filterType": "WILDCARD", "filter": "v*"}]}
            """),
        new Case("imageTagMutabilityExclusionFilters", "imageTagMutability: IMMUTABLE",
            "{\"imageTagMutability\": \"IMMUTABLE\"}",
            "{\"imageTagMutability\": \"IMMUTABLE\", "
                + "\"imageTagMutabilityExclusionFilters\": [{\"filterType\": \"WILDCARD\", \"filter\": \"v*\"}]}"),
        new Case("imageScanningConfiguration", "", "{\"imageScanningConfiguration\": {\"scanOnPush\": false}}",
            "{\"imageScanningConfiguration\": {\"scanOnPush\": true}}"),
        new Case("imageScanningConfiguration", "imageScanningConfiguration: {}", "{}",
            "{\"imageScanningConfiguration\": {\"scanOnPush\": true}}"),
        new Case("lifecyclePolicy", """
            lifecyclePolicy:
              rules:
              - {rulePriority: 2, selection: {tagStatus: any, countType: imageCountMoreThan, countNumber: 9}}
              - rulePriority: 1
                description: ""
                selection: {tagStatus: tagged, tagPrefixList: [b, a], countType: imageCountMoreThan, countNumber: 3}
                action: {}
            """, """
            {"lifecyclePolicy": {"rules": [
              {"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["a", "b"],
               "countType": "imageCountMoreThan", "countNumber": 3}, "action": {"type": "expire"}},
              {"rulePriority": 2, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan",
               "countNumber": 9}, "action": {"type": "expire"}}]}}
            """, """
            {"lifecyclePolicy": {"rules": [
              {"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["a", "b"],
               "countType": "imageCountMoreThan", "countNumber": 3}, "action": {"type": "expire"}}]}}
            """),
        new Case("lifecyclePolicy", "", "{}", "{\"lifecyclePolicy\": {\"rules\": []}}"),
        new Case("repositoryPolicy", """
            repositoryPolicy: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: {AWS: [b, a]}, Action: x}}
            """, """
            {"repositoryPolicy": {"Statement": [{"Action": ["x"], "Principal": {"AWS": ["a", "b"]},
              "Effect": "Allow"}], "Version": "2012-10-17"}}
            """, """
            {"repositoryPolicy": {"Statement": [{"Action": ["x", "y"], "Principal": {"AWS": ["a", "b"]},
              "Effect": "Allow"}], "Version": "2012-10-17"}}
            """));
  }

  @Test
  void theEncryptionTypeIsComparedAndAes256WhenTheSpecSaysNone() {
    assertThat(RepositoryShape.encryptionType(spec(""))).isEqualTo("AES256");
    assertThat(RepositoryShape.encryptionType(spec("encryptionConfiguration: {}"))).isEqualTo("AES256");
    assertThat(RepositoryShape.encryptionType(spec("encryptionConfiguration: {encryptionType: KMS, kmsKey: alias/k}")))
        .isEqualTo(RepositoryShape.encryptionType(json(
            "{\"encryptionConfiguration\": {\"encryptionType\": \"KMS\", \"kmsKey\": \"arn:aws:kms:eu-west-1:1:key/k\"}}")))
        .isEqualTo("KMS");
  }

  @Test
  void theLifecyclePolicyIsSentCanonicalAndTheRepositoryPolicyAsWritten() {
    var spec = spec("""
        lifecyclePolicy:
          rules: [{rulePriority: 1, selection: {tagStatus: untagged, countType: imageCountMoreThan, countNumber: 3}}]
        repositoryPolicy: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: "*", Action: x}}
        """);
    assertThat(PolicyJson.write(shape().wanted("lifecyclePolicy", spec))).isEqualTo("{\"rules\":[{\"rulePriority\":1,"
        + "\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":3},"
        + "\"action\":{\"type\":\"expire\"}}]}");
    assertThat(PolicyJson.write(shape().wanted("repositoryPolicy", spec)))
        .isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"x\"}}");
  }
}
