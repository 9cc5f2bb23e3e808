package io.ecsbridge.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.status.StatusWriter;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the frame writes status: whole, only when it changed, through the {@link StatusWriter}; the last status written
 * is put back onto an older copy of the resource ({@link StatusMemory}); and the status a reconcile started from is
 * kept until it ends, because JOSDK hands updateErrorStatus the copy that reconcile already changed, so "changed"
 * must be judged against it, or memory set before a retryable failure would never be written.
 */
public final class StatusWrites<R extends CustomResource<?, T>, T extends AwsResourceStatus> {
  static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final StatusWriter writer;
  private final StatusMemory written = new StatusMemory();
  private final Map<String, JsonNode> atStart = new ConcurrentHashMap<>();

  public StatusWrites(StatusWriter writer) {
    this.writer = writer;
  }

  /** Before a pass: the status as last written, if the copy handed to it is older than that write. */
  public void restore(R resource) {
    written.restore(resource);
  }

  /** The status a pass starts from, kept until {@link #end}; returns it. */
  public JsonNode start(R resource) {
    JsonNode status = snapshot(resource.getStatus());
    atStart.put(key(resource), status);
    return status;
  }

  /** The status the pass started from (and forgets it), or the status as it is now when no pass is known. */
  public JsonNode end(R resource) {
    JsonNode status = atStart.remove(key(resource));
    return status != null ? status : snapshot(resource.getStatus());
  }

  /** Writes the resource's status if it differs from {@code before}. */
  public void writeIfChanged(R resource, JsonNode before, Context<R> context) {
    if (snapshot(resource.getStatus()).equals(before)) {
      return;
    }
    R fresh = freshCopy(resource);
    fresh.setStatus(resource.getStatus());
    R answer = writer.write(resource, fresh, context);
    if (answer != null && answer.getMetadata() != null) {
      written.remember(resource, answer.getMetadata().getResourceVersion(), resource.getStatus());
      resource.getMetadata().setResourceVersion(answer.getMetadata().getResourceVersion());
    }
  }

  /** The resource is gone. */
  public void forget(R resource) {
    written.forget(resource);
    atStart.remove(key(resource));
  }

  public static JsonNode snapshot(Object status) {
    return JSON.convertValue(status, JsonNode.class);
  }

  @SuppressWarnings("unchecked")
  private R freshCopy(R resource) {
    try {
      R fresh = (R) resource.getClass().getDeclaredConstructor().newInstance();
      fresh.setMetadata(new ObjectMetaBuilder().withName(resource.getMetadata().getName())
          .withNamespace(resource.getMetadata().getNamespace()).build());
      return fresh;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String key(CustomResource<?, ?> resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }
}
