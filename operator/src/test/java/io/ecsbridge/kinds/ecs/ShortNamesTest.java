package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShortNamesTest {
  @Test
  void arnsInEventTextBecomeTheNamesPeopleUse() {
    assertThat(ShortNames.taskDefinition("arn:aws:ecs:eu-west-1:123456789012:task-definition/web:4"))
        .isEqualTo("web:4");
    assertThat(ShortNames.taskDefinition("web:4")).isEqualTo("web:4");
    assertThat(ShortNames.taskDefinition(null)).isEqualTo("none");
    assertThat(ShortNames.shorten("The rollout of arn:aws:ecs:eu-west-1:123456789012:task-definition/web:4 to "
        + "arn:aws:ecs:eu-west-1:123456789012:service/prod/web in arn:aws:ecs:eu-west-1:123456789012:cluster/prod "
        + "failed (arn:aws-cn:ecs:cn-north-1:123456789012:capacity-provider/spot)"))
        .isEqualTo("The rollout of web:4 to web in prod failed (spot)");
    assertThat(ShortNames.fromTo("web:3", "web:4")).isEqualTo("web:3 → web:4");
  }
}
