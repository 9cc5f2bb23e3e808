package io.ecsbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's reading of /metrics and its quantiles (the rest of it runs in `make bench`, not in the tests). */
class AwsCallsTest {
  private static final String METRICS = """
      # HELP ecsbridge_aws_api_calls_total AWS API calls
      # TYPE ecsbridge_aws_api_calls_total counter
      ecsbridge_aws_api_calls_total{account="operator",error_code="none",operation="DescribeRepositories",outcome="ok",region="us-east-1",service="ecr"} 7.0
      ecsbridge_aws_api_calls_total{account="operator",error_code="ThrottlingException",operation="DescribeRepositories",outcome="throttled",region="us-east-1",service="ecr"} 1.0
      ecsbridge_aws_api_calls_total{account="operator",error_code="none",operation="CreateService",outcome="ok",region="us-east-1",service="ecs"} 2.0
      ecsbridge_aws_api_call_duration_seconds_count{account="operator",operation="CreateService",outcome="ok",region="us-east-1",service="ecs"} 2.0
      """;

  @Test
  void sumsEveryOutcomeByServiceAndOperation() {
    AwsCalls calls = AwsCalls.parse(METRICS);
    assertThat(calls.byOperation()).isEqualTo(Map.of("ecr:DescribeRepositories", 8.0, "ecs:CreateService", 2.0));
    assertThat(calls.reads()).isEqualTo(8.0);
    assertThat(calls.writes()).isEqualTo(2.0);
  }

  @Test
  void readsAnotherControllersCounterByItsOperationLabel() {
    String ack = """
        # TYPE ack_outbound_api_requests_total counter
        ack_outbound_api_requests_total{op_id="CreateRepository",op_type="CREATE",service="ecr"} 3
        ack_outbound_api_requests_total{op_id="DescribeRepositories",op_type="READ_MANY",service="ecr"} 9
        ack_outbound_api_requests_error_total{op_id="DescribeRepositories",service="ecr",status_code="400"} 2
        """;
    AwsCalls calls = AwsCalls.parse(ack, AckController.CALLS, AckController.OPERATION);
    assertThat(calls.byOperation()).isEqualTo(Map.of("ecr:CreateRepository", 3.0, "ecr:DescribeRepositories", 9.0));
    assertThat(AwsCalls.parse(ack).byOperation()).isEmpty();
  }

  @Test
  void subtractsAnEarlierReading() {
    AwsCalls later = AwsCalls.parse(METRICS);
    AwsCalls earlier = AwsCalls.parse(METRICS.replace("} 7.0", "} 3.0").replace("} 2.0", "} 0.0"));
    assertThat(later.minus(earlier).byOperation())
        .isEqualTo(Map.of("ecr:DescribeRepositories", 4.0, "ecs:CreateService", 2.0));
    assertThat(later.minus(later).total()).isZero();
  }

  @Test
  void operationsBelongToTheKindTheyServe() {
    assertThat(AwsCalls.kindOf("ecr:GetLifecyclePolicy")).isEqualTo(Workload.REPOSITORY);
    assertThat(AwsCalls.kindOf("ecs:DescribeClusters")).isEqualTo(Workload.CLUSTER);
    assertThat(AwsCalls.kindOf("ecs:RegisterTaskDefinition")).isEqualTo(Workload.TASK_DEFINITION);
    assertThat(AwsCalls.kindOf("ecs:DescribeServices")).isEqualTo(Workload.SERVICE);
    assertThat(AwsCalls.kindOf("sts:GetCallerIdentity")).isEqualTo("operator");
  }

  @Test
  void quantilesByNearestRank() {
    List<Double> values = List.of(5.0, 1.0, 4.0, 2.0, 3.0);
    assertThat(Report.quantile(values, 0.5)).isEqualTo(3.0);
    assertThat(Report.quantile(values, 0.99)).isEqualTo(5.0);
    assertThat(Report.quantile(List.of(), 0.5)).isNaN();
  }

  @Test
  void passesAreJosdksSuccessfulOnesByKindDeferralsApart() {
    String metrics = """
        operator_sdk_reconciliations_success_total{group="ecsbridge.io",kind="EcrRepository",version="v1alpha1"} 12.0
        operator_sdk_reconciliations_success_total{group="ecsbridge.io",kind="EcsService",version="v1alpha1"} 5.0
        operator_sdk_reconciliations_failed_total{group="ecsbridge.io",kind="EcsService",version="v1alpha1"} 3.0
        ecsbridge_resync_deferred_total{kind="EcrRepository",service="ecr"} 2.0
        ecsbridge_resync_deferred_total{kind="EcrRepository",service="ecs"} 1.0
        """;
    Passes passes = Passes.parse(metrics);
    assertThat(passes.byKind()).isEqualTo(Map.of("EcrRepository", 12.0, "EcsService", 5.0));
    assertThat(passes.deferred()).isEqualTo(3.0);
    Passes later = Passes.parse(metrics.replace("12.0", "20.0").replace("} 2.0", "} 4.0"));
    assertThat(later.minus(passes).byKind()).isEqualTo(Map.of("EcrRepository", 8.0, "EcsService", 0.0));
    assertThat(later.minus(passes).deferred()).isEqualTo(2.0);
    assertThat(passes.of("EcsCluster")).isZero();
  }
}
