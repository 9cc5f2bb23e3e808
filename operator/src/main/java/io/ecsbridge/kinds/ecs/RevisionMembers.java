package io.ecsbridge.kinds.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.ecsbridge.aws.SdkJson;
import io.ecsbridge.aws.ServiceGateway;
import io.ecsbridge.contract.Shape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceCurrentRevisionSummary;

/**
 * The service's members that ECS reports on its deployments and revisions, not on the service: Service Connect,
 * volume configurations, VPC Lattice. Read from the PRIMARY deployment DescribeServices already returned; a member
 * the spec uses that the deployment does not report is read from the service's current revision
 * (DescribeServiceRevisions), and a revision is read once: its content never changes, so it is kept by ARN. An
 * in-sync resync therefore reads nothing more than DescribeServices. A member neither the spec nor the deployment has
 * is absent (none, disabled): nothing is read for it.
 *
 * <p>The comparison is of canonical JSON ({@link ServiceShape}'s normalization of the model's JSON), never of an SDK
 * object's text, so an SDK upgrade changes nothing that is compared. Where ECS fills in a member the spec leaves out
 * (a client alias's dnsName, the cluster's default namespace, a volume's type or file system, a timeout's default),
 * ECS's value is taken for the spec's; a namespace given by name and reported as an ARN (or the reverse) is the same.
 */
final class RevisionMembers {
  static final List<String> NAMES = List.of("serviceConnectConfiguration", "volumeConfigurations",
      "vpcLatticeConfigurations");
  private static final int CACHED_REVISIONS = 1024;

  private final ServiceGateway ecs;
  private final Map<String, ObjectNode> revisions = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
      return size() > CACHED_REVISIONS;
    }
  };

  RevisionMembers(ServiceGateway ecs) {
    this.ecs = ecs;
  }

  /**
   * The members as ECS reports them for this service (JSON in the request's shape, absent = none): the PRIMARY
   * deployment's, and for those the spec uses that it does not report, the current revision's.
   */
  ObjectNode live(String region, EcsServiceSpec spec, Service service) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    Optional<Deployment> primary = service.deployments().stream().filter(d -> "PRIMARY".equals(d.status()))
        .findFirst();
    primary.map(SdkJson::toJson).ifPresent(d -> copy(d, out, NAMES));
    ObjectNode specJson = Shape.json(spec);
    List<String> missing = NAMES.stream().filter(n -> Shape.clean(specJson.get(n)) != null && !out.has(n)).toList();
    if (!missing.isEmpty() && service.hasCurrentServiceRevisions() && !service.currentServiceRevisions().isEmpty()) {
      current(region, service.currentServiceRevisions()).ifPresent(r -> copy(r, out, missing));
    }
    return out;
  }

  /** The newest of the service's current revisions (one while no deployment is in progress), read once per ARN. */
  private Optional<ObjectNode> current(String region, List<ServiceCurrentRevisionSummary> summaries) {
    List<String> arns = summaries.stream().map(ServiceCurrentRevisionSummary::arn).filter(Objects::nonNull).toList();
    List<String> unread;
    synchronized (revisions) {
      unread = arns.stream().filter(a -> !revisions.containsKey(a)).toList();
    }
    if (!unread.isEmpty()) {
      ecs.describeRevisions(region, unread).forEach(r -> {
        synchronized (revisions) {
          revisions.put(r.serviceRevisionArn(), SdkJson.toJson(r));
        }
      });
    }
    List<ObjectNode> known = new ArrayList<>();
    synchronized (revisions) {
      arns.stream().map(revisions::get).filter(Objects::nonNull).forEach(known::add);
    }
    return known.stream().max(Comparator.comparing(RevisionMembers::createdAt));
  }

  private static Instant createdAt(JsonNode revision) {
    String at = revision.path("createdAt").asText("");
    return at.isEmpty() ? Instant.EPOCH : Instant.parse(at);
  }

  private static void copy(ObjectNode from, ObjectNode to, List<String> names) {
    names.forEach(n -> {
      if (Shape.clean(from.get(n)) != null) {
        to.set(n, from.get(n));
      }
    });
  }

  // ---- the same for ECS (ServiceShape's same predicates, on canonical forms) -----------------------------------------

  /**
   * Service Connect: the spec's canonical form, with what ECS fills in where the spec says nothing (the namespace, a
   * discoveryName, a client alias's dnsName, timeouts, the TLS key), equals the live one. A namespace name and an ARN
   * are not told apart (ECS reports what it was given; older services an ARN).
   */
  static boolean sameServiceConnect(JsonNode spec, JsonNode live) {
    if (spec == null || live == null) {
      return Objects.equals(spec, live);
    }
    ObjectNode want = (ObjectNode) spec.deepCopy();
    String namespace = want.path("namespace").asText(null);
    String liveNamespace = live.path("namespace").asText(null);
    if (namespace == null || (liveNamespace != null && isArn(namespace) != isArn(liveNamespace))) {
      setFrom(want, live, "namespace");
    }
    if (want.get("services") instanceof ArrayNode services && live.get("services") instanceof ArrayNode have
        && services.size() == have.size()) {
      for (int i = 0; i < services.size(); i++) {
        ObjectNode s = (ObjectNode) services.get(i);
        JsonNode h = have.get(i);
        if (s.get("timeout") instanceof ObjectNode timeout) {
          fillFrom(timeout, h.get("timeout"), "idleTimeoutSeconds", "perRequestTimeoutSeconds");
        } else {
          setFrom(s, h, "timeout");
        }
        if (s.get("tls") instanceof ObjectNode tls) {
          fillFrom(tls, h.get("tls"), "kmsKey", "roleArn");
        }
        if (s.get("clientAliases") instanceof ArrayNode aliases && h.get("clientAliases") instanceof ArrayNode hs
            && aliases.size() == hs.size()) {
          for (int j = 0; j < aliases.size(); j++) {
            fillFrom((ObjectNode) aliases.get(j), hs.get(j), "dnsName");
          }
        }
      }
    }
    return want.equals(live);
  }

  /** Volume configurations: each EBS volume's members the spec leaves out are ECS's (type, file system, ...). */
  static boolean sameVolumes(JsonNode spec, JsonNode live) {
    if (!(spec instanceof ArrayNode want) || !(live instanceof ArrayNode have) || want.size() != have.size()) {
      return Objects.equals(spec, live);
    }
    ArrayNode filled = want.deepCopy();
    for (int i = 0; i < filled.size(); i++) {
      if (filled.get(i).get("managedEBSVolume") instanceof ObjectNode ebs) {
        JsonNode h = have.get(i).get("managedEBSVolume");
        fillFrom(ebs, h, "encrypted", "kmsKeyId", "volumeType", "sizeInGiB", "iops", "throughput", "filesystemType",
            "volumeInitializationRate");
      }
    }
    return filled.equals(live);
  }

  private static boolean isArn(String value) {
    return value.startsWith("arn:");
  }

  private static void setFrom(ObjectNode to, JsonNode from, String name) {
    if (from != null && from.has(name)) {
      to.set(name, from.get(name));
    }
  }

  /** The named members of {@code from} that the object lacks, copied. */
  private static void fillFrom(ObjectNode to, JsonNode from, String... names) {
    if (from == null || !from.isObject()) {
      return;
    }
    for (String name : names) {
      if (!to.has(name) && from.has(name)) {
        to.set(name, from.get(name));
      }
    }
  }
}
