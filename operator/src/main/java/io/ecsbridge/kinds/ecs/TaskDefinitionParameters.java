package io.ecsbridge.kinds.ecs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus;
import io.ecsbridge.aws.ParametersGateway;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.kinds.ecs.TaskDefinitionReferences.ParameterRef;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An EcsTaskDefinition's ConfigMap references with {@code as: Parameter}: each value is a String parameter of SSM
 * Parameter Store the operator owns, {@code /ecsbridge/<instance>/<namespace>/<resource>/<random>/<ConfigMap>/<key>}
 * (owner-tagged), referenced from the container's {@code secrets[]} by its ARN. Within SSM's name rules by
 * construction: Kubernetes names and ConfigMap keys use only {@code a-z A-Z 0-9 . _ -}, the instance id too; 7 levels
 * (SSM allows 15); at most 64 + 63 + 253 + 10 + 253 + 253 characters and separators, 969 with the longest ARN part
 * before the name, under SSM's 1011.
 *
 * <p>A set of parameters is immutable, like a values secret ({@link TaskDefinitionSecrets}): other values are written
 * under a new random path, at the moment the revision that needs them is registered (their new ARNs are the one
 * content change, so one revision), and the path's random part is tagged on the revisions ({@link #VALUES_TAG}). ConfigMaps
 * are not secret, so status remembers the hash of the values it wrote ({@code parametersHash}) and unchanged values
 * cost no AWS call. A set is deleted (DeleteParameters) when no ACTIVE revision is tagged with it any more (after a
 * prune), and all of them when the resource is deleted.
 */
final class TaskDefinitionParameters {

  /** On a revision: the random part of the parameters' path it references. */
  static final String VALUES_TAG = "ecsbridge.io/parameter-values";
  static final String UNAVAILABLE = "ParameterReferencesUnavailable";
  private static final String PENDING = "arn:aws:ssm:pending:000000000000:parameter/pending/";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The parameters of one pass and the path (as an ARN, ending in /) holding them ({@link StoredValues.Set}). */
  final class Values extends StoredValues.Set {
    private final EcsTaskDefinition resource;
    private final String region;
    final List<ParameterRef> refs;
    final String hash;

    Values(EcsTaskDefinition resource, String region, List<ParameterRef> refs, String hash, String arn) {
      super(arn, PENDING);
      this.resource = resource;
      this.region = region;
      this.refs = refs;
      this.hash = hash;
    }

    @Override
    String make() {
      String path = prefix(resource) + StoredValues.suffix();
      Map<String, String> tags = Map.of(Ownership.TAG, Ownership.value(instanceId, resource));
      Map<String, String> values = values(refs);
      values.forEach((member, value) -> gateway.put(region, path + "/" + member, value, tags));
      String any = gateway.list(region, path).stream().findFirst().map(ParametersGateway.Parameter::arn)
          .orElseThrow(() -> new IllegalStateException("Parameter Store lists no parameter under " + path
              + " right after writing them"));
      events.normal(resource, "ParameterValuesStored", "Stored " + values.size()
          + " ConfigMap value(s) as Parameter Store parameters under " + path);
      return any.substring(0, any.indexOf(":parameter/") + ":parameter".length()) + path + "/";
    }
  }

  private final ParametersGateway gateway;
  private final String instanceId;
  private final EventRecorder events;

  /** @param gateway null: no Parameter Store access (unit tests of other features); a reference is Stalled */
  TaskDefinitionParameters(ParametersGateway gateway, String instanceId, EventRecorder events) {
    this.gateway = gateway;
    this.instanceId = instanceId;
    this.events = events;
  }

  /** The path of this resource's parameters: instance, namespace and name (never shared across them). */
  String prefix(EcsTaskDefinition resource) {
    return "/ecsbridge/" + instanceId + "/" + resource.getMetadata().getNamespace() + "/"
        + resource.getMetadata().getName() + "/";
  }

  /**
   * Where a pass works with parameters: empty without {@code as: Parameter} references; else the values and the
   * path that holds them when status says it wrote exactly these (no AWS call), or the verdict that ends the pass.
   */
  Optional<Values> place(EcsTaskDefinition resource, EcsTaskDefinitionStatus status, String region,
      List<ParameterRef> refs) throws TaskDefinitionSecrets.Refused {
    if (refs == null || refs.isEmpty()) {
      return Optional.empty();
    }
    if (gateway == null) {
      throw new TaskDefinitionSecrets.Refused(Health.stalled(UNAVAILABLE, "This operator has no Parameter Store "
          + "access: ConfigMap references with as: Parameter cannot be stored"));
    }
    String hash = TaskDefinitionContent.hash(MAPPER.valueToTree(values(refs)));
    String arn = status.parametersArn != null && hash.equals(status.parametersHash) ? status.parametersArn : null;
    return Optional.of(new Values(resource, region, refs, hash, arn));
  }

  /** The values by parameter name under a path ({@code <ConfigMap>/<key>}). */
  private static Map<String, String> values(List<ParameterRef> refs) {
    Map<String, String> values = new TreeMap<>();
    refs.forEach(r -> values.put(r.member(), r.value()));
    return values;
  }

  /** After a pass: the path in use and the hash of the values under it, once written. */
  static void remember(EcsTaskDefinitionStatus status, Values values) {
    if (values == null) {
      status.parametersArn = null;
      status.parametersHash = null;
    } else if (values.known() != null) {
      status.parametersArn = values.known();
      status.parametersHash = values.hash;
    }
  }

  /** Each reference as a {@code secrets[]} entry on its parameter's ARN. */
  static void apply(ObjectNode json, Values values) {
    if (values != null) {
      String arn = values.arnOrPending();
      StoredValues.addSecrets(json, values.refs.stream()
          .map(r -> new StoredValues.Entry(r.container(), r.variable(), arn + r.member())).toList());
    }
  }

  /** The tag that names the parameters' path on a revision (none without such references). */
  static void tag(Map<String, String> tags, Values values) {
    if (values != null) {
      tags.put(VALUES_TAG, suffixOf(values.arnOrPending()));
    }
  }

  private static String suffixOf(String pathArn) {
    String path = pathArn.substring(0, pathArn.length() - 1);
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * Deletes this resource's parameters whose path no ACTIVE revision references any more ({@code kept}: the
   * {@link #VALUES_TAG} values of the ACTIVE revisions) and that is not {@code current}, each path in an Event. The
   * path is this resource's alone (instance, namespace, name), so no tag is read per parameter.
   */
  void sweep(EcsTaskDefinition resource, String region, Set<String> kept, String current) {
    sweep(resource, region, kept, current, "no ACTIVE revision references them");
  }

  private void sweep(EcsTaskDefinition resource, String region, Set<String> kept, String current, String why) {
    if (gateway == null) {
      return;
    }
    String prefix = prefix(resource);
    String keep = current == null ? null : suffixOf(current);
    Map<String, List<String>> byPath = new TreeMap<>();
    for (ParametersGateway.Parameter p : gateway.list(region, prefix.substring(0, prefix.length() - 1))) {
      if (p.name().startsWith(prefix)) {
        String rest = p.name().substring(prefix.length());
        String suffix = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        if (!kept.contains(suffix) && !suffix.equals(keep)) {
          byPath.computeIfAbsent(suffix, k -> new ArrayList<>()).add(p.name());
        }
      }
    }
    byPath.forEach((suffix, names) -> {
      gateway.delete(region, names);
      events.normal(resource, "ParameterValuesDeleted", "Deleted " + names.size() + " Parameter Store "
          + "parameter(s) under " + prefix + suffix + " (" + why + ")");
    });
  }

  /** Deletes every parameter of this resource. */
  void deleteAll(EcsTaskDefinition resource, String region) {
    sweep(resource, region, Set.of(), null, "the resource is deleted");
  }
}
