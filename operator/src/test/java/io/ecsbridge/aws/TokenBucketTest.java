package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void burstPassesThenCallsWaitForTokens() throws InterruptedException {
    TokenBucket bucket = new TokenBucket(5, 5);
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.acquire()).as("call %d of the burst", i).isZero();
    }
    // the sixth call must wait for a token (up to 200 ms at 5/s): refill during the burst cannot cover it
    assertThat(bucket.acquire()).isPositive();
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new TokenBucket(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
