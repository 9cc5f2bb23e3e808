package io.ecsbridge.cache;

import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The item store of every informer of ours (the controllers' own resources and the ConfigMaps, Secrets and custom
 * resources they watch): JOSDK's {@link TransformingItemStore} with the fields the operator never reads dropped
 * before an object is cached: {@code metadata.managedFields} (server-side apply's bookkeeping, one entry per field
 * manager, often the object's largest part) and kubectl's {@code last-applied-configuration} annotation (a second
 * copy of the whole object as last applied, a Secret's data included).
 *
 * <p>Nothing the operator writes is built from a cached object's metadata: status is applied from a fresh object
 * holding only name, namespace and status ({@code status.StatusWriter}), finalizers are added by JOSDK with
 * server-side apply of a fresh object and removed with a JSON patch computed between two copies of the same cached
 * object; so the fields dropped here stay on the server (LeanCacheIT).
 */
public final class LeanItemStore {
  /** kubectl apply's annotation: the whole object as last applied. */
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private LeanItemStore() {}

  /**
   * A new store for the informer of a controller or event source watching {@code namespaces} (JOSDK's set: one
   * element for all namespaces or the current one), or null (JOSDK's own store) when it watches several: JOSDK then
   * runs one fabric8 informer per namespace, all given the one store of the configuration, and each informer's
   * (re)list keeps only its own namespace's objects in it, dropping the others' from the cache as if deleted, so that
   * they were never reconciled (seen in BatchedReadsIT with two watched namespaces).
   */
  public static <R extends HasMetadata> ItemStore<R> create(Set<String> namespaces) {
    return namespaces == null || namespaces.size() <= 1 ? new TransformingItemStore<>(LeanItemStore::trim) : null;
  }

  /** The store for an event source that inherits its controller's namespaces ({@link #create(Set)}). */
  public static <R extends HasMetadata> ItemStore<R> create(EventSourceContext<?> context) {
    return create(context.getControllerConfiguration().getInformerConfig().getNamespaces());
  }

  /** Drops managedFields and the last-applied annotation (in place) and returns the object. */
  public static <R extends HasMetadata> R trim(R resource) {
    ObjectMeta metadata = resource.getMetadata();
    if (metadata != null) {
      metadata.setManagedFields(null);
      Map<String, String> annotations = metadata.getAnnotations();
      if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
        Map<String, String> kept = new LinkedHashMap<>(annotations); // the object's own map may be immutable
        kept.remove(LAST_APPLIED);
        metadata.setAnnotations(kept);
      }
    }
    return resource;
  }
}
