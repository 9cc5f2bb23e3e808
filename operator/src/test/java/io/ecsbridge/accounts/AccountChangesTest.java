package io.ecsbridge.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The marks of resources whose AwsAccount or Namespace changed: taken once, bounded (the oldest dropped). */
class AccountChangesTest {

  @Test
  void aMarkIsTakenOnceAndAnUnmarkedResourceHasNone() {
    AccountChanges changes = new AccountChanges(10);
    changes.mark("a");
    changes.mark("a"); // two changes before the pass: one pass
    assertThat(changes.take("b")).isFalse();
    assertThat(changes.take("a")).isTrue();
    assertThat(changes.take("a")).as("consumed").isFalse();
    assertThat(changes.size()).isZero();
    changes.mark(null);
    assertThat(changes.take(null)).isFalse();
    assertThat(changes.size()).isZero();
  }

  @Test
  void pastItsCapacityTheOldestMarkIsDropped() {
    AccountChanges changes = new AccountChanges(2);
    changes.mark("a");
    changes.mark("b");
    changes.mark("a"); // marked again: the newest
    changes.mark("c");
    assertThat(changes.size()).isEqualTo(2);
    assertThat(changes.take("b")).as("the oldest, dropped").isFalse();
    assertThat(changes.take("a")).isTrue();
    assertThat(changes.take("c")).isTrue();
  }
}
