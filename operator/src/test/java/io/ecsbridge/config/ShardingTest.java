package io.ecsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The shards' label selectors are disjoint and cover every resource, whatever its labels. */
class ShardingTest {

  /** Label values a user may write: none, each shard's, beyond the last shard, not a number, look-alikes. */
  private static List<Map<String, String>> labelSets(int count) {
    List<Map<String, String>> sets = new ArrayList<>();
    sets.add(null);
    sets.add(Map.of());
    sets.add(Map.of("app", "web"));
    List<String> values = new ArrayList<>(List.of("", "-1", "01", "1.0", "one", "shard-1", String.valueOf(count),
        String.valueOf(count + 1), "99"));
    IntStream.range(0, count).forEach(k -> values.add(String.valueOf(k)));
    for (String v : values) {
      sets.add(Map.of(Sharding.LABEL, v));
      sets.add(Map.of(Sharding.LABEL, v, "app", "web"));
    }
    return sets;
  }

  @Test
  void everyResourceIsExactlyOneShards() {
    for (int count = 1; count <= 5; count++) {
      for (Map<String, String> labels : labelSets(count)) {
        List<Integer> owners = new ArrayList<>();
        for (int k = 0; k < count; k++) {
          if (new Sharding(k, count).owns(labels)) {
            owners.add(k);
          }
        }
        assertThat(owners).as("shards owning %s of %d", labels, count).hasSize(1);
      }
    }
  }

  /**
   * The selector each shard gives the API server, read with the API server's rules (= value; notin matches a
   * missing label), selects exactly what {@link Sharding#owns} says: the two cannot drift apart.
   */
  @Test
  void theSelectorsSayWhatOwnsSays() {
    for (int count = 2; count <= 5; count++) {
      for (int k = 0; k < count; k++) {
        Sharding shard = new Sharding(k, count);
        for (Map<String, String> labels : labelSets(count)) {
          assertThat(selects(shard.labelSelector(), labels)).as("%s on %s", shard.labelSelector(), labels)
              .isEqualTo(shard.owns(labels));
        }
      }
    }
  }

  /** The two forms of selector Sharding writes, as Kubernetes' labels.Selector matches them. */
  private static boolean selects(String selector, Map<String, String> labels) {
    String value = labels == null ? null : labels.get(Sharding.LABEL);
    if (selector.startsWith(Sharding.LABEL + "=")) {
      return selector.substring((Sharding.LABEL + "=").length()).equals(value);
    }
    String prefix = Sharding.LABEL + " notin (";
    assertThat(selector).startsWith(prefix).endsWith(")");
    Set<String> excluded = Set.of(selector.substring(prefix.length(), selector.length() - 1).split(","));
    return value == null || !excluded.contains(value);
  }

  @Test
  void selectorsLeasesAndDefaults() {
    assertThat(Sharding.NONE.labelSelector()).isNull();
    assertThat(Sharding.NONE.leaseName("ecs-bridge-leader")).isEqualTo("ecs-bridge-leader");
    assertThat(new Sharding(0, 3).labelSelector()).isEqualTo("ecsbridge.io/shard notin (1,2)");
    assertThat(new Sharding(2, 3).labelSelector()).isEqualTo("ecsbridge.io/shard=2");
    assertThat(new Sharding(2, 3).leaseName("ecs-bridge-leader")).isEqualTo("ecs-bridge-leader-shard-2");
    assertThat(new Sharding(0, 3).ownsAccountWide()).isTrue();
    assertThat(new Sharding(1, 3).ownsAccountWide()).isFalse();
  }

  @Test
  void settingsFromTheEnvironmentAndFlags() {
    Map<String, String> env = new HashMap<>(Map.of("ECSBRIDGE_SHARDS", "3", "ECSBRIDGE_SHARD", "1",
        "ECSBRIDGE_LEASE_NAME", "ops"));
    OperatorConfig config = OperatorConfig.load(env);
    assertThat(config.sharding()).isEqualTo(new Sharding(1, 3));
    assertThat(config.leaseName()).isEqualTo("ops-shard-1");
    assertThat(OperatorConfig.load(env, "--shard", "2").sharding()).isEqualTo(new Sharding(2, 3));
    assertThat(OperatorConfig.load(Map.of()).sharding()).isEqualTo(Sharding.NONE);
    assertThat(OperatorConfig.load(Map.of()).leaseName()).isEqualTo("ecs-bridge-leader");
  }

  @Test
  void badShardSettingsAreRefused() {
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_SHARDS", "2", "ECSBRIDGE_SHARD", "2")))
        .hasMessageContaining("ECSBRIDGE_SHARD must be from 0 to ECSBRIDGE_SHARDS - 1 (1), not 2");
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_SHARDS", "0")))
        .hasMessageContaining("ECSBRIDGE_SHARDS must be at least 1");
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_SHARD", "x")))
        .hasMessageContaining("ECSBRIDGE_SHARD must be a whole number, not x");
    assertThatThrownBy(() -> OperatorConfig.load(Map.of("ECSBRIDGE_SHARD", "-1", "ECSBRIDGE_SHARDS", "2")))
        .hasMessageContaining("not -1");
  }
}
