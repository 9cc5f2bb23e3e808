package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.aws.BatchedReads;
import io.ecsbridge.aws.BatchingServiceGateway;
import io.ecsbridge.aws.FakeAutoScalingGateway;
import io.ecsbridge.aws.FakeServiceDeploymentGateway;
import io.ecsbridge.aws.FakeServiceGateway;
import io.ecsbridge.aws.Lanes;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.OwnerLookup;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.InMemoryStatusWriter;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A resync pass of an EcsService that took its description from a read made ahead for it, and that would write, reads
 * its service again first and writes from that read ({@link ServiceReadAhead}, {@code ReadAhead.readAgainBeforeWrite}).
 */
class ServiceReadAgainTest {
  private static final String REGION = "eu-west-1";

  private final FakeServiceGateway aws = new FakeServiceGateway();
  private final BatchingServiceGateway ecs = BatchingServiceGateway.of(aws);
  @SuppressWarnings("unchecked")
  private final Context<EcsService> context = mock(Context.class);
  private final EcsServiceReconciler reconciler = new EcsServiceReconciler(new OperatorContext(
      mock(EventRecorder.class), Clock.systemUTC(), "op", Duration.ofMinutes(10),
      OperatorContext.DEFAULT_STALLED_RECHECK, new InMemoryStatusWriter(), false, OwnerLookup.UNCHECKED),
      ecs, new FakeServiceDeploymentGateway(), new FakeAutoScalingGateway(), region -> REGION,
      ServiceReferences.Lookup.informers());

  private final EcsService web = new KubernetesSerialization().unmarshal("""
      apiVersion: ecsbridge.io/v1alpha1
      kind: EcsService
      metadata: {name: web, namespace: ns, generation: 1, resourceVersion: "5"}
      spec: {cluster: prod, taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1",
        desiredCount: 2, healthCheckGracePeriodSeconds: 30}
      """, EcsService.class);

  /** A pass; a resync (the RESYNC lane) may take a read ahead, a person's change (USER) never does. */
  private void sync(Lanes.Lane lane) {
    var result = Lanes.call("EcsService", lane, () -> reconciler.sync(web, web.getStatus(), context));
    Conditions.apply(web.getStatus(), result.health(), 1, Clock.systemUTC());
    web.getStatus().setObservedGeneration(1L);
  }

  @Test
  void aPassOnADescriptionReadAheadThatWouldWriteReadsItAgainFirst() {
    web.setStatus(new EcsServiceStatus());
    sync(Lanes.Lane.USER);
    aws.complete("web");
    sync(Lanes.Lane.USER);
    assertThat(Conditions.isTrue(web.getStatus(), Conditions.READY)).isTrue();
    aws.edit("web", b -> b.healthCheckGracePeriodSeconds(0)); // drift
    // another service's pass in the cluster reads web ahead, for the state web is in now
    ecs.describe(REGION, "prod", "api", List.of(new BatchedReads.Companion("web", "5")));
    int reads = aws.describes;
    int writes = aws.writes.size();

    sync(Lanes.Lane.RESYNC);
    assertThat(aws.describes - reads).as("the read ahead, then one read again before the write").isEqualTo(1);
    assertThat(aws.writes.subList(writes, aws.writes.size())).containsExactly("UpdateService");
    assertThat(aws.updates.get(aws.updates.size() - 1).healthCheckGracePeriodSeconds()).isEqualTo(30);

    reads = aws.describes;
    sync(Lanes.Lane.RESYNC);
    assertThat(aws.describes - reads).as("in sync now: one fresh read, nothing written").isEqualTo(1);
    assertThat(aws.writes).hasSize(writes + 1);
  }

  @Test
  void theWriteIsDecidedOnTheReadAgainNotOnTheReadAhead() {
    web.setStatus(new EcsServiceStatus());
    sync(Lanes.Lane.USER);
    aws.complete("web");
    sync(Lanes.Lane.USER);
    aws.edit("web", b -> b.healthCheckGracePeriodSeconds(0)); // drift, read ahead as it is...
    ecs.describe(REGION, "prod", "api", List.of(new BatchedReads.Companion("web", "5")));
    aws.edit("web", b -> b.healthCheckGracePeriodSeconds(30)); // ...then put back by someone else
    int reads = aws.describes;
    int writes = aws.writes.size();

    sync(Lanes.Lane.RESYNC);
    assertThat(aws.describes - reads).as("the read ahead showed a drift: read again").isEqualTo(1);
    assertThat(aws.writes).as("the fresh read is in sync: nothing written").hasSize(writes);
    assertThat(Conditions.isTrue(web.getStatus(), Conditions.READY)).isTrue();
  }
}
