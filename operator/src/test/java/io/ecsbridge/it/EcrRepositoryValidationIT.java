package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.AdmissionIT;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The real API server rejects invalid EcrRepositories at admission, with the CRD's own message. */
class EcrRepositoryValidationIT extends AdmissionIT {
  EcrRepositoryValidationIT() {
    super("EcrRepository");
  }


  private static String rule(String selection) {
    return """
        lifecyclePolicy:
          rules:
          - rulePriority: 1
            selection:
        %s
        """.formatted(selection.indent(6));
  }

  @Test
  void acceptsAFullValidSpec() {
    GenericKubernetesResource r = apply("valid", """
        repositoryName: team/app
        imageTagMutability: IMMUTABLE
        encryptionConfiguration: {encryptionType: KMS, kmsKey: alias/app}
        lifecyclePolicy:
          rules:
          - rulePriority: 1
            selection: {tagStatus: tagged, tagPrefixList: [v], countType: imageCountMoreThan, countNumber: 10}
          - rulePriority: 2
            selection: {tagStatus: any, countType: sinceImagePushed, countUnit: days, countNumber: 30}
        tags: {team: payments}
        """);
    assertThat(r.getMetadata().getUid()).isNotBlank();
    // defaults are filled by the API server, so GitOps tools see them in the stored object, not as a diff
    assertThat(r.getAdditionalProperties().get("spec").toString()).contains("managementPolicy=Managed",
        "deletionPolicy=Delete", "forceDelete=false");
  }

  @Test
  void tagMutabilityExclusionFiltersGoWithTheWithExclusionValuesOnly() {
    assertThat(apply("immutable-except", """
        imageTagMutability: IMMUTABLE_WITH_EXCLUSION
        imageTagMutabilityExclusionFilters: [{filter: latest}, {filter: "dev-*", filterType: WILDCARD}]
        """).getAdditionalProperties().get("spec").toString()).contains("{filter=latest, filterType=WILDCARD}");
    assertThat(apply("mutable-except", """
        imageTagMutability: MUTABLE_WITH_EXCLUSION
        imageTagMutabilityExclusionFilters: [{filter: "v*"}, {filter: a}, {filter: b}, {filter: c}, {filter: d}]
        """).getMetadata().getUid()).isNotBlank();
    rejected("needs-filters", "imageTagMutability: IMMUTABLE_WITH_EXCLUSION",
        "IMMUTABLE_WITH_EXCLUSION and MUTABLE_WITH_EXCLUSION need imageTagMutabilityExclusionFilters");
    rejected("needs-filters2", "imageTagMutability: MUTABLE_WITH_EXCLUSION",
        "IMMUTABLE_WITH_EXCLUSION and MUTABLE_WITH_EXCLUSION need imageTagMutabilityExclusionFilters");
    rejected("filters-refused", "imageTagMutability: IMMUTABLE\nimageTagMutabilityExclusionFilters: [{filter: x}]",
        "imageTagMutabilityExclusionFilters are only allowed with imageTagMutability");
    rejected("filters-default", "imageTagMutabilityExclusionFilters: [{filter: x}]",
        "imageTagMutabilityExclusionFilters are only allowed with imageTagMutability");
    String with = "imageTagMutability: IMMUTABLE_WITH_EXCLUSION\nimageTagMutabilityExclusionFilters: ";
    rejected("six", with + "[{filter: a}, {filter: b}, {filter: c}, {filter: d}, {filter: e}, {filter: f}]",
        "must have at most 5 items");
    rejected("none", with + "[]", "should have at least 1 items");
    rejected("pattern", with + "[{filter: 'a/b'}]", "should match");
    rejected("long", with + "[{filter: '" + "a".repeat(129) + "'}]", "should match");
    rejected("type", with + "[{filter: a, filterType: REGEX}]", "Unsupported value");
    rejected("unique", with + "[{filter: a}, {filter: a}]", "each imageTagMutabilityExclusionFilters filter must be unique");
    rejected("nofilter", with + "[{filterType: WILDCARD}]", "filter: Required value");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      bad-name       | repositoryName: Team_App                                                 | should match
      bad-mutability | imageTagMutability: SOMETIMES                                            | Unsupported value
      bad-region     | region: Mars                                                             | should match
      reserved-tag   | tags: {'ecsbridge.io/owner': x}                                          | tag keys starting with ecsbridge.io/ or aws: are reserved
      aws-tag        | tags: {'aws:cloudformation:stack-name': x}                               | are reserved
      kms-with-aes   | encryptionConfiguration: {encryptionType: AES256, kmsKey: alias/x}      | kmsKey is only allowed with encryptionType KMS
      """)
  void rejectsInvalidFields(String name, String spec, String message) {
    rejected(name, spec, message);
  }

  @Test
  void theSampleIsAccepted() throws Exception {
    String yaml = java.nio.file.Files.readString(io.ecsbridge.testing.Repo.root()
        .resolve("samples/ecr-repository.yaml"));
    GenericKubernetesResource sample = k8s.getKubernetesSerialization().unmarshal(yaml,
        GenericKubernetesResource.class);
    sample.getMetadata().setNamespace(namespace);
    assertThat(k8s.resource(sample).create().getMetadata().getUid()).isNotBlank();
  }

  @Test
  void tagsAtAwsLimitsAreAccepted() {
    // ECR documents no character set for tags: only the lengths are checked
    assertThat(apply("tags-at-limits", tagsAtAwsLimits(false)).getMetadata().getUid()).isNotBlank();
  }

  static Stream<Arguments> tagsAwsRefuses() {
    return AdmissionIT.tagsAwsRefuses(false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tagsAwsRefuses")
  void rejectsTagsAwsRefuses(String name, String tags, String message) {
    rejected(name, tags, message);
  }

  static Stream<Arguments> policiesThatAreNotPolicyObjects() {
    return Stream.of(
        Arguments.of("policy-string", "repositoryPolicy: '{\"Version\": \"2012-10-17\", \"Statement\": []}'",
            "must be of type object"),
        Arguments.of("policy-list", "repositoryPolicy: [{Effect: Allow}]", "must be of type object"),
        Arguments.of("policy-number", "repositoryPolicy: 42", "must be of type object"),
        Arguments.of("policy-bool", "repositoryPolicy: true", "must be of type object"),
        Arguments.of("policy-empty", "repositoryPolicy: {}", "Required value"),
        Arguments.of("policy-no-statement", "repositoryPolicy: {Version: '2012-10-17'}", "Required value"),
        Arguments.of("policy-version", "repositoryPolicy: {Version: '2020-01-01', Statement: []}",
            "repositoryPolicy Version is 2012-10-17 or 2008-10-17"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policiesThatAreNotPolicyObjects")
  void repositoryPolicyMustBeAPolicyObject(String name, String spec, String message) {
    rejected(name, spec, message);
  }

  @Test
  void anyPolicyObjectWithAStatementIsAccepted() {
    // a single statement object, an Id, unknown elements inside statements: IAM's grammar, kept as written
    GenericKubernetesResource r = apply("policy-ok", """
        repositoryPolicy:
          Version: "2008-10-17"
          Id: pull
          Statement: {Sid: a, Effect: Allow, Principal: "*", Action: "ecr:BatchGetImage",
                      Condition: {StringEquals: {"aws:PrincipalOrgID": o-1}}}
        """);
    assertThat(r.getAdditionalProperties().get("spec").toString()).contains("Condition=", "Id=pull");
  }

  @Test
  void rejectsDuplicateRulePriorities() {
    rejected("dup-priority", """
        lifecyclePolicy:
          rules:
          - rulePriority: 1
            selection: {tagStatus: untagged, countType: imageCountMoreThan, countNumber: 1}
          - rulePriority: 1
            selection: {tagStatus: untagged, countType: imageCountMoreThan, countNumber: 2}
        """, "rulePriority must be unique across rules");
  }

  @Test
  void rejectsAnyRuleThatIsNotLast() {
    rejected("any-first", """
        lifecyclePolicy:
          rules:
          - rulePriority: 1
            selection: {tagStatus: any, countType: imageCountMoreThan, countNumber: 1}
          - rulePriority: 2
            selection: {tagStatus: untagged, countType: imageCountMoreThan, countNumber: 2}
        """, "a rule with tagStatus any must have the highest rulePriority");
  }

  @Test
  void rejectsSinceImagePushedWithoutUnit() {
    rejected("no-unit", rule("{tagStatus: untagged, countType: sinceImagePushed, countNumber: 3}"),
        "countUnit is required with countType sinceImagePushed");
  }

  @Test
  void rejectsImageCountWithUnit() {
    rejected("unit", rule("{tagStatus: untagged, countType: imageCountMoreThan, countUnit: days, countNumber: 3}"),
        "not allowed with imageCountMoreThan");
  }

  @Test
  void rejectsPrefixesWithoutTagged() {
    rejected("prefix-untagged", rule("{tagStatus: untagged, tagPrefixList: [v], countType: imageCountMoreThan, "
        + "countNumber: 3}"), "tagPrefixList and tagPatternList are only allowed with tagStatus tagged");
  }

  @Test
  void rejectsTaggedWithoutPrefixes() {
    rejected("tagged-bare", rule("{tagStatus: tagged, countType: imageCountMoreThan, countNumber: 3}"),
        "tagStatus tagged needs tagPrefixList or tagPatternList");
  }

  @Test
  void rejectsBothPrefixAndPatternLists() {
    rejected("both-lists", rule("{tagStatus: tagged, tagPrefixList: [v], tagPatternList: ['v*'], "
        + "countType: imageCountMoreThan, countNumber: 3}"), "use either tagPrefixList or tagPatternList, not both");
  }

  @Test
  void repositoryNameIsImmutable() {
    apply("rename", "repositoryName: first");
    rejected("rename", "repositoryName: second", "repositoryName is immutable");
  }

  @Test
  void repositoryNameCannotBeAddedLater() {
    apply("add-name", "imageTagMutability: MUTABLE");
    rejected("add-name", "repositoryName: other", "repositoryName is immutable");
  }

  @Test
  void encryptionIsImmutable() {
    apply("enc", "encryptionConfiguration: {encryptionType: AES256}");
    rejected("enc", "encryptionConfiguration: {encryptionType: KMS}", "encryptionConfiguration is immutable");
  }

  @Test
  void encryptionCannotBeAddedLater() {
    apply("enc-add", "imageTagMutability: MUTABLE");
    rejected("enc-add", "encryptionConfiguration: {encryptionType: KMS}", "encryptionConfiguration is immutable");
  }

  @Test
  void regionIsImmutable() {
    apply("region", "region: eu-west-1");
    rejected("region", "region: us-east-2", "region is immutable");
  }

  @Test
  void regionCannotBeAddedLater() {
    apply("region-add", "imageTagMutability: MUTABLE");
    rejected("region-add", "region: us-east-2", "region is immutable");
  }
}
