package io.ecsbridge.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

class AccountCredentialsTest {
  private final List<StsClient> made = new ArrayList<>();
  private final AccountCredentials credentials = new AccountCredentials(via -> {
    StsClient sts = StsClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:1"))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
    made.add(sts);
    return sts;
  }, "it");

  @Test
  void sessionNamesAreWhatStsAccepts() {
    assertThat(AccountCredentials.sessionName("prod-1")).isEqualTo("ecsbridge-prod-1");
    assertThat(AccountCredentials.sessionName("a b/c")).isEqualTo("ecsbridge-a-b-c");
    assertThat(AccountCredentials.sessionName("x".repeat(100))).hasSize(64).startsWith("ecsbridge-x");
    assertThat(AccountCredentials.sessionName(null)).isEqualTo("ecsbridge-");
  }

  @Test
  void keptWhileTheRoleIsTheSameReplacedWhenItChangesGoneWhenRemoved() {
    var first = credentials.provide("team-a", "arn:aws:iam::111111111111:role/a", null, null);
    assertThat(credentials.provide("team-a", "arn:aws:iam::111111111111:role/a", null, null)).isSameAs(first);
    assertThat(made).hasSize(2); // the provider's STS client and the one calling as the account
    var second = credentials.provide("team-a", "arn:aws:iam::111111111111:role/a", "ext-1", null);
    assertThat(second).isNotSameAs(first);
    assertThat(credentials.lookup("team-a")).containsSame(second);
    var third = credentials.provide("team-a", "arn:aws:iam::111111111111:role/a", "ext-1", second);
    assertThat(third).as("a new source").isNotSameAs(second);
    credentials.remove("team-a");
    assertThat(credentials.lookup("team-a")).isEmpty();
    assertThat(credentials.lookup("other")).isEmpty();
  }

  @Test
  void askedOnceStsWasAskedWhoTheCredentialsAreAnsweredOrNot() {
    credentials.provide("team-a", "arn:aws:iam::111111111111:role/a", null, null);
    assertThat(credentials.asked("team-a")).as("provided, not asked yet (a start)").isFalse();
    assertThatThrownBy(() -> credentials.whoAmI("team-a")).as("nothing listens there").isInstanceOf(Exception.class);
    assertThat(credentials.asked("team-a")).isTrue();
    assertThat(credentials.asked("other")).isFalse();
  }
}
