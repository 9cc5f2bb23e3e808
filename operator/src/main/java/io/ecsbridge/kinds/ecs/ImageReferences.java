package io.ecsbridge.kinds.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.ContainerDefinition;
import io.ecsbridge.api.v1alpha1.ContainerDefinition.ImageFrom;
import io.ecsbridge.api.v1alpha1.ContainerDefinition.Severity;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionSpec;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus.ImageStatus;
import io.ecsbridge.aws.EcrGateway;
import io.ecsbridge.aws.EcrGateway.Image;
import io.ecsbridge.cache.LeanItemStore;
import io.ecsbridge.contract.StartupAdds;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A container's {@code imageFrom}: a tag of an EcrRepository custom resource of the task definition's own namespace
 * (never another's), pinned to {@code <repositoryUri>@<digest>}. The repository must be Ready (else Reconciling
 * ReferenceNotReady, no AWS call, watched); the tag's digest is read from ECR (DescribeImages by tag: one call per
 * distinct repository and tag per pass). A tag that does not exist yet is Reconciling ImageNotFound, looked at again
 * on the frame's escalating polls (2 s, then 5, 15, 30 s), never written to AWS. With {@code maxSeverity} the digest
 * passes the scan gate ({@link #gate}) before it can reach a revision.
 *
 * <p>ECR sends no event on a push: a re-pushed tag is seen on this task definition's next pass, which an EcrRepository
 * whose {@code status.images} changed (its own reconcile reads the latest images) triggers through the event source
 * here, else the task definition's own resync.
 */
public final class ImageReferences {

  static final String REFERENCE_NOT_READY = "ReferenceNotReady";
  static final String IMAGE_NOT_FOUND = "ImageNotFound";
  static final String SCAN_PENDING = "ScanPending";
  static final String IMAGE_VULNERABLE = "ImageVulnerable";
  static final String SCAN_UNAVAILABLE = "ScanUnavailable";
  static final String REPOSITORY_INDEX = "ecrRepositoryRef";
  /** The first look again at a tag not found or a scan in progress; {@code Polls.escalate} makes it rarer. */
  static final Duration POLL = Duration.ofSeconds(2);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Where EcrRepository custom resources are read: the informer's cache in the operator, a map in unit tests. */
  public interface Repositories {
    Optional<EcrRepository> get(Context<EcsTaskDefinition> context, String namespace, String name);

    @SuppressWarnings("unchecked")
    static Repositories informers() {
      return (context, namespace, name) -> ((InformerEventSource<EcrRepository, EcsTaskDefinition>) context
          .eventSourceRetriever().getEventSourceFor(EcrRepository.class)).get(new ResourceID(name, namespace));
    }
  }

  /** A container's image, pinned: the repository's URI, the tag, and the digest it points at. */
  public record Pinned(String repository, String tag, String digest) {
    public String image() {
      return repository + "@" + digest;
    }
  }

  /**
   * The pinned image of each container with imageFrom (by container name; empty without imageFrom), the hash of what
   * the repositories' custom resources reported (null without imageFrom), or (verdict) why not, and when to look again.
   */
  public record Resolved(Map<String, Pinned> images, String sourcesHash, Health verdict, Duration requeue) {}

  private final Repositories repositories;
  private final EcrGateway ecr;
  private final Function<String, String> regions;
  private final Duration tagPoll;

  /** Without a tag poll: a re-push is seen when the repository refreshes its status or on the resync. */
  public ImageReferences(Repositories repositories, EcrGateway ecr, Function<String, String> regions) {
    this(repositories, ecr, regions, Duration.ZERO);
  }

  /**
   * @param tagPoll how often a task definition with imageFrom looks at its tags' digests again (ECR sends no event
   *     on a push); zero: only on events and the resync
   */
  public ImageReferences(Repositories repositories, EcrGateway ecr, Function<String, String> regions,
      Duration tagPoll) {
    this.repositories = repositories;
    this.ecr = ecr;
    this.regions = regions;
    this.tagPoll = tagPoll;
  }

  /** When a task definition with imageFrom, in sync, looks at its tags again; empty without imageFrom or poll. */
  Optional<Duration> nextLook(EcsTaskDefinitionSpec spec) {
    return containers(spec).isEmpty() || tagPoll.isZero() || tagPoll.isNegative() ? Optional.empty()
        : Optional.of(tagPoll);
  }

  /** Resolves every imageFrom of the resource (its own namespace), reading ECR only once every repository is Ready. */
  Resolved resolve(EcsTaskDefinition resource, Context<EcsTaskDefinition> context) {
    Map<String, ContainerDefinition> from = containers(resource.getSpec());
    if (from.isEmpty()) {
      return new Resolved(Map.of(), null, null, null);
    }
    Map<String, Optional<EcrRepository>> repos = repositories(resource, context);
    String hash = sourcesHash(from, repos);
    List<String> notReady = new ArrayList<>();
    from.forEach((name, c) -> {
      String ref = c.imageFrom.ecrRepositoryRef.name;
      Optional<EcrRepository> repo = repos.get(ref);
      if (repo.isEmpty() || uri(repo.get()) == null) {
        notReady.add("EcrRepository " + ref + (repo.isEmpty() ? " does not exist" : " is not Ready")
            + " (imageFrom of container " + name + ")");
      }
    });
    if (!notReady.isEmpty()) {
      return new Resolved(null, hash, Health.progressing(REFERENCE_NOT_READY, String.join("; ", notReady)), null);
    }
    Map<String, Optional<Image>> looked = new TreeMap<>(); // one DescribeImages per repository and tag
    Map<String, Pinned> pinned = new TreeMap<>();
    List<Health> verdicts = new ArrayList<>();
    from.forEach((name, c) -> {
      EcrRepository repo = repos.get(c.imageFrom.ecrRepositoryRef.name).get();
      Optional<Image> image = looked.computeIfAbsent(repo.getMetadata().getName() + ":" + c.imageFrom.tag,
          k -> ecr.image(regions.apply(repo.getSpec().getRegion()), repo.repositoryName(), c.imageFrom.tag));
      Health verdict = gate(name, repo.getMetadata().getName(), c.imageFrom, image);
      if (verdict != null) {
        verdicts.add(verdict);
      } else {
        pinned.put(name, new Pinned(uri(repo), c.imageFrom.tag, image.get().digest()));
      }
    });
    Health verdict = combine(verdicts);
    Duration requeue = verdict != null && verdict.state() == Health.State.PROGRESSING ? POLL : null;
    return verdict != null ? new Resolved(null, hash, verdict, requeue) : new Resolved(pinned, hash, null, null);
  }

  /**
   * The verdict on a container's image, or null when it may be run: a tag not found is ImageNotFound; with
   * maxSeverity, a scan ECR is still running (IN_PROGRESS, PENDING) is ScanPending, a scan that did not or cannot
   * run (none, FAILED, UNSUPPORTED_IMAGE, ...) is Stalled ScanUnavailable (an image nobody scanned is not taken as
   * clean), and findings of a severity above maxSeverity are Stalled ImageVulnerable with the counts by severity. A
   * severity ECR adds later, unknown here, counts as above any maxSeverity.
   */
  static Health gate(String container, String repository, ImageFrom from, Optional<Image> found) {
    String what = "tag " + from.tag + " of EcrRepository " + repository + " (container " + container + ")";
    if (found.isEmpty()) {
      return Health.progressing(IMAGE_NOT_FOUND, "No image has the " + what + " yet; looking again on a backoff");
    }
    Image image = found.get();
    if (from.maxSeverity == null) {
      return null;
    }
    String scan = image.scanStatus();
    String digest = image.digest();
    if (image.scanInProgress()) {
      return Health.progressing(SCAN_PENDING, "The scan of " + digest + " (" + what + ") is " + scan
          + "; the image is rolled out once its findings are known (maxSeverity " + from.maxSeverity + ")");
    }
    if (!"COMPLETE".equals(scan) && !"ACTIVE".equals(scan)) {
      return Health.stalled(SCAN_UNAVAILABLE, "The image " + digest + " (" + what + ") has "
          + (scan == null ? "no scan" : "scan status " + scan) + ", so maxSeverity " + from.maxSeverity
          + " cannot be checked; not rolled out (enable scanOnPush or start a scan)");
    }
    Map<String, Integer> above = above(image.findingSeverityCounts(), from.maxSeverity);
    if (above.isEmpty()) {
      return null;
    }
    return Health.stalled(IMAGE_VULNERABLE, "The image " + digest + " (" + what + ") has findings above maxSeverity "
        + from.maxSeverity + ": " + counts(image.findingSeverityCounts())
        + "; not rolled out, services stay on the current revision");
  }

  /** The counts of findings of a severity above {@code max} (ECR's order), highest first. */
  static Map<String, Integer> above(Map<String, Integer> counts, Severity max) {
    Map<String, Integer> out = new LinkedHashMap<>();
    counts.entrySet().stream().filter(e -> e.getValue() != null && e.getValue() > 0)
        .filter(e -> rank(e.getKey()) < max.ordinal())
        .sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(rank(a), rank(b))))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** A severity's place in ECR's order (CRITICAL 0); one unknown here ranks above CRITICAL. */
  private static int rank(String severity) {
    try {
      return Severity.valueOf(severity).ordinal();
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  /** The counts by severity in ECR's order, e.g. "CRITICAL 1, HIGH 2". */
  static String counts(Map<String, Integer> counts) {
    return counts.entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(rank(a), rank(b))))
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }

  /** Stalled verdicts win (nothing is rolled out), then Reconciling ones; messages of the same reason are joined. */
  private static Health combine(List<Health> verdicts) {
    if (verdicts.isEmpty()) {
      return null;
    }
    Health first = verdicts.stream().filter(h -> h.state() == Health.State.STALLED).findFirst()
        .orElse(verdicts.get(0));
    String message = verdicts.stream().filter(h -> h.reason().equals(first.reason())).map(Health::message)
        .collect(Collectors.joining("; "));
    return first.state() == Health.State.STALLED ? Health.stalled(first.reason(), message)
        : Health.progressing(first.reason(), message);
  }

  /** The spec's JSON (a new tree or the one given) with each pinned container's image set to its digest form. */
  static ObjectNode pinned(ObjectNode json, Map<String, Pinned> images) {
    if (images != null && !images.isEmpty() && json.get("containerDefinitions") instanceof ArrayNode containers) {
      for (JsonNode c : containers) {
        Pinned p = images.get(c.path("name").asText());
        if (p != null) {
          ((ObjectNode) c).put("image", p.image());
        }
      }
    }
    return json;
  }

  /** Whether a pinned image differs from the one status reports (a tag pushed again: Updated, not drift). */
  static boolean moved(Map<String, Pinned> images, List<ImageStatus> status) {
    return !digests(statusOf(images, status, Instant.EPOCH)).equals(digests(status));
  }

  private static List<String> digests(List<ImageStatus> images) {
    return images == null ? List.of() : images.stream().map(i -> i.container + "@" + i.digest).toList();
  }

  /** status.images for the pinned images; a digest already reported keeps its resolvedAt (a resync writes nothing). */
  static List<ImageStatus> statusOf(Map<String, Pinned> images, List<ImageStatus> before, Instant now) {
    if (images == null || images.isEmpty()) {
      return null;
    }
    List<ImageStatus> out = new ArrayList<>();
    images.forEach((container, p) -> {
      ImageStatus s = new ImageStatus();
      s.container = container;
      s.repository = p.repository();
      s.tag = p.tag();
      s.digest = p.digest();
      s.resolvedAt = (before == null ? List.<ImageStatus>of() : before).stream()
          .filter(b -> container.equals(b.container) && p.digest().equals(b.digest) && b.resolvedAt != null)
          .map(b -> b.resolvedAt).findFirst().orElse(now.toString());
      out.add(s);
    });
    return out;
  }

  /**
   * Whether what the referenced repositories report (Ready and URI, the tag's digest and scan in status.images) has
   * changed since the last pass (status.imageSourcesHash): a Stalled task definition (a vulnerable digest, a scan
   * that could not run) is looked at at once when the tag moves or a scan completes. Reads the cache only.
   */
  boolean changed(EcsTaskDefinition resource, Context<EcsTaskDefinition> context) {
    Map<String, ContainerDefinition> from = containers(resource.getSpec());
    return !from.isEmpty() && !Objects.equals(sourcesHash(from, repositories(resource, context)),
        resource.getStatus().imageSourcesHash);
  }

  private Map<String, Optional<EcrRepository>> repositories(EcsTaskDefinition resource,
      Context<EcsTaskDefinition> context) {
    String namespace = resource.getMetadata().getNamespace();
    Map<String, Optional<EcrRepository>> out = new TreeMap<>();
    containers(resource.getSpec()).values().forEach(c -> out.computeIfAbsent(c.imageFrom.ecrRepositoryRef.name,
        name -> repositories.get(context, namespace, name)));
    return out;
  }

  /** The hash of what each container's repository reports about its tag (see {@link #changed}). */
  private static String sourcesHash(Map<String, ContainerDefinition> from, Map<String, Optional<EcrRepository>> repos) {
    Map<String, Object> seen = new TreeMap<>();
    from.forEach((name, c) -> {
      Optional<EcrRepository> repo = repos.get(c.imageFrom.ecrRepositoryRef.name);
      Map<String, Object> source = new TreeMap<>();
      source.put("uri", repo.map(ImageReferences::uri).orElse(null));
      repo.map(EcrRepository::getStatus).map(s -> s.images).orElse(List.of()).stream()
          .filter(i -> i.imageTags != null && i.imageTags.contains(c.imageFrom.tag)).findFirst()
          .ifPresent(i -> source.put("image", List.of(i.imageDigest, String.valueOf(i.scanStatus),
              String.valueOf(i.findingSeverityCounts))));
      seen.put(name, source);
    });
    return TaskDefinitionContent.hash(MAPPER.valueToTree(seen));
  }

  /** The repository's URI once it is Ready, else null. */
  private static String uri(EcrRepository repo) {
    return repo.getStatus() != null && Conditions.isTrue(repo.getStatus(), Conditions.READY)
        ? repo.getStatus().repositoryUri : null;
  }

  /** The containers with imageFrom, by name. */
  private static Map<String, ContainerDefinition> containers(EcsTaskDefinitionSpec spec) {
    Map<String, ContainerDefinition> out = new TreeMap<>();
    if (spec != null && spec.containerDefinitions != null) {
      spec.containerDefinitions.stream().filter(c -> c.imageFrom != null).forEach(c -> out.put(c.name, c));
    }
    return out;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /**
   * Watches EcrRepository custom resources (in the controller's namespaces): one that appears, becomes Ready, or whose
   * status.images changes (its reconcile refreshes them) reconciles the task definitions of its namespace naming it,
   * found through an index on the names they reference.
   */
  static List<EventSource<?, EcsTaskDefinition>> eventSources(EventSourceContext<EcsTaskDefinition> context) {
    context.getPrimaryCache().addIndexers(Map.of(REPOSITORY_INDEX, td -> containers(td.getSpec()).values().stream()
        .map(c -> key(td.getMetadata().getNamespace(), c.imageFrom.ecrRepositoryRef.name)).distinct().toList()));
    var repositories = new InformerEventSource<>(
        StartupAdds.dropListed(InformerEventSourceConfiguration.from(EcrRepository.class, EcsTaskDefinition.class))
            .withName("ecstaskdefinition-ecrrepositories")
            .withNamespacesInheritedFromController()
            .withItemStore(LeanItemStore.create(context))
            .withSecondaryToPrimaryMapper(r -> context.getPrimaryCache()
                .byIndex(REPOSITORY_INDEX, key(r.getMetadata().getNamespace(), r.getMetadata().getName()))
                .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
            .withOnUpdateFilter((newer, older) -> !Objects.equals(uri(newer), uri(older))
                || !Objects.equals(images(newer), images(older)))
            .build(), context);
    return List.of(repositories);
  }

  private static JsonNode images(EcrRepository repo) {
    return repo.getStatus() == null ? null : MAPPER.valueToTree(repo.getStatus().images);
  }
}
