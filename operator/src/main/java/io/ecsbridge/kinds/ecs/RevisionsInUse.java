package io.ecsbridge.kinds.ecs;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which task definition revisions the services managed here still run: those are never deregistered. */
@FunctionalInterface
public interface RevisionsInUse {

  /** Task definition ARNs (or family:revision) that services in the namespace run or deploy. */
  Set<String> arns(String namespace);

  /** The EcsService kind, named fully so that a missing CRD is a plain 404 (no API discovery). */
  ResourceDefinitionContext ECS_SERVICES = new ResourceDefinitionContext.Builder().withGroup("ecsbridge.io")
      .withVersion("v1alpha1").withKind("EcsService").withPlural("ecsservices").withNamespaced(true).build();

  /** Nothing in use (tests, or no EcsService kind). */
  RevisionsInUse NONE = namespace -> Set.of();

  /**
   * Reads the EcsService custom resources of the namespace as generic resources: every status.taskDefinition and
   * status.deployments[].taskDefinition. A missing EcsService kind (404) means no services.
   */
  static RevisionsInUse ecsServices(KubernetesClient client) {
    return namespace -> {
      List<GenericKubernetesResource> services;
      try {
        services = client.genericKubernetesResources(ECS_SERVICES).inNamespace(namespace).list().getItems();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return Set.of();
        }
        throw e;
      }
      return arnsOf(services);
    };
  }

  /** status.taskDefinition and status.deployments[].taskDefinition of each EcsService. */
  static Set<String> arnsOf(List<GenericKubernetesResource> services) {
    Set<String> arns = new HashSet<>();
    for (GenericKubernetesResource service : services) {
      if (!(service.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
        continue;
      }
      if (status.get("taskDefinition") instanceof String arn) {
        arns.add(arn);
      }
      if (status.get("deployments") instanceof List<?> deployments) {
        for (Object d : deployments) {
          if (d instanceof Map<?, ?> deployment && deployment.get("taskDefinition") instanceof String arn) {
            arns.add(arn);
          }
        }
      }
    }
    return arns;
  }
}
