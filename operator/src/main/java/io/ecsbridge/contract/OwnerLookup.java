package io.ecsbridge.contract;

import io.ecsbridge.contract.Ownership.OwnerState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Whether the custom resource an owner tag names still exists. Asked only when an AWS resource carries the tag of
 * another custom resource of this operator instance, so rarely: a GET through the operator's client, never the
 * informer cache (which may not watch that namespace, or lag behind a resource just created). A look-up that fails
 * (forbidden: in namespaced mode the operator cannot read other namespaces; or any other error) answers UNKNOWN,
 * which the ownership decision treats as existing.
 */
@FunctionalInterface
public interface OwnerLookup {

  OwnerState state(Class<? extends HasMetadata> kind, String namespace, String name);

  /** Without a Kubernetes client (unit tests): nothing can be checked, so every owner counts as existing. */
  OwnerLookup UNCHECKED = (kind, namespace, name) -> OwnerState.unknown("no look-up configured");

  static OwnerLookup kubernetes(KubernetesClient client) {
    return (kind, namespace, name) -> {
      String which = kind.getSimpleName() + " " + namespace + "/" + name;
      try {
        return client.resources(kind).inNamespace(namespace).withName(name).get() == null ? OwnerState.GONE
            : OwnerState.ALIVE;
      } catch (KubernetesClientException e) {
        return OwnerState.unknown(e.getCode() == 403 ? "the operator may not read " + which
            : "reading " + which + " failed: " + e.getMessage());
      } catch (RuntimeException e) {
        return OwnerState.unknown("reading " + which + " failed: " + e.getMessage());
      }
    };
  }
}
