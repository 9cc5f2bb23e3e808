package io.ecsbridge.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.InMemoryStatusWriter;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/** AwsAccount's own reconciler, without the API server or STS: what it asks JOSDK for while it waits. */
class AwsAccountReconcilerTest {
  private Instant now = Instant.parse("2026-12-06T12:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };
  private final AccountCredentials credentials = new AccountCredentials(via -> StsClient.builder()
      .region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:1"))
      .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build(), "op");
  private final AwsAccountReconciler reconciler = new AwsAccountReconciler(new OperatorContext(
      mock(EventRecorder.class), clock, "op", Duration.ofMinutes(10), OperatorContext.DEFAULT_STALLED_RECHECK,
      new InMemoryStatusWriter()), credentials);
  @SuppressWarnings("unchecked")
  private final Context<AwsAccount> context = mock(Context.class);

  /**
   * A sourceAccountRef naming an AwsAccount that does not exist (a typo, or one deleted) kept its account Reconciling
   * and looked at every 5 s for good; the waits now grow as other Reconciling resources' polls do.
   */
  @Test
  void anAccountWaitingForItsSourceIsLookedAtLessOftenTheLongerItWaits() {
    AwsAccount spoke = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: AwsAccount
        metadata: {name: spoke, generation: 1, uid: u1}
        spec:
          roleArn: arn:aws:iam::444444444444:role/spoke
          sourceAccountRef: {name: missing}
        """, AwsAccount.class);
    assertThat(reconciler.reconcile(spoke, context).getScheduleDelay()).hasValue(5_000L);
    assertThat(spoke.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getReason())
        .isEqualTo("WaitingForSourceAccount"));

    now = now.plus(Duration.ofMinutes(11));
    assertThat(reconciler.reconcile(spoke, context).getScheduleDelay()).as("after 10 minutes: every 30 s")
        .hasValue(30_000L);
  }
}
