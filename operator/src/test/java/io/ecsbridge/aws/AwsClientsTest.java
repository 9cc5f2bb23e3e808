package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class AwsClientsTest {

  private static AwsClients clients() {
    return new AwsClients("us-east-1", URI.create("http://127.0.0.1:9"),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("op", "op")),
        new AwsCallMeter(new SimpleMeterRegistry(), null));
  }

  @Test
  void theHttpClientIsBuiltWithTheFirstSdkClientNotAtStartUp() {
    try (AwsClients clients = clients()) {
      assertThat(clients.httpClientBuilt()).isFalse();
      assertThat(clients.openClients()).isZero();

      AwsScope.call(AwsIdentity.OPERATOR, () -> clients.ecs(null));

      assertThat(clients.httpClientBuilt()).isTrue();
      assertThat(clients.openClients()).isEqualTo(1);
    }
  }

  @Test
  void anStsClientBuildsItToo() {
    try (AwsClients clients = clients(); var sts = clients.newSts(null)) {
      assertThat(sts).isNotNull();
      assertThat(clients.httpClientBuilt()).isTrue();
    }
  }

  @Test
  void closesWhenNoClientWasEverBuilt() {
    AwsClients clients = clients();
    clients.close();
    assertThat(clients.httpClientBuilt()).isFalse();
  }
}
