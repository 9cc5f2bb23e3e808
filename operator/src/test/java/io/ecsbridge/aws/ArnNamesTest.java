package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArnNamesTest {

  @Test
  void ecsNamesFromArnsOrNames() {
    assertThat(ArnNames.ecsName("arn:aws:ecs:eu-west-1:123456789012:cluster/prod")).isEqualTo("prod");
    assertThat(ArnNames.ecsName("arn:aws:ecs:eu-west-1:123456789012:service/prod/web")).isEqualTo("web");
    assertThat(ArnNames.ecsName("arn:aws:ecs:eu-west-1:123456789012:service/web")).as("older service ARN")
        .isEqualTo("web");
    assertThat(ArnNames.ecsName("arn:aws:ecs:eu-west-1:1:task-definition/web:4")).isEqualTo("web:4");
    assertThat(ArnNames.ecsName("arn:aws-cn:ecs:cn-north-1:1:cluster/c")).isEqualTo("c");
    assertThat(ArnNames.ecsName("prod")).isEqualTo("prod");
    assertThat(ArnNames.ecsName("team/prod")).as("a name is never cut").isEqualTo("team/prod");
    assertThat(ArnNames.ecsName("arn:without-slash")).isEqualTo("arn:without-slash");
    assertThat(ArnNames.ecsName(null)).isNull();
  }

  @Test
  void repositoryNamesKeepTheirSlashes() {
    assertThat(ArnNames.repositoryName("arn:aws:ecr:eu-west-1:123456789012:repository/team/shop"))
        .isEqualTo("team/shop");
    assertThat(ArnNames.repositoryName("arn:aws:ecr:eu-west-1:123456789012:repository/app")).isEqualTo("app");
    assertThat(ArnNames.repositoryName("team/shop")).isEqualTo("team/shop");
    assertThat(ArnNames.repositoryName(null)).isNull();
  }

  @Test
  void placesLeaveTheNameOut() {
    assertThat(ArnNames.place("arn:aws:ecr:eu-west-1:123456789012:repository/team/shop"))
        .isEqualTo("arn:aws:ecr:eu-west-1:123456789012:repository");
    assertThat(ArnNames.place("arn:aws:ecs:eu-west-1:123456789012:cluster/prod"))
        .isEqualTo("arn:aws:ecs:eu-west-1:123456789012:cluster");
    assertThat(ArnNames.place("arn:aws:ecs:eu-west-1:123456789012:service/prod/web"))
        .as("a service's cluster is part of its place").isEqualTo("arn:aws:ecs:eu-west-1:123456789012:service/prod");
    assertThat(ArnNames.place("arn:aws:ecs:eu-west-1:123456789012:service/web")).as("older ARN: cluster unknown")
        .isNull();
    assertThat(ArnNames.place("arn:aws:ecs:eu-west-1:123456789012:service/prod/")).isNull();
    assertThat(ArnNames.place("arn:aws:ecs:eu-west-1:123456789012:cluster/")).isNull();
    assertThat(ArnNames.place("arn:aws:ecs:eu-west-1:1:task-definition/web:4")).isNull();
    assertThat(ArnNames.place("prod")).isNull();
    assertThat(ArnNames.place(null)).isNull();
  }
}
