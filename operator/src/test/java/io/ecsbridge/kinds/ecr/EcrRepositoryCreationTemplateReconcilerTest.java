package io.ecsbridge.kinds.ecr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.ecsbridge.api.v1alpha1.EcrRepositoryCreationTemplate;
import io.ecsbridge.aws.CreationTemplateGateway;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the template's reconciler refuses before reading AWS. */
class EcrRepositoryCreationTemplateReconcilerTest {
  /** No AWS call may happen: every one fails the test. */
  private final CreationTemplateGateway none = mock(CreationTemplateGateway.class, invocation -> {
    throw new AssertionError("AWS called: " + invocation.getMethod().getName());
  });
  private final EcrRepositoryCreationTemplateReconciler reconciler = new EcrRepositoryCreationTemplateReconciler(
      new OperatorContext(mock(EventRecorder.class), Clock.systemUTC(), "op", Duration.ofMinutes(10),
          OperatorContext.DEFAULT_STALLED_RECHECK, new io.ecsbridge.status.InMemoryStatusWriter()),
      none, region -> "eu-west-1");

  private static EcrRepositoryCreationTemplate template(String spec) {
    return new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepositoryCreationTemplate
        metadata: {name: t, namespace: ns, generation: 1, uid: u1}
        spec:
        %s
        """.formatted(("prefix: prod\nappliedFor: [REPLICATION]\n" + spec).indent(2)),
        EcrRepositoryCreationTemplate.class);
  }

  private static String policy(int sidLength) {
    return "repositoryPolicy: {Statement: [{Sid: '" + "s".repeat(sidLength) + "', Effect: Allow, Principal: '*', "
        + "Action: 'ecr:BatchGetImage'}]}";
  }

  @Test
  void aPolicyOverEcrsLimitIsStalledBeforeAnyAwsCall() {
    Health health = reconciler.precheck(template(policy(10_240))).orElseThrow();
    assertThat(health.reason()).isEqualTo("PolicyTooLarge");
    assertThat(health.message()).contains("repositoryPolicy is", "at most 10240");
    assertThat(reconciler.precheck(template(policy(10_000)))).isEmpty();
    assertThat(reconciler.precheck(template(""))).isEmpty();
  }

  @Test
  void aLifecyclePolicyOverEcrsLimitIsStalledToo() {
    StringBuilder rules = new StringBuilder("lifecyclePolicy: {rules: [");
    for (int i = 1; i <= 50; i++) {
      rules.append("{rulePriority: ").append(i).append(", description: '").append("d".repeat(256))
          .append("', selection: {tagStatus: tagged, tagPrefixList: ['").append("p".repeat(300))
          .append("'], countType: imageCountMoreThan, countNumber: 1}},");
    }
    Health health = reconciler.precheck(template(rules + "]}")).orElseThrow();
    assertThat(health.message()).contains("lifecyclePolicy is", "at most 30720");
  }
}
