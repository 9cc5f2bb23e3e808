package io.ecsbridge.contract;

import io.ecsbridge.kinds.ecr.RepositoryShape;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbridge.api.v1alpha1.EcrRepositorySpec;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import org.junit.jupiter.api.Test;

/** The rules every kind's shape shares. */
class ShapeTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void onlyWhatTheSpecModelCanSayIsKeptOfALiveValue() throws NoSuchFieldException {
    JsonNode live = json("""
        {"maximumPercent": 200, "notInTheModel": "ROLLING", "neitherThis": 0,
         "alarms": {"alarmNames": ["a"], "enable": true, "rollback": false, "extra": 1},
         "norThese": [{"hookTargetArn": "x"}]}
        """);
    assertThat(Shape.project(live, EcsServiceSpec.class.getField("deploymentConfiguration").getGenericType()))
        .isEqualTo(json("{\"maximumPercent\": 200, \"alarms\": {\"alarmNames\": [\"a\"], \"enable\": true, "
            + "\"rollback\": false}}"));
    assertThat(Shape.project(json("[{\"containerName\": \"web\", \"notInTheModel\": {}}]"),
        EcsServiceSpec.class.getField("loadBalancers").getGenericType()))
        .as("through lists").isEqualTo(json("[{\"containerName\": \"web\"}]"));
    JsonNode policy = json("{\"Version\": \"2012-10-17\", \"Statement\": [], \"Anything\": 1}");
    assertThat(Shape.project(policy, EcrRepositorySpec.class.getField("repositoryPolicy").getGenericType()))
        .as("a document is kept whole").isEqualTo(policy);
    assertThat(Shape.project(json("{\"team\": \"a\"}"), EcrRepositorySpec.class.getField("tags").getGenericType()))
        .as("a map is kept whole").isEqualTo(json("{\"team\": \"a\"}"));
  }

  @Test
  void nullEmptyAndAbsentAreOneAndNumbersCompareAsNumbers() {
    assertThat(Shape.clean(json("{\"a\": null, \"b\": [], \"c\": {}, \"d\": \"\", \"e\": [{}, null]}"))).isNull();
    assertThat(Shape.clean(json("{\"n\": 3}")).get("n").isLong()).as("an int is a long").isTrue();
    JsonNode document = Shape.longs(json("[1, {\"b\": 2}, \"\", {}]"));
    assertThat(document.get(0).isLong() && document.get(1).get("b").isLong()).isTrue();
    assertThat(document.get(2).asText()).as("a document's numbers change, nothing else").isEmpty();
    assertThat(document.get(3).isEmpty()).isTrue();
  }

  @Test
  void setsAreSortedByTheirKeysNumbersNumerically() {
    assertThat(Shape.sortBy(json("[{\"p\": 10}, {\"p\": 9}, {}, {\"p\": 9, \"q\": 1}]"), "p"))
        .as("absent first, then by whole JSON on a tie")
        .isEqualTo(json("[{}, {\"p\": 9, \"q\": 1}, {\"p\": 9}, {\"p\": 10}]"));
  }

  @Test
  void theCreateRequestIsTheSpecsAwsFieldsAsWritten() {
    var shape = RepositoryShape.SHAPE;
    var spec = ShapeContract.spec(EcrRepositorySpec.class, """
        repositoryName: app
        region: eu-west-1
        managementPolicy: Adopt
        forceDelete: true
        tags: {team: a}
        imageScanningConfiguration: {}
        encryptionConfiguration: {encryptionType: KMS}
        lifecyclePolicy: {rules: [{rulePriority: 1, selection: {tagStatus: any, countType: imageCountMoreThan, countNumber: 1}}]}
        """);
    assertThat(shape.request(spec)).as("no identity, Kubernetes-only field, document or empty value")
        .isEqualTo(json("{\"encryptionConfiguration\": {\"encryptionType\": \"KMS\"}}"));
  }
}
