package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.RegionalContract;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.Shape;
import io.ecsbridge.contract.Tags;
import io.ecsbridge.contract.Verdicts;

import static io.ecsbridge.kinds.ecr.RepositoryShape.SHAPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcrImageStatus;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcrRepositorySpec;
import io.ecsbridge.api.v1alpha1.EcrRepositoryStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AwsErrors;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.BatchingRepositoryGateway;
import io.ecsbridge.aws.Lanes;
import io.ecsbridge.aws.EcrGateway;
import io.ecsbridge.aws.EcrGateway.Repository;
import io.ecsbridge.aws.SdkJson;
import io.ecsbridge.status.Health;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest;
import software.amazon.awssdk.services.ecr.model.PutImageScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.PutImageTagMutabilityRequest;
import software.amazon.awssdk.services.ecr.model.Tag;

/**
 * EcrRepository: read the repository (describe, tags, lifecycle policy, repository policy, images when due: see
 * {@link RepositoryReadAhead}), write only what differs from the spec ({@link RepositoryShape} says what is compared
 * and how), report what ECR says.
 */
@ControllerConfiguration(name = "ecrrepository")
public class EcrRepositoryReconciler
    extends RegionalContract<EcrRepository, EcrRepositorySpec, EcrRepositoryStatus, Repository> {

  /** ECR's limit on a repository policy (SetRepositoryPolicy policyText), in characters. */
  static final int MAX_POLICY_CHARACTERS = 10_240;

  private final BatchingRepositoryGateway ecr;
  private final RepositoryReadAhead readAhead;

  /**
   * @param regions resolves spec.region (null when absent) to the region to use
   */
  public EcrRepositoryReconciler(OperatorContext op, EcrGateway ecr, Function<String, String> regions) {
    this(op, ecr, regions, System::nanoTime);
  }

  /** With the read-ahead's clock (tests). */
  EcrRepositoryReconciler(OperatorContext op, EcrGateway ecr, Function<String, String> regions,
      java.util.function.LongSupplier nanos) {
    super(op, regions);
    this.ecr = BatchingRepositoryGateway.of(ecr);
    this.readAhead = new RepositoryReadAhead(this.ecr, op.resyncPeriod(), nanos);
    // a person's change (the frame's USER lane) reads its repository afresh; a resync may use a read-ahead
    readAhead.freshReadRequired(() -> Lanes.current() == Lanes.Lane.USER);
  }

  /**
   * The seam for the frame's lane: {@code required} answers, on the pass's thread, whether this pass must read afresh
   * (a person's change). Wired to the frame's lane ({@link Lanes}: USER reads afresh). Tests may replace it.
   */
  public void freshReadRequired(java.util.function.BooleanSupplier required) {
    readAhead.freshReadRequired(required);
  }

  /** Asks for the passes of repositories read ahead ({@link RepositoryReadAhead}). */
  @Override
  protected List<EventSource<?, EcrRepository>> eventSources(EventSourceContext<EcrRepository> context) {
    return List.of(readAhead.eventSource(context));
  }

  @Override
  protected EcrRepositoryStatus newStatus() {
    return new EcrRepositoryStatus();
  }

  @Override
  protected String what() {
    return "ECR repository";
  }

  @Override
  protected String describe(EcrRepository resource) {
    return "ECR repository " + resource.repositoryName();
  }

  /** A policy over ECR's limit: admission cannot measure the document (CEL serializes nothing), so it is refused here. */
  @Override
  protected Optional<Health> precheck(EcrRepository resource) {
    String policyText = repositoryPolicyText(resource.getSpec());
    if (resource.getSpec().getManagementPolicy() == ManagementPolicy.ObserveOnly || policyText == null
        || policyText.codePointCount(0, policyText.length()) <= MAX_POLICY_CHARACTERS) {
      return Optional.empty();
    }
    return Optional.of(Health.stalled("PolicyTooLarge", "repositoryPolicy is "
        + policyText.codePointCount(0, policyText.length()) + " characters of JSON as sent to ECR, which takes at most "
        + MAX_POLICY_CHARACTERS + " (SetRepositoryPolicy policyText): shorten it, for example by merging statements. "
        + "Nothing was written."));
  }

  @Override
  protected Optional<Repository> observe(EcrRepository resource, String region) {
    return readAhead.describe(resource, region).repository();
  }

  /**
   * A repository this resource has not seen yet (no ARN in status) and that no Stalled verdict is about: CreateRepository
   * first. ECR refuses it when the name exists (RepositoryAlreadyExistsException: nothing changed), so a new repository
   * costs one call instead of a DescribeRepositories that finds nothing and then the create. A Stalled resource (a
   * foreign repository, a refused create) reads first again: its rechecks do not repeat a refused create.
   */
  @Override
  protected boolean createFirst(EcrRepository resource, EcrRepositoryStatus status) {
    return status.arn == null && Verdicts.stalled(status).isEmpty();
  }

  @Override
  protected Map<String, String> tags(Repository live) {
    return live.tags();
  }

  @Override
  protected Optional<Repository> create(EcrRepository resource, String region, String owner) {
    CreateRepositoryRequest.Builder request = CreateRepositoryRequest.builder();
    SdkJson.fill(request, SHAPE.request(Shape.json(resource.getSpec())));
    request.repositoryName(resource.repositoryName()).tags(Tags.desired(resource.getSpec().tags, owner, false)
        .entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
    try {
      return Optional.of(ecr.create(region, request.build()));
    } catch (AwsException e) {
      if (AwsErrors.REPOSITORY_EXISTS.equals(e.errorCode())) {
        return Optional.empty(); // made meanwhile, or by our own create whose reply was lost: observed again
      }
      throw e;
    }
  }

  @Override
  protected void report(EcrRepositoryStatus status, Repository live) {
    status.arn = live.arn();
    status.registryId = live.registryId();
    status.repositoryUri = live.uri();
    status.createdAt = live.createdAt() == null ? null : live.createdAt().toString();
    if (!live.imagesRead()) {
      return; // not read by this pass (RepositoryImagesDue): status keeps what the last read reported
    }
    status.images = live.images().isEmpty() ? null : live.images().stream().map(EcrRepositoryReconciler::image).toList();
  }

  private static EcrImageStatus image(EcrGateway.Image image) {
    EcrImageStatus s = new EcrImageStatus();
    s.imageDigest = image.digest();
    s.imageTags = image.tags().isEmpty() ? null : image.tags(); // as read back: empty is absent
    s.imagePushedAt = image.pushedAt() == null ? null : image.pushedAt().toString();
    s.scanStatus = image.scanStatus();
    s.findingSeverityCounts = image.findingSeverityCounts().isEmpty() ? null : image.findingSeverityCounts();
    return s;
  }

  /** Encryption is fixed at creation: an adopted or observed repository encrypted otherwise never matches the spec. */
  @Override
  protected Optional<Health> unfixable(EcrRepository resource, Repository live) {
    ManagementPolicy policy = resource.getSpec().getManagementPolicy();
    String want = RepositoryShape.encryptionType(Shape.json(resource.getSpec()));
    String have = RepositoryShape.encryptionType(RepositoryShape.live(live));
    if (policy == ManagementPolicy.Managed || want.equals(have)) {
      return Optional.empty();
    }
    return Optional.of(Health.stalled(policy == ManagementPolicy.ObserveOnly ? "OutOfSync" : "EncryptionMismatch",
        "ECR repository " + live.name() + " is encrypted with " + have + " but the spec asks for " + want
            + "; ECR fixes the encryption when a repository is created: change the spec"));
  }

  /**
   * A pass whose DescribeRepositories was read ahead and that would write reads the repository again first, and
   * decides on that read; if the repository is gone or another meanwhile, the pass is retried.
   */
  @Override
  protected List<Change> diff(EcrRepository resource, Repository live, String region, String owner) {
    List<Change> changes = changes(resource.getSpec(), live, region, owner);
    if (changes.isEmpty() || !readAhead.readAgainBeforeWrite(resource)) {
      return changes;
    }
    var fresh = ecr.describeAll(region, List.of(live.name())).getOrDefault(live.name(), Optional.empty());
    if (fresh.isEmpty() || !live.arn().equals(fresh.get().repositoryArn())) {
      throw new AwsException(AwsException.Kind.RETRYABLE, "RepositoryChangedMeanwhile", 0, describe(resource)
          + " changed while it was read: reading it again", null);
    }
    return changes(resource.getSpec(), new Repository(fresh.get(), live.tags(), live.lifecyclePolicyText(),
        live.repositoryPolicyText(), live.images(), live.imagesRead()), region, owner);
  }

  /** The pass reached its verdict: its repository may be read ahead for the next one. */
  @Override
  protected void remember(EcrRepository resource, EcrRepositoryStatus status, String region) {
    readAhead.ended(resource);
  }

  /**
   * While ECR scans one of the latest images, the repository is looked at again after this (its findings), for up to
   * an hour from when a pass first saw the scan ({@code RepositoryImagesDue.SCAN_WAIT}).
   */
  static final Duration SCAN_POLL = Duration.ofSeconds(30);

  @Override
  protected Result health(EcrRepository resource, Repository live, boolean created) {
    Health ready = Health.ready("Synced", "ECR repository " + live.name() + (created ? " created" : " is in sync"));
    if (!live.imagesRead()) {
      return Result.of(ready);
    }
    java.util.Set<String> scanning = live.images().stream().filter(EcrGateway.Image::scanInProgress)
        .map(EcrGateway.Image::digest).collect(java.util.stream.Collectors.toSet());
    return readAhead.awaitScans(resource, scanning) ? Result.of(ready, SCAN_POLL) : Result.of(ready);
  }

  /** Each member of {@link RepositoryShape} that differs, with the call that sets it; then the tags. */
  private List<Change> changes(EcrRepositorySpec spec, Repository live, String region, String owner) {
    String name = live.name();
    ObjectNode want = Shape.json(spec);
    List<Change> changes = new ArrayList<>();
    List<String> differences = SHAPE.differences(want, RepositoryShape.live(live));
    for (String member : differences) {
      if (member.equals(EXCLUSIONS) && differences.contains(MUTABILITY)) {
        continue; // one PutImageTagMutability sends both
      }
      changes.add(change(member, SHAPE.wanted(member, want), spec, region, name));
    }
    boolean observeOnly = spec.getManagementPolicy() == ManagementPolicy.ObserveOnly;
    Tags.diff(Tags.desired(spec.tags, owner, observeOnly), live.tags(), observeOnly, changes,
        add -> ecr.tag(region, live.arn(), add), remove -> ecr.untag(region, live.arn(), remove));
    return changes;
  }

  private Change change(String member, JsonNode value, EcrRepositorySpec spec, String region, String name) {
    ObjectNode request = JsonNodeFactory.instance.objectNode().put("repositoryName", name);
    request.set(member, value);
    return switch (member) {
      case MUTABILITY, EXCLUSIONS -> tagMutability(member, spec, region, name);
      case "imageScanningConfiguration" -> new Change(member,
          "Set scanOnPush to " + value.path("scanOnPush").asBoolean(), () -> ecr.putImageScanningConfiguration(region,
              SdkJson.build(PutImageScanningConfigurationRequest.builder(), request)));
      case "lifecyclePolicy" -> value == null
          ? new Change(member, "Deleted the lifecycle policy", () -> ecr.deleteLifecyclePolicy(region, name))
          : new Change(member, "Put the lifecycle policy",
              () -> ecr.putLifecyclePolicy(region, name, PolicyJson.write(value)));
      case "repositoryPolicy" -> value == null
          ? new Change(member, "Deleted the repository policy", () -> ecr.deleteRepositoryPolicy(region, name))
          : new Change(member, "Set the repository policy",
              () -> ecr.setRepositoryPolicy(region, name, repositoryPolicyText(spec)));
      default -> throw new IllegalStateException("no ECR call sets " + member);
    };
  }

  private static final String MUTABILITY = "imageTagMutability";
  private static final String EXCLUSIONS = "imageTagMutabilityExclusionFilters";

  /** imageTagMutability and its exclusion filters: PutImageTagMutability takes both, so both are sent. */
  private Change tagMutability(String member, EcrRepositorySpec spec, String region, String name) {
    ObjectNode want = Shape.json(spec);
    ObjectNode request = JsonNodeFactory.instance.objectNode().put("repositoryName", name);
    JsonNode mutability = SHAPE.wanted(MUTABILITY, want);
    JsonNode filters = SHAPE.wanted(EXCLUSIONS, want);
    request.set(MUTABILITY, mutability);
    if (filters != null) {
      request.set(EXCLUSIONS, filters);
    }
    String text = "Set imageTagMutability to " + mutability.asText() + (filters == null ? ""
        : " excepting tags " + java.util.stream.StreamSupport.stream(filters.spliterator(), false)
            .map(f -> f.path("filter").asText()).toList());
    return new Change(member, text,
        () -> ecr.putImageTagMutability(region, SdkJson.build(PutImageTagMutabilityRequest.builder(), request)));
  }

  @Override
  protected void deferred(EcrRepository resource) {
    readAhead.deferred(resource);
  }

  @Override
  protected void forgotten(EcrRepository resource) {
    readAhead.forget(resource);
  }

  /** What the read-ahead keeps in memory (tests). */
  int remembered() {
    return readAhead.remembered();
  }

  @Override
  protected DeleteResult remove(EcrRepository resource, Repository live, String region) {
    String name = live.name();
    boolean force = Boolean.TRUE.equals(resource.getSpec().forceDelete);
    try {
      ecr.delete(region, name, force);
    } catch (AwsException e) {
      if ("RepositoryNotEmptyException".equals(e.errorCode())) {
        return DeleteResult.waiting(Health.stalled("RepositoryNotEmpty", "ECR repository " + name
            + " still holds images and was not deleted: " + e.getMessage() + ". Set spec.forceDelete: true to delete "
            + "it with its images, or spec.deletionPolicy: Retain to keep it and release this resource."),
            op.resyncPeriod());
      }
      throw e;
    }
    readAhead.forget(resource);
    op.events().normal(resource, "Deleted", "Deleted ECR repository " + name + (force ? " with its images" : ""));
    return DeleteResult.finished();
  }

  /** The repository policy exactly as it is sent to ECR (compact JSON), or null when the spec has none. */
  static String repositoryPolicyText(EcrRepositorySpec spec) {
    return spec.repositoryPolicy == null || spec.repositoryPolicy.isNull() ? null
        : PolicyJson.write(spec.repositoryPolicy);
  }
}
