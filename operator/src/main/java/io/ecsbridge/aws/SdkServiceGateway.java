package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/** {@link ServiceGateway} on the AWS SDK: one call per method. */
public class SdkServiceGateway implements ServiceGateway {
  private final AwsClients clients;

  public SdkServiceGateway(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public void admitResync(String region) {
    clients.admitResync("ecs", region);
  }

  @Override
  public Optional<Service> describe(String region, String cluster, String serviceName) {
    try {
      return call(() -> clients.ecs(region).describeServices(r -> r.cluster(cluster).services(serviceName)
          .include(ServiceField.TAGS)).services()).stream()
          .filter(s -> !"INACTIVE".equals(s.status()))
          .findFirst();
    } catch (AwsException e) {
      if (e.notFound()) { // ServiceNotFoundException, and ClusterNotFoundException: the cluster was deleted
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Map<String, Optional<Service>> describeAll(String region, String cluster, List<String> serviceNames) {
    Map<String, Optional<Service>> answers = new java.util.LinkedHashMap<>();
    serviceNames.forEach(n -> answers.put(n, Optional.empty()));
    List<Service> services;
    try {
      services = call(() -> clients.ecs(region).describeServices(r -> r.cluster(cluster).services(serviceNames)
          .include(ServiceField.TAGS)).services());
    } catch (AwsException e) {
      if (e.notFound()) { // the cluster was deleted: none of its services exists
        return answers;
      }
      throw e;
    }
    // ECS answers each service under the name or ARN asked; a name missing or INACTIVE is absent (failures[])
    for (Service s : services) {
      if (!"INACTIVE".equals(s.status())) {
        for (String asked : serviceNames) {
          if (asked.equals(s.serviceName()) || asked.equals(s.serviceArn())) {
            answers.put(asked, Optional.of(s));
          }
        }
      }
    }
    return answers;
  }

  @Override
  public Service create(String region, CreateServiceRequest request) {
    return call(() -> clients.ecs(region).createService(request).service());
  }

  @Override
  public Service update(String region, UpdateServiceRequest request) {
    return call(() -> clients.ecs(region).updateService(request).service());
  }

  @Override
  public List<ServiceRevision> describeRevisions(String region, List<String> revisionArns) {
    return call(() -> clients.ecs(region).describeServiceRevisions(r -> r.serviceRevisionArns(revisionArns))
        .serviceRevisions());
  }

  @Override
  public void delete(String region, String cluster, String serviceName, boolean force) {
    try {
      call(() -> clients.ecs(region).deleteService(r -> r.cluster(cluster).service(serviceName).force(force)));
    } catch (AwsException e) {
      if (!e.notFound()) { // already gone, with its cluster or not
        throw e;
      }
    }
  }

  @Override
  public void tag(String region, String arn, Map<String, String> tags) {
    call(() -> clients.ecs(region).tagResource(r -> r.resourceArn(arn).tags(tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())));
  }

  @Override
  public void untag(String region, String arn, Set<String> keys) {
    call(() -> clients.ecs(region).untagResource(r -> r.resourceArn(arn).tagKeys(keys)));
  }

  @Override
  public TaskDefinitionFound taskDefinition(String region, String taskDefinition) {
    var response = call(() -> clients.ecs(region).describeTaskDefinition(r -> r.taskDefinition(taskDefinition)
        .include(TaskDefinitionField.TAGS)));
    return new TaskDefinitionFound(response.taskDefinition().taskDefinitionArn(), tags(response.tags()));
  }

  /** From the operator's batched cluster reads ({@link BatchingClusterGateway#tags}: a RESYNC pass may share one). */
  @Override
  public Map<String, String> clusterTags(String region, String cluster) {
    return clients.clusters().tags(region, cluster);
  }

  @Override
  public Map<String, String> freshClusterTags(String region, String cluster) {
    return clients.clusters().freshTags(region, cluster);
  }

  private static Map<String, String> tags(List<Tag> tags) {
    Map<String, String> map = new TreeMap<>();
    tags.forEach(t -> map.put(t.key(), t.value()));
    return map;
  }
}
