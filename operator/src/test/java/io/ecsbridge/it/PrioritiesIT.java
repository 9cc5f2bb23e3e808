package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Priorities (issue 14): a person's change never waits behind periodic resyncs, and the start-up pass reads each
 * resource once. Judged by the operator's own AWS call counter, never by the clock.
 */
class PrioritiesIT extends EcsServiceFixtures {

  private double reads(String service, String operation) {
    return awsCalls(service, operation);
  }

  /** Waits until the operator's AWS calls stop for {@code quiet} (nothing left to do), and returns their count. */
  private double quiescent(Duration quiet) {
    double[] last = {-1};
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).during(quiet).until(() -> {
      double now = awsCalls(null, null);
      boolean same = now == last[0];
      last[0] = now;
      return same;
    });
    return last[0];
  }

  /**
   * 30 repositories in sync resyncing every 15 s on an ECR budget of 4 calls/s (burst 8, reserve 2): a full resync
   * (5 reads each, 150 calls) takes 37 s of the budget, so resyncs saturate it for good. A spec change made then reaches
   * AWS after a few calls of others, not after the resync backlog; drift made on every repository is corrected by
   * each one's resync (nothing stuck behind deferrals), each once; deferrals per resource stay few (no hot loop).
   */
  @Test
  void aChangeMadeUnderAFullResyncReachesAwsBeforeTheResyncBacklog() throws Exception {
    int m = 30;
    startOperator(s -> {
      s.put("ECSBRIDGE_AWS_RATE_LIMITS", "ecr=4:8");
      s.put("ECSBRIDGE_RESYNC_PERIOD", "15s");
    });
    for (int i = 0; i < m; i++) {
      create(resource(EcrRepository.class, "repo-" + i, "imageTagMutability: MUTABLE"));
    }
    for (int i = 0; i < m; i++) {
      awaitReady(EcrRepository.class, "repo-" + i);
    }
    double converged = awsWrites();
    // the resyncs saturate the budget: passes are deferred (or, without lanes, calls wait for tokens)
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
        .until(() -> deferred() > 0 || waited() > 0);
    assertThat(awsWrites()).as("in sync: resyncs write nothing").isEqualTo(converged);

    double before = awsCalls("ecr", null);
    EcrRepository target = get(EcrRepository.class, "repo-" + (m - 1));
    edit(target, r -> {
      ((EcrRepository) r).getSpec().imageScanningConfiguration =
          new io.ecsbridge.api.v1alpha1.EcrRepositorySpec.ImageScanningConfiguration();
      ((EcrRepository) r).getSpec().imageScanningConfiguration.scanOnPush = true;
      return r;
    });
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
        .until(() -> awsCalls("ecr", "PutImageScanningConfiguration") > 0);
    double between = awsCalls("ecr", null) - before - 1;
    System.out.printf("a change under a saturating resync: %.0f other ECR calls before its write (a full resync: "
        + "%d); resync passes deferred so far: %.0f%n", between, 5 * m, deferred());
    assertThat(aws.ecr().describeRepositories(r -> r.repositoryNames("repo-" + (m - 1))).repositories().get(0)
        .imageScanningConfiguration().scanOnPush()).isTrue();
    assertThat(between).as("the change waited for a few calls of others, not for the resync backlog")
        .isLessThan(5.0 * m / 5);

    // drift on every repository: each one's own resync must still come and correct it, once
    for (int i = 0; i < m; i++) {
      String name = "repo-" + i;
      aws.ecr().putImageTagMutability(r -> r.repositoryName(name)
          .imageTagMutability(software.amazon.awssdk.services.ecr.model.ImageTagMutability.IMMUTABLE));
    }
    double deferredBefore = deferred();
    await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() ->
        aws.ecr().describeRepositories().repositories().stream().allMatch(r ->
            r.imageTagMutability() == software.amazon.awssdk.services.ecr.model.ImageTagMutability.MUTABLE));
    double deferrals = deferred() - deferredBefore;
    System.out.printf("drift corrected on all %d repositories by their resyncs; %.0f deferrals meanwhile (%.1f per "
        + "repository)%n", m, deferrals, deferrals / m);
    assertThat(awsWrites()).as("each drift corrected once, the change written once")
        .isEqualTo(converged + 1 + m);
    assertThat(deferrals / m).as("deferrals per repository: paced, not a hot loop").isLessThan(10);
    assertThat(get(EcrRepository.class, "repo-" + (m - 1)).getStatus().getObservedGeneration()).isEqualTo(2L);
  }

  /**
   * 40 repositories in sync, the operator restarted on an ECR budget of 4 calls/s: its start-up pass (5 reads each,
   * 200 calls) takes 50 s of the budget, every pass queued at once. A repository created once the pass has begun is
   * created after a few calls of others, not at the end of the queue; the start-up pass still reads every repository
   * (once) and writes nothing.
   */
  @Test
  void aResourceCreatedDuringTheStartUpPassGoesFirst() throws Exception {
    int m = 40;
    for (int i = 0; i < m; i++) {
      create(resource(EcrRepository.class, "repo-" + i, "imageTagMutability: MUTABLE"));
    }
    for (int i = 0; i < m; i++) {
      awaitReady(EcrRepository.class, "repo-" + i);
    }
    quiescent(Duration.ofSeconds(2));
    startOperator(s -> s.put("ECSBRIDGE_AWS_RATE_LIMITS", "ecr=4:8"));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
        .until(() -> awsCalls("ecr", null) > 0); // the start-up pass has begun
    double before = awsCalls("ecr", null);
    create(resource(EcrRepository.class, "late", "imageTagMutability: MUTABLE"));
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
        .until(() -> awsCalls("ecr", "CreateRepository") > 0);
    double between = awsCalls("ecr", null) - before - awsCalls("ecr", "CreateRepository")
        - awsCalls("ecr", "DescribeRepositories") * 0; // every ECR call of others and of its own reads
    System.out.printf("a repository created under the start-up pass of %d: %.0f ECR calls before its "
        + "CreateRepository (the whole pass: %d)%n", m, between, 5 * m);
    assertThat(between).as("created after a few calls, not behind the start-up pass").isLessThan(m);
    awaitReady(EcrRepository.class, "late");
    // each start-up pass reads its repository's tags once (its DescribeRepositories may be shared with others:
    // RepositoryReadAhead; the new repository's creating pass reads no tags)
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
        .until(() -> awsCalls("ecr", "ListTagsForResource") >= m);
    quiescent(Duration.ofSeconds(3));
    System.out.printf("the start-up pass: %s, %.0f deferrals%n", callsByOperation(), deferred());
    // read together: a first pass reads the repositories not read yet ahead (ReadAhead.seed), and a pass deferred for
    // the budget may ride along while it waits (about one call per repository before: 40 to 42)
    assertThat(awsCalls("ecr", "DescribeRepositories")).as("the repositories read together, the new one too")
        .isLessThanOrEqualTo(m / 2.0);
    assertThat(awsCalls("ecr", "ListTagsForResource")).as("each repository's pass ran once").isLessThanOrEqualTo(m + 2);
    assertThat(awsWrites()).as("nothing written but the new repository").isEqualTo(
        awsCalls("ecr", "CreateRepository") + awsCalls("ecr", "PutLifecyclePolicy") + awsCalls("ecr", "TagResource")
            + awsCalls("ecr", "SetRepositoryPolicy") + awsCalls("ecr", "PutImageScanningConfiguration"));
    assertThat(deferred() / m).as("deferrals per repository: paced, not a hot loop").isLessThan(10);
    long[] passes = operator.reconciles().submittedAndUnlabeled();
    assertThat(passes[0]).as("JOSDK runs its reconciles on the operator's queue").isGreaterThanOrEqualTo(m);
    assertThat(passes[1]).as("and says which resource each is for (Metrics.reconcileCustomResource, then execute)")
        .isZero();
  }

  private double waited() {
    return operator.registry().find(io.ecsbridge.aws.AwsCallMeter.THROTTLE_WAIT).timers().stream()
        .mapToDouble(t -> t.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).sum();
  }

  private double deferred() {
    return operator.registry().find(io.ecsbridge.aws.AwsCallMeter.RESYNC_DEFERRED).counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }

  @Test
  void theStartUpPassReadsEachResourceOnce() throws Exception {
    int n = 30;
    create(resource(EcsCluster.class, "prod", "{}"));
    for (int i = 0; i < n; i++) {
      create(resource(EcrRepository.class, "repo-" + i, "{}"));
      create(resource(EcsTaskDefinition.class, "web-" + i, """
          requiresCompatibilities: [EC2]
          containerDefinitions:
          - {name: web, image: "nginx:1.27", memory: 128}
          """));
      create(resource(EcsService.class, "web-" + i, """
          clusterRef: {name: prod}
          taskDefinitionRef: {name: web-%d}
          desiredCount: 1
          launchType: EC2
          """.formatted(i)));
    }
    for (int i = 0; i < n; i++) {
      awaitReady(EcsService.class, "web-" + i);
      awaitReady(EcrRepository.class, "repo-" + i);
    }
    quiescent(Duration.ofSeconds(3));
    double writesBefore = awsWrites();
    assertThat(writesBefore).isPositive();

    // a restart with every resource in place and in sync, on a small ECS budget: the start-up pass lasts some seconds
    startOperator(s -> s.put("ECSBRIDGE_AWS_RATE_LIMITS", "ecs=5:10,ecr=5:10"));
    quiescent(Duration.ofSeconds(5));

    Map<String, Double> calls = callsByOperation();
    System.out.printf("the start-up pass of %d services, %d task definitions, %d repositories, 1 cluster: %s%n",
        n, n, n, calls);
    assertThat(awsWrites()).as("in sync: the start-up pass writes nothing").isZero();
    // DescribeServices batches up to 10 services of a cluster (BatchedReads), and a first pass reads the services not
    // read yet ahead (ReadAhead.seed: same namespace, same place in status): before, about one call per service
    assertThat(reads("ecs", "DescribeServices")).as("the services read together, 10 a call")
        .isBetween(Math.ceil(n / 10.0), n / 5.0);
    // DescribeRepositories likewise (up to 20 repositories a call: RepositoryReadAhead)
    assertThat(reads("ecr", "DescribeRepositories")).as("the repositories read together")
        .isBetween(Math.ceil(n / 20.0), n / 4.0);
    assertThat(reads("ecr", "ListTagsForResource")).as("each repository's pass ran once").isEqualTo(n);
    assertThat(reads("ecs", "DescribeClusters")).as("the cluster read once").isEqualTo(1);
  }
}
