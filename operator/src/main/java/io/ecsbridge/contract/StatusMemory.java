package io.ecsbridge.contract;

import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last status this operator wrote for each resource, with the resourceVersion the API server gave that write, so
 * that a reconcile handed an older copy of the resource (the watch has not delivered our write yet: JOSDK 5.2.3's
 * cache of the primary resource keeps our own update only when nothing else changed the resource meanwhile) works on
 * the status as written, not on a stale one. Status is ours alone: nothing but our own write can have changed it since.
 *
 * <p>Without this, a status field that is memory (a redeploy handled, a deployment id, a failed revision) can be read
 * stale by the very next reconcile and the action repeated: ErrorModelIT sends a redeploy request among 100
 * concurrent annotation edits and counts the UpdateService calls.
 *
 * <p>resourceVersions are compared as numbers (etcd revisions, as every API server backed by etcd gives); one that is
 * not a number is never taken as older, so the copy is then used as it came.
 *
 * <p>A status is kept as its JSON (a compact string), not as objects: the memory of a resource lasts until its next
 * pass, a resync period at steady state, so it is held for nearly every resource; as objects it was 1.6 KiB per
 * resource, the largest of our own retainers after the informer caches, as JSON 1.2 KiB (docs/operations.md,
 * "Footprint levers").
 * Restoring, which is rare, reads it back.
 */
public final class StatusMemory {
  private record Written(long resourceVersion, String json, Class<? extends AwsResourceStatus> type) {}

  private final Map<String, Written> byUid = new ConcurrentHashMap<>();

  /** Remembers the status just written for the resource (as it is now), at the resourceVersion of that write. */
  <T extends AwsResourceStatus> void remember(CustomResource<?, T> resource, String resourceVersion, T status) {
    Long version = parse(resourceVersion);
    String uid = resource.getMetadata().getUid();
    if (version != null && uid != null) {
      byUid.put(uid, new Written(version, StatusWrites.JSON.asJson(status), status.getClass()));
    }
  }

  /**
   * Puts the remembered status (a new copy) onto a resource whose resourceVersion is older than our last write;
   * forgets it once a resource at or after that write arrives.
   */
  @SuppressWarnings("unchecked")
  <T extends AwsResourceStatus> void restore(CustomResource<?, T> resource) {
    String uid = resource.getMetadata().getUid();
    Written last = uid == null ? null : byUid.get(uid);
    if (last == null) {
      return;
    }
    Long version = parse(resource.getMetadata().getResourceVersion());
    if (version == null || version >= last.resourceVersion()) {
      byUid.remove(uid, last);
      return;
    }
    resource.setStatus((T) StatusWrites.JSON.unmarshal(last.json(), last.type()));
  }

  /** The resource is gone: nothing to remember. */
  void forget(CustomResource<?, ?> resource) {
    String uid = resource.getMetadata().getUid();
    if (uid != null) {
      byUid.remove(uid);
    }
  }

  private static Long parse(String resourceVersion) {
    try {
      return resourceVersion == null ? null : Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
