package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Ownership;

import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.aws.TaskDefinitionGateway;
import io.ecsbridge.aws.TaskDefinitionGateway.Revision;
import io.ecsbridge.status.EventRecorder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task definition family's history: the revisions a resource registered beyond its revisionHistoryLimit are
 * deregistered, oldest first, but never one a service managed here still runs. Revisions registered by others
 * neither count nor are touched. Deletion deregisters the revisions a resource registered, and no other. The values
 * secrets of Secret references ({@link TaskDefinitionSecrets}) and the parameters of ConfigMap values as: Parameter
 * ({@link TaskDefinitionParameters}) go with the last ACTIVE revision tagged with them.
 */
final class RevisionHistory {
  private static final Logger log = LoggerFactory.getLogger(RevisionHistory.class);

  private final TaskDefinitionGateway ecs;
  private final RevisionsInUse inUse;
  private final EventRecorder events;
  private final TaskDefinitionSecrets secrets;
  private final TaskDefinitionParameters parameters;

  RevisionHistory(TaskDefinitionGateway ecs, RevisionsInUse inUse, EventRecorder events,
      TaskDefinitionSecrets secrets, TaskDefinitionParameters parameters) {
    this.parameters = parameters;
    this.ecs = ecs;
    this.inUse = inUse;
    this.events = events;
    this.secrets = secrets;
  }

  /** Deregisters the revisions older than {@code current} tagged {@code owner} beyond the limit, each in an Event. */
  void prune(EcsTaskDefinition resource, String region, Revision current, String owner) {
    if (current.revision() <= 1) {
      return; // nothing older
    }
    int limit = resource.getSpec().revisionHistoryLimit();
    List<String> older = new ArrayList<>(ecs.activeRevisions(region, current.family()).stream()
        .filter(arn -> TaskDefinitionGateway.revisionOf(arn) < current.revision())
        .toList());
    Collections.reverse(older); // newest first
    Set<String> used;
    try {
      used = inUse.arns(resource.getMetadata().getNamespace()).stream()
          .map(RevisionHistory::shortName).collect(Collectors.toSet());
    } catch (RuntimeException e) {
      // not knowing what services run means not pruning now; the next registration or spec change tries again
      events.warning(resource, "PruneDeferred", "Older revisions were not pruned: could not read which "
          + "revisions EcsServices run (" + e.getMessage() + ")");
      return;
    }
    List<String> prune = new ArrayList<>();
    Set<String> valuesKept = new HashSet<>();
    Set<String> parametersKept = new HashSet<>();
    int kept = 0;
    for (String arn : older) {
      Map<String, String> tags = ecs.tags(region, arn);
      if (!owner.equals(tags.get(Ownership.TAG))) {
        addIfPresent(valuesKept, tags.get(TaskDefinitionSecrets.VALUES_TAG));
        addIfPresent(parametersKept, tags.get(TaskDefinitionParameters.VALUES_TAG));
        continue;
      }
      int before = prune.size();
      if (kept < limit) {
        kept++;
      } else if (used.contains(shortName(arn))) {
        log.info("keeping {}: beyond revisionHistoryLimit {} but still run by a service", shortName(arn), limit);
      } else {
        prune.add(arn);
      }
      if (prune.size() == before) {
        addIfPresent(valuesKept, tags.get(TaskDefinitionSecrets.VALUES_TAG));
        addIfPresent(parametersKept, tags.get(TaskDefinitionParameters.VALUES_TAG));
      }
    }
    Collections.reverse(prune); // oldest first
    for (String arn : prune) {
      ecs.deregister(region, arn);
      events.normal(resource, "Deregistered", "Deregistered task definition " + shortName(arn)
          + " (beyond revisionHistoryLimit " + limit + ")");
    }
    if (!prune.isEmpty()) {
      // the values secrets only the deregistered revisions referenced: an ACTIVE revision's stays readable
      addIfPresent(valuesKept, current.tags().get(TaskDefinitionSecrets.VALUES_TAG));
      secrets.sweep(resource, region, valuesKept, resource.getStatus().valuesSecretArn);
      addIfPresent(parametersKept, current.tags().get(TaskDefinitionParameters.VALUES_TAG));
      parameters.sweep(resource, region, parametersKept, resource.getStatus().parametersArn);
    }
  }

  private static void addIfPresent(Set<String> set, String value) {
    if (value != null) {
      set.add(value);
    }
  }

  /** Deregisters every ACTIVE revision of the family tagged {@code owner}, told in one Event; leaves the others. */
  void deregisterOwn(EcsTaskDefinition resource, String region, String owner) {
    String family = resource.family();
    int deregistered = 0;
    int foreign = 0;
    for (String arn : ecs.activeRevisions(region, family)) {
      if (owner.equals(ecs.tags(region, arn).get(Ownership.TAG))) {
        ecs.deregister(region, arn);
        deregistered++;
      } else {
        foreign++;
      }
    }
    secrets.deleteAll(resource, region);
    parameters.deleteAll(resource, region);
    if (deregistered > 0) {
      events.normal(resource, "Deleted", "Deregistered " + deregistered + " revision(s) of task definition "
          + "family " + family + (foreign > 0 ? "; " + foreign + " revision(s) not registered by this resource left "
          + "ACTIVE" : ""));
    } else if (foreign > 0) {
      events.normal(resource, "NotDeleted", "Task definition family " + family + " has no revision registered "
          + "by this resource: " + foreign + " revision(s) left ACTIVE");
    }
  }

  /** family:revision of an ARN or of family:revision itself. */
  static String shortName(String arn) {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }
}
