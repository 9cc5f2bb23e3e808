package io.ecsbridge.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/**
 * Writes a resource's whole status and makes the next reconcile see it. The operator's writer is JOSDK's
 * {@link PrimaryUpdateAndCacheUtils}: server-side apply of the status with optimistic locking, the answer put into
 * the controller's cache (so memory fields in status are never read stale by the very next reconcile); unit tests
 * use an in-memory one.
 */
public interface StatusWriter {

  /**
   * @param resource the resource as reconciled (its resourceVersion is the lock)
   * @param withStatus a copy with only name, namespace and the status to write
   * @return the resource as written
   */
  <R extends HasMetadata> R write(R resource, R withStatus, Context<R> context);

  StatusWriter CACHED = new StatusWriter() {
    @Override
    public <R extends HasMetadata> R write(R resource, R withStatus, Context<R> context) {
      return PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(resource, withStatus, context);
    }
  };
}
