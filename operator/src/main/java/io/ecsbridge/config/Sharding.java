package io.ecsbridge.config;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Which resources this operator process reconciles when several share the work (ECSBRIDGE_SHARD of
 * ECSBRIDGE_SHARDS): shard {@code k > 0} those labelled {@code ecsbridge.io/shard=k}; shard 0 all the others
 * (unlabelled, or labelled with a value that names no other shard), so that together the shards are disjoint and
 * cover every resource. Account-wide kinds (cluster-scoped AwsAccount, and the kinds whose ownership is decided among
 * all resources of the kind) are shard 0's alone. One shard (the default) selects nothing: every resource.
 *
 * @param index this process's shard, 0 to count - 1
 * @param count how many shards there are
 */
public record Sharding(int index, int count) {
  /** The label a user sets on a custom resource to give it to a shard (the shard's index, in decimal). */
  public static final String LABEL = "ecsbridge.io/shard";

  /** No sharding: one process reconciles everything. */
  public static final Sharding NONE = new Sharding(0, 1);

  public Sharding {
    if (count < 1) {
      throw new IllegalArgumentException("ECSBRIDGE_SHARDS must be at least 1, not " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("ECSBRIDGE_SHARD must be from 0 to ECSBRIDGE_SHARDS - 1 (" + (count - 1)
          + "), not " + index);
    }
  }

  public boolean sharded() {
    return count > 1;
  }

  /**
   * The label selector of this shard's watches of namespaced kinds, in the API server's syntax; null when not
   * sharded (everything). Shard 0's {@code notin} also matches resources without the label.
   */
  public String labelSelector() {
    if (!sharded()) {
      return null;
    }
    if (index > 0) {
      return LABEL + "=" + index;
    }
    return LABEL + " notin (" + IntStream.range(1, count).mapToObj(String::valueOf)
        .collect(Collectors.joining(",")) + ")";
  }

  /** Whether a resource with these labels is this shard's: the same rule as {@link #labelSelector()}. */
  public boolean owns(Map<String, String> labels) {
    return index == shardOf(labels);
  }

  /** The shard a resource with these labels belongs to. */
  public int shardOf(Map<String, String> labels) {
    String value = labels == null ? null : labels.get(LABEL);
    for (int k = 1; k < count; k++) {
      if (String.valueOf(k).equals(value)) {
        return k;
      }
    }
    return 0;
  }

  /** Whether this shard reconciles the account-wide kinds (shard 0). */
  public boolean ownsAccountWide() {
    return index == 0;
  }

  /** The Lease of this shard: the configured name, with {@code -shard-<k>} when sharded. */
  public String leaseName(String configured) {
    return sharded() ? configured + "-shard-" + index : configured;
  }

  @Override
  public String toString() {
    return sharded() ? index + "/" + count : "none";
  }
}
