package io.ecsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbridge.aws.AwsBudgets;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaults() {
    OperatorConfig c = OperatorConfig.load(Map.of());
    assertThat(c.watchNamespaces()).isEmpty();
    assertThat(c.resyncPeriod()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.reconcileConcurrency()).isEqualTo(10);
    assertThat(c.instanceId()).isEqualTo("ecs-bridge");
    assertThat(c.leaderElection()).isFalse();
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.httpAddress()).as("every interface: the kubelet probes the pod's IP").isNull();
    assertThat(c.awsEndpointUrl()).isNull();
    assertThat(c.allowCrossNamespace()).isFalse();
  }

  @Test
  void crossNamespaceIsOnlyAllowedWhenSaidExactly() {
    assertThat(OperatorConfig.load(Map.of(), "--allow-cross-namespace").allowCrossNamespace()).isTrue();
    assertThat(OperatorConfig.load(Map.of("ECSBRIDGE_ALLOW_CROSS_NAMESPACE", "true")).allowCrossNamespace()).isTrue();
    assertThat(OperatorConfig.load(Map.of("ECSBRIDGE_ALLOW_CROSS_NAMESPACE", "true"), "--allow-cross-namespace=false")
        .allowCrossNamespace()).isFalse();
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_ALLOW_CROSS_NAMESPACE", "yes")))
        .hasMessageContaining("ECSBRIDGE_ALLOW_CROSS_NAMESPACE must be true or false, not yes");
  }

  @Test
  void theInstanceIdCannotBreakTheOwnerTag() {
    assertThat(OperatorConfig.load(Map.of("ECSBRIDGE_INSTANCE_ID", "prod.eu-1_a")).instanceId())
        .isEqualTo("prod.eu-1_a");
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_INSTANCE_ID", "team/a")))
        .hasMessageContaining("ECSBRIDGE_INSTANCE_ID must be 1 to 64 letters");
  }

  /** The README's configuration table is written by hand: it must name every setting, by variable and flag. */
  @Test
  void theReadmeListsEverySetting() throws Exception {
    String readme = java.nio.file.Files.readString(io.ecsbridge.testing.Repo.root().resolve("docs/operations.md"));
    assertThat(OperatorConfig.SETTINGS).allSatisfy(s -> assertThat(readme).as("README's configuration table")
        .contains("| `" + s.env() + "` | `" + s.flag() + "` |"));
  }

  @Test
  void environmentThenFlagsWin() {
    OperatorConfig c = OperatorConfig.load(Map.of("AWS_REGION", "eu-west-1", "ECSBRIDGE_WATCH_NAMESPACES", "a, b",
        "ECSBRIDGE_RESYNC_PERIOD", "30s", "AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
        "--aws-region", "eu-central-1", "--leader-election", "--http-port=9090", "--http-address", "127.0.0.1");
    assertThat(c.awsRegion()).isEqualTo("eu-central-1");
    assertThat(c.watchNamespaces()).containsExactly("a", "b");
    assertThat(c.resyncPeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.awsEndpointUrl()).isEqualTo(URI.create("http://127.0.0.1:5000"));
    assertThat(c.leaderElection()).isTrue();
    assertThat(c.httpPort()).isEqualTo(9090);
    assertThat(c.httpAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void everySettingHasAFlagAndAnEnvVariable() {
    assertThat(OperatorConfig.SETTINGS).allSatisfy(s -> {
      assertThat(s.flag()).startsWith("--");
      assertThat(s.env()).matches("[A-Z_]+");
    });
    assertThat(OperatorConfig.usage()).contains("--resync-period", "ECSBRIDGE_RESYNC_PERIOD");
  }

  @Test
  void everySettingIsARowOfTheReadmesConfigurationTable() throws Exception {
    String readme = java.nio.file.Files.readString(io.ecsbridge.testing.Repo.root().resolve("docs/operations.md"));
    assertThat(OperatorConfig.SETTINGS).allSatisfy(s ->
        assertThat(readme).contains("| `" + s.env() + "` | `" + s.flag() + "` |"));
  }

  @Test
  void badInputIsRefusedClearly() {
    assertThatThrownBy(() -> OperatorConfig.load(Map.of(), "--nope")).hasMessageContaining("unknown flag --nope");
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_RECONCILE_CONCURRENCY", "0")))
        .hasMessageContaining("at least 1");
    assertThat(OperatorConfig.parseDuration("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(OperatorConfig.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
  }

  /** A watched namespace that is no namespace's name (a space, a slash) made the start's check misread. */
  @Test
  void aWatchedNamespaceMustBeANamespacesName() {
    for (String bad : new String[] {"a b", "a/b", "Team-A", "-a", "a".repeat(64)}) {
      assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_WATCH_NAMESPACES", "ok," + bad)))
          .hasMessageContaining("ECSBRIDGE_WATCH_NAMESPACES must name namespaces").hasMessageContaining("'" + bad + "'");
    }
    assertThat(OperatorConfig.load(Map.of("ECSBRIDGE_WATCH_NAMESPACES", "a, team-b ,0")).watchNamespaces())
        .containsExactlyInAnyOrder("a", "team-b", "0");
  }

  /** A resync period of 0 rescheduled every resource at once, forever; a negative one failed every pass. */
  @Test
  void aResyncPeriodOrStalledRecheckShorterThanASecondIsRefused() {
    for (String period : new String[] {"0s", "0m", "PT0S", "500ms", "PT-1M"}) {
      assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_RESYNC_PERIOD", period))).as(period)
          .hasMessage("ECSBRIDGE_RESYNC_PERIOD must be at least 1s, not " + period);
    }
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_STALLED_RECHECK", "0s")))
        .hasMessage("ECSBRIDGE_STALLED_RECHECK must be at least 1s, not 0s");
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_IMAGE_TAG_POLL", "PT-1S")))
        .hasMessage("ECSBRIDGE_IMAGE_TAG_POLL must be at least 0s, not PT-1S");
    for (String poll : new String[] {"1ms", "500ms", "PT0.2S"}) {
      assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_IMAGE_TAG_POLL", poll))).as(poll)
          .hasMessage("ECSBRIDGE_IMAGE_TAG_POLL must be 0s (off) or at least 1s, not " + poll);
    }
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_RESYNC_PERIOD", "often")))
        .hasMessage("ECSBRIDGE_RESYNC_PERIOD must be a duration such as 30s, 10m or PT1H, not often");
    assertThat(OperatorConfig.load(Map.of("ECSBRIDGE_RESYNC_PERIOD", "1s")).resyncPeriod()).hasSeconds(1);
    assertThat(OperatorConfig.load(Map.of("ECSBRIDGE_IMAGE_TAG_POLL", "0s")).imageTagPoll()).isZero();
  }

  @Test
  void awsBudgetsAreEachServicesDefaultUnlessSet() {
    assertThat(OperatorConfig.load(Map.of()).awsRateLimits()).as("every service keeps AwsBudgets.DEFAULTS").isEmpty();
    assertThat(AwsRateLimits.defaults())
        .isEqualTo("ecs=20:40,ecr=10:20,application-autoscaling=10:20,secretsmanager=20:40,ssm=5:10,sts=10:20");
  }

  @Test
  void oneRateForEveryServiceThenPerServiceBudgetsWin() {
    var every = OperatorConfig.load(Map.of("ECSBRIDGE_AWS_RATE_LIMIT", "0.1")).awsRateLimits();
    assertThat(every).containsOnlyKeys(AwsBudgets.DEFAULTS.keySet()).containsEntry("sts", new AwsBudgets.Limit(0.1, 1));
    var both = OperatorConfig.load(Map.of("ECSBRIDGE_AWS_RATE_LIMIT", "500"),
        "--aws-rate-limits", "ecs=20, ecr=2.5:7").awsRateLimits();
    assertThat(both).containsEntry("ecs", new AwsBudgets.Limit(20, 40)).containsEntry("ecr", new AwsBudgets.Limit(2.5, 7))
        .containsEntry("ssm", new AwsBudgets.Limit(500, 1000));
    assertThat(OperatorConfig.load(Map.of("ECSBRIDGE_AWS_RATE_LIMITS", "ssm=1")).awsRateLimits())
        .containsExactly(Map.entry("ssm", new AwsBudgets.Limit(1, 2)));
  }

  @Test
  void badAwsBudgetsAreRefusedWithTheSettingsName() {
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_AWS_RATE_LIMIT", "0")))
        .hasMessage("ECSBRIDGE_AWS_RATE_LIMIT must be a number of requests per second above 0, not 0");
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_AWS_RATE_LIMIT", "fast")))
        .hasMessageContaining("ECSBRIDGE_AWS_RATE_LIMIT must be a number");
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_AWS_RATE_LIMITS", "ecs:20")))
        .hasMessageContaining("ECSBRIDGE_AWS_RATE_LIMITS must be service=rate[:burst] entries separated by commas")
        .hasMessageContaining("not 'ecs:20'");
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_AWS_RATE_LIMITS", "ecs=20,s3=5")))
        .hasMessage("ECSBRIDGE_AWS_RATE_LIMITS: unknown service s3 (one of ecs, ecr, application-autoscaling, "
            + "secretsmanager, ssm, sts)");
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_AWS_RATE_LIMITS", "ecs=20,ecs=5")))
        .hasMessage("ECSBRIDGE_AWS_RATE_LIMITS names ecs twice");
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_AWS_RATE_LIMITS", "ecr=0:5")))
        .hasMessageContaining("ECSBRIDGE_AWS_RATE_LIMITS ecr must be a number of requests per second above 0");
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_AWS_RATE_LIMITS", "ecr=5:0")))
        .hasMessage("ECSBRIDGE_AWS_RATE_LIMITS ecr: the burst must be at least 1");
  }

  @Test
  void theLogLevelIsOneOfLogbacksAndTheFlagWins() {
    assertThat(OperatorConfig.load(Map.of()).logLevel()).isEqualTo("info");
    assertThat(OperatorConfig.load(Map.of("ECSBRIDGE_LOG_LEVEL", "DEBUG")).logLevel()).isEqualTo("debug");
    assertThat(OperatorConfig.load(Map.of("ECSBRIDGE_LOG_LEVEL", "debug"), "--log-level=warn").logLevel())
        .isEqualTo("warn");
    assertThatThrownBy(() -> OperatorConfig.load(Map.of(), "--log-level", "verbose"))
        .hasMessageContaining("ECSBRIDGE_LOG_LEVEL must be one of error, warn, info, debug, trace, not verbose");
  }
}
