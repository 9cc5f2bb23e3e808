package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * DescribeClusters batched: many names a call, a missing cluster absent for its name only, the tags window that a
 * resync pass's raw-cluster check may use (never a person's pass, never across a write, never across identities).
 */
class BatchingClusterGatewayTest {
  private static final AwsIdentity TEAM_A = new AwsIdentity("team-a", "111111111111", null, null);
  private static final AwsIdentity TEAM_B = new AwsIdentity("team-b", "222222222222", null, null);
  private static final String OWNER = "ecsbridge.io/owner";
  private static final String REGION = "eu-west-1";

  private final FakeClusterGateway aws = new FakeClusterGateway();
  private final AtomicLong now = new AtomicLong();
  private final BatchingClusterGateway clusters = BatchingClusterGateway.of(aws, Duration.ofSeconds(30),
      Duration.ofSeconds(30), now::get);

  private <T> T resync(AwsIdentity as, java.util.function.Supplier<T> work) {
    return AwsScope.call(as, () -> Lanes.call("EcsService", Lanes.Lane.RESYNC, work));
  }

  private <T> T user(AwsIdentity as, java.util.function.Supplier<T> work) {
    return AwsScope.call(as, () -> Lanes.call("EcsService", Lanes.Lane.USER, work));
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aReadWithCompanionsIsOneCallAndAMissingClusterIsAbsentForItsNameOnly() {
    AwsScope.run(TEAM_A, () -> {
      aws.put("prod", Map.of());
      aws.put("stage", Map.of("team", "a"));
    });
    var prod = AwsScope.call(TEAM_A, () -> clusters.describe(REGION, "prod", List.of(
        new BatchedReads.Companion("gone", "7"), new BatchedReads.Companion("stage", "9"))));
    assertThat(prod).isPresent();
    assertThat(aws.describeCalls).containsExactly("111111111111 [prod, gone, stage]");
    assertThat(AwsScope.call(TEAM_A, () -> clusters.kept(REGION, "stage", "9"))).hasValueSatisfying(
        c -> assertThat(c).hasValueSatisfying(s -> assertThat(s.clusterName()).isEqualTo("stage")));
    assertThat(AwsScope.call(TEAM_A, () -> clusters.kept(REGION, "gone", "7"))).as("missing: absent, for gone only")
        .contains(java.util.Optional.empty());
    assertThat(aws.describes()).isEqualTo(1);
  }

  /**
   * A resync pass's raw-cluster check (an EcsService naming spec.cluster) reads through the same shared DescribeClusters
   * as EcsCluster passes: its budget admits or defers it before the call, never inside a call others joined.
   */
  @Test
  void aResyncPassItsBudgetDefersMakesNoCall() {
    AwsScope.run(TEAM_A, () -> aws.put("prod", Map.of()));
    aws.admission = new ResyncDeferred(new AwsBudgets.Key("team-a", REGION, "ecs"), Duration.ofSeconds(1));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> resync(TEAM_A, () -> clusters.tags(REGION, "prod")))
        .isInstanceOf(ResyncDeferred.class);
    assertThat(aws.describes()).as("deferred before DescribeClusters").isZero();
    aws.admission = null;
    assertThat(resync(TEAM_A, () -> clusters.tags(REGION, "prod"))).isEmpty();
    assertThat(aws.describes()).isEqualTo(1);
  }

  @Test
  void aResyncPassTakesTagsReadWithinTheWindowAndAPersonsPassReadsAfresh() {
    AwsScope.run(TEAM_A, () -> aws.put("shared", Map.of(OWNER, "op/team-b/shared")));
    assertThat(resync(TEAM_A, () -> clusters.tags(REGION, "shared"))).containsEntry(OWNER, "op/team-b/shared");
    assertThat(aws.describes()).isEqualTo(1);

    // N services on one cluster within the window: no other call
    for (int i = 0; i < 20; i++) {
      assertThat(resync(TEAM_A, () -> clusters.tags(REGION, "shared"))).containsEntry(OWNER, "op/team-b/shared");
    }
    assertThat(aws.describes()).isEqualTo(1);

    // a person's change reads afresh, and so does the check before a write
    user(TEAM_A, () -> clusters.tags(REGION, "shared"));
    assertThat(aws.describes()).isEqualTo(2);
    resync(TEAM_A, () -> clusters.freshTags(REGION, "shared"));
    assertThat(aws.describes()).isEqualTo(3);

    // past the window: read again
    advance(Duration.ofSeconds(31));
    resync(TEAM_A, () -> clusters.tags(REGION, "shared"));
    assertThat(aws.describes()).isEqualTo(4);
  }

  @Test
  void anOwnershipChangeMadeOutsideIsSeenOnceTheWindowIsOver() {
    AwsScope.run(TEAM_A, () -> aws.put("adoptable", Map.of()));
    assertThat(resync(TEAM_A, () -> clusters.tags(REGION, "adoptable"))).isEmpty();
    AwsScope.run(TEAM_A, () -> aws.put("adoptable", Map.of(OWNER, "op/team-b/adoptable"))); // adopted elsewhere
    advance(Duration.ofSeconds(29));
    assertThat(resync(TEAM_A, () -> clusters.tags(REGION, "adoptable"))).as("within the window").isEmpty();
    advance(Duration.ofSeconds(2));
    assertThat(resync(TEAM_A, () -> clusters.tags(REGION, "adoptable"))).containsEntry(OWNER, "op/team-b/adoptable");
  }

  @Test
  void aWriteToAClusterEndsItsWindowWhetherTheServicesNameItOrItsArn() {
    AwsScope.run(TEAM_A, () -> aws.put("prod", Map.of()));
    String arn = "arn:aws:ecs:eu-west-1:111111111111:cluster/prod";
    resync(TEAM_A, () -> clusters.tags(REGION, "prod"));
    resync(TEAM_A, () -> clusters.tags(REGION, arn));
    assertThat(aws.describes()).isEqualTo(2);

    // an EcsCluster adopts it (through the same gateway): tagged by ARN
    AwsScope.run(TEAM_A, () -> clusters.tag(REGION, arn, Map.of(OWNER, "op/team-b/prod")));
    assertThat(resync(TEAM_A, () -> clusters.tags(REGION, "prod"))).containsEntry(OWNER, "op/team-b/prod");
    assertThat(resync(TEAM_A, () -> clusters.tags(REGION, arn))).containsEntry(OWNER, "op/team-b/prod");
    assertThat(aws.describes()).isEqualTo(4);
  }

  @Test
  void aReadThatStartedBeforeAWriteEndedIsNotKept() {
    AwsScope.run(TEAM_A, () -> aws.put("prod", Map.of()));
    FakeClusterGateway slow = new FakeClusterGateway() {
      @Override
      public Map<String, java.util.Optional<software.amazon.awssdk.services.ecs.model.Cluster>> describeAll(
          String region, List<String> names) {
        var answers = aws.describeAll(region, names);
        advance(Duration.ofSeconds(1));
        clustersWrite.run(); // a write ends while the call is in flight
        return answers;
      }
    };
    BatchingClusterGateway racing = BatchingClusterGateway.of(slow, Duration.ofSeconds(30), Duration.ofSeconds(30),
        now::get);
    clustersWrite = () -> racing.update(REGION, software.amazon.awssdk.services.ecs.model.UpdateClusterRequest
        .builder().cluster("prod").build());
    resync(TEAM_A, () -> racing.tags(REGION, "prod"));
    clustersWrite = () -> {};
    resync(TEAM_A, () -> racing.tags(REGION, "prod"));
    assertThat(aws.describes()).as("the answer read across the write was not kept").isEqualTo(2);
  }

  private volatile Runnable clustersWrite = () -> {};

  @Test
  void twoIdentitiesNeverShareACallNorTags() {
    AwsScope.run(TEAM_A, () -> aws.put("prod", Map.of(OWNER, "op/team-a/prod")));
    AwsScope.run(TEAM_B, () -> aws.put("prod", Map.of(OWNER, "op/team-b/prod")));
    assertThat(resync(TEAM_A, () -> clusters.tags(REGION, "prod"))).containsEntry(OWNER, "op/team-a/prod");
    assertThat(resync(TEAM_B, () -> clusters.tags(REGION, "prod"))).containsEntry(OWNER, "op/team-b/prod");
    assertThat(aws.describeCalls).containsExactly("111111111111 [prod]", "222222222222 [prod]");
    // and a companion read in one account is never handed in the other
    AwsScope.call(TEAM_A, () -> clusters.describe(REGION, "x", List.of(new BatchedReads.Companion("prod", "1"))));
    assertThat(AwsScope.call(TEAM_B, () -> clusters.kept(REGION, "prod", "1"))).isEmpty();
  }

  @Test
  void describeAllGoesThroughTheBatchingItsAnswersServeTheTagsWindow() {
    AwsScope.run(TEAM_A, () -> aws.put("prod", Map.of(OWNER, "op/team-a/prod")));
    assertThat(AwsScope.call(TEAM_A, () -> clusters.describeAll(REGION, List.of("prod")))).containsKey("prod");
    assertThat(resync(TEAM_A, () -> clusters.tags(REGION, "prod"))).containsEntry(OWNER, "op/team-a/prod");
    assertThat(aws.describes()).as("no read beside the bookkeeping").isEqualTo(1);
  }
}
