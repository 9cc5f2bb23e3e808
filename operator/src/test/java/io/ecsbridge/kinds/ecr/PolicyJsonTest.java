package io.ecsbridge.kinds.ecr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyJsonTest {

  private static boolean sameIam(String a, String b) {
    return PolicyJson.canonicalIamPolicy(PolicyJson.parse(a)).equals(PolicyJson.canonicalIamPolicy(PolicyJson.parse(b)));
  }

  @Test
  void iamPoliciesWrittenDifferentlyAreEqual() {
    String mine = """
        {"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},
         "Action":"ecr:BatchGetImage"}}""";
    String ecrs = """
        {"Statement":[{"Action":["ecr:BatchGetImage"],"Principal":{"AWS":["arn:aws:iam::1:root"]},
         "Effect":"Allow"}],"Version":"2012-10-17"}""";
    assertThat(sameIam(mine, ecrs)).isTrue();
  }

  @Test
  void actionOrderAndStatementOrderDoNotMatter() {
    assertThat(sameIam(
        "{\"Statement\":[{\"Sid\":\"a\",\"Action\":[\"x\",\"y\"]},{\"Sid\":\"b\",\"Action\":\"z\"}]}",
        "{\"Statement\":[{\"Sid\":\"b\",\"Action\":[\"z\"]},{\"Sid\":\"a\",\"Action\":[\"y\",\"x\"]}]}")).isTrue();
  }

  @Test
  void aRealDifferenceIsSeen() {
    assertThat(sameIam("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"x\"}]}",
        "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"x\"}]}")).isFalse();
    assertThat(sameIam("{\"Statement\":[{\"Action\":[\"x\",\"y\"]}]}", "{\"Statement\":[{\"Action\":\"x\"}]}"))
        .isFalse();
  }

  @Test
  void lifecyclePoliciesCompareByPriorityWithDefaultAction() {
    var a = PolicyJson.canonicalLifecyclePolicy(PolicyJson.parse("""
        {"rules":[{"rulePriority":2,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5}},
                  {"rulePriority":1,"description":"","selection":{"tagStatus":"tagged","tagPrefixList":["b","a"],
                   "countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"""));
    var b = PolicyJson.canonicalLifecyclePolicy(PolicyJson.parse("""
        {"rules":[{"rulePriority":1,"selection":{"countNumber":1,"countType":"imageCountMoreThan",
                   "tagPrefixList":["a","b"],"tagStatus":"tagged"},"action":{"type":"expire"}},
                  {"rulePriority":2,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},
                   "action":{"type":"expire"}}]}"""));
    assertThat(a).isEqualTo(b);
  }

  @Test
  void absentPolicyIsNull() {
    assertThat(PolicyJson.parse(null)).isNull();
    assertThat(PolicyJson.parse("  ")).isNull();
  }
}
