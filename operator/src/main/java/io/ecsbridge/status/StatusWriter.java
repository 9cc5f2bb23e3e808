package io.ecsbridge.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * Writes a resource's whole status and makes the next reconcile see it. The operator's writer applies the status
 * (server-side apply, forced: status is ours alone, so no lock that a concurrent edit of the resource could make
 * fail) and puts the answer into JOSDK's cache of the resource (the controller event source's temporary cache), so
 * that the next reconcile sees it when nothing else changed the resource meanwhile (what JOSDK 5.2.3's cache can do;
 * reconciler.StatusMemory covers the rest). Unit tests use an in-memory writer.
 */
public interface StatusWriter {

  /**
   * @param resource the resource as reconciled
   * @param withStatus a copy with only name, namespace and the status to write
   * @return the resource as written
   */
  <R extends HasMetadata> R write(R resource, R withStatus, Context<R> context);

  StatusWriter CACHED = new StatusWriter() {
    @Override
    public <R extends HasMetadata> R write(R resource, R withStatus, Context<R> context) {
      withStatus.getMetadata().setResourceVersion(null);
      R written = context.getClient().resource(withStatus).subresource("status").patch(new PatchContext.Builder()
          .withPatchType(PatchType.SERVER_SIDE_APPLY).withForce(true)
          .withFieldManager(context.getControllerConfiguration().fieldManager()).build());
      context.eventSourceRetriever().getControllerEventSource()
          .handleRecentResourceUpdate(ResourceID.fromResource(resource), written, resource);
      return written;
    }
  };
}
