package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Shape;
import io.ecsbridge.contract.Tags;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.ecsbridge.aws.SdkJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * The EcsService spec as the CreateService / UpdateService requests: the spec's JSON filled into the SDK's requests
 * by {@link SdkJson}, compared with the service DescribeServices returns (as JSON) member by member, each normalized
 * the same way on both sides by {@link ServiceShape}.
 */
final class ServiceRequest {
  private ServiceRequest() {}

  /**
   * The CreateService request, capacity provider references resolved ({@code capacityProviders}: reference name to
   * ECS name). An EXTERNAL controller gives task definition, network, load balancers and registries
   * to its task sets: they are left out.
   */
  static CreateServiceRequest create(EcsService resource, String cluster, String taskDefinition,
      Map<String, String> capacityProviders, Map<String, String> tags) {
    EcsServiceSpec spec = CapacityProviderRefs.serviceSpec(resource.getSpec(), capacityProviders);
    CreateServiceRequest.Builder b = CreateServiceRequest.builder();
    SdkJson.fill(b, ServiceShape.of(spec).createRequest(spec, taskDefinition));
    return b.cluster(cluster)
        .serviceName(resource.serviceName())
        .clientToken(resource.getMetadata().getUid())
        .tags(Tags.toEcs(tags))
        .build();
  }

  /**
   * Compares the spec with the service member by member ({@link ServiceShape}), puts the normalized value of each
   * difference into the one UpdateService request and returns the names of the members that differ, in order. With a
   * CODE_DEPLOY or EXTERNAL controller, the fields that controller owns (task definition, load balancers, network,
   * platform version, capacity providers, registries, Service Connect, volumes, VPC Lattice) are neither compared nor
   * sent.
   *
   * @param revision what ECS reports on the deployment or revision, not on the service ({@link RevisionMembers})
   */
  static List<String> diffs(EcsServiceSpec spec, Service live, ObjectNode revision, String wantedTd,
      UpdateServiceRequest.Builder update) {
    ServiceShape shape = ServiceShape.of(spec);
    ObjectNode want = shape.desired(spec, wantedTd);
    ObjectNode have = SdkJson.toJson(live);
    RevisionMembers.NAMES.forEach(have::remove);
    have.setAll(revision);
    ObjectNode changes = JsonNodeFactory.instance.objectNode();
    List<String> fields = new ArrayList<>();
    for (Shape.Member member : shape.members()) {
      String name = member.name();
      if (shape.differs(name, want, have)) {
        fields.add(name);
        changes.set(name, shape.wanted(name, want));
      }
    }
    SdkJson.fill(update, changes);
    return fields;
  }

  static String controller(EcsServiceSpec spec) {
    return spec.deploymentController == null || spec.deploymentController.type == null ? "ECS"
        : spec.deploymentController.type.name();
  }

  static boolean daemon(EcsServiceSpec spec) {
    return spec.schedulingStrategy == EcsServiceSpec.SchedulingStrategy.DAEMON;
  }
}
