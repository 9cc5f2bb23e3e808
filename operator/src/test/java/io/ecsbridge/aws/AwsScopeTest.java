package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class AwsScopeTest {
  private static final AwsIdentity TEAM_A = new AwsIdentity("team-a", "111111111111",
      StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "a")), "eu-west-1");
  private static final AwsIdentity TEAM_B = new AwsIdentity("team-b", "222222222222",
      StaticCredentialsProvider.create(AwsBasicCredentials.create("b", "b")), null);

  @Test
  void nothingBoundIsRefusedNotTheOperatorsIdentity() {
    assertThat(AwsScope.bound()).isNull();
    assertThatThrownBy(AwsScope::current).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside an identity scope");
  }

  @Test
  void aNestedScopeRestoresTheOuterOne() {
    AwsScope.run(TEAM_A, () -> {
      assertThat(AwsScope.current()).isEqualTo(TEAM_A);
      assertThat(AwsScope.call(TEAM_B, AwsScope::current)).isEqualTo(TEAM_B);
      assertThat(AwsScope.current()).isEqualTo(TEAM_A);
    });
    assertThat(AwsScope.bound()).isNull();
  }

  @Test
  void anExceptionStillUnbinds() {
    assertThatThrownBy(() -> AwsScope.run(TEAM_A, () -> {
      throw new IllegalArgumentException("boom");
    })).hasMessage("boom");
    assertThat(AwsScope.bound()).isNull();
  }

  @Test
  void clientsArePerIdentityServiceAndRegionAndAnAccountsAreClosedWhenItIsForgotten() {
    try (AwsClients clients = new AwsClients("us-east-1", URI.create("http://127.0.0.1:9"),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("op", "op")),
        new AwsCallMeter(new SimpleMeterRegistry(), null))) {
      assertThatThrownBy(() -> clients.ecr(null)).isInstanceOf(IllegalStateException.class);
      var operatorEcr = AwsScope.call(AwsIdentity.OPERATOR, () -> clients.ecr(null));
      var teamAEcr = AwsScope.call(TEAM_A, () -> clients.ecr(null));
      var teamBEcr = AwsScope.call(TEAM_B, () -> clients.ecr(null));
      assertThat(teamAEcr).isNotSameAs(operatorEcr).isNotSameAs(teamBEcr);
      assertThat(AwsScope.call(TEAM_A, () -> clients.ecr(null))).isSameAs(teamAEcr);
      // the account's default region is the region of a resource without one; the operator's otherwise
      assertThat(AwsScope.call(TEAM_A, () -> clients.region(null))).isEqualTo("eu-west-1");
      assertThat(AwsScope.call(TEAM_B, () -> clients.region(null))).isEqualTo("us-east-1");
      assertThat(AwsScope.call(TEAM_A, () -> clients.region("us-west-2"))).isEqualTo("us-west-2");
      assertThat(AwsScope.call(TEAM_A, () -> clients.ecr("eu-west-1"))).isSameAs(teamAEcr);
      assertThat(clients.openClients()).isEqualTo(3);

      clients.forget("team-a");
      assertThat(clients.openClients()).isEqualTo(2);
      assertThat(AwsScope.call(TEAM_A, () -> clients.ecr(null))).isNotSameAs(teamAEcr);
      assertThat(AwsScope.call(TEAM_B, () -> clients.ecr(null))).isSameAs(teamBEcr);
    }
  }
}
