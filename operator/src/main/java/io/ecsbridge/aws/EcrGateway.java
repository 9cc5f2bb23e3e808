package io.ecsbridge.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.PutImageScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.PutImageTagMutabilityRequest;

/**
 * What the operator does with ECR: small, free of Kubernetes types, faked in unit tests. Requests and the repository
 * are the SDK's own model (CreateRepository's and DescribeRepositories' shapes); policies are the text ECR keeps.
 */
public interface EcrGateway {

  /** How many of a repository's images {@link #details} reports: the latest pushed. */
  int LATEST_IMAGES = 5;

  /** DescribeRepositories' largest list of names (repositoryNames). */
  int DESCRIBE_MAX = 100;

  /**
   * DescribeRepositories of these names (at most {@link #DESCRIBE_MAX}, in the credentials' own registry): each
   * name's repository, empty when it does not exist.
   */
  Map<String, Optional<software.amazon.awssdk.services.ecr.model.Repository>> describeAll(String region,
      List<String> names);

  /**
   * When the ECR budget of this identity and region could admit the resync passes of {@code passes} (other
   * repositories' uids) asked for now by a read ahead ({@link AwsBudgets#resyncSlots}); those it could not admit
   * {@code within} left out. All at once by default (no budget).
   */
  default List<AwsBudgets.Slot> resyncSlots(String region, List<String> passes, Duration within) {
    return AwsBudgets.Slot.allNow(passes.size());
  }

  /** The passes of {@code passes} were given slots by {@link #resyncSlots} and will not be asked for after all. */
  default void releaseSlots(String region, List<String> passes) {}

  /**
   * Of {@code passes}, those waiting in the queue of the ECR budget of this identity and region, with how long until
   * their slot (nanoseconds, 0 when it came): {@link AwsBudgets#waitingFor}. None by default (no budget).
   */
  default Map<String, Long> waitingFor(String region, java.util.Collection<String> passes) {
    return Map.of();
  }

  /**
   * The rest of a repository's read: its tags (ListTagsForResource of {@code arn}), its policies' text and, when
   * {@code images}, its latest pushed images (DescribeImages); empty when the repository does not exist.
   */
  Optional<Details> details(String region, String name, String arn, boolean images);

  /**
   * The image a tag of the repository points at now (DescribeImages by imageTag), with its scan status and finding
   * counts; empty when the tag (or the repository) does not exist.
   */
  Optional<Image> image(String region, String repositoryName, String tag);

  /** Creates the repository; the answer carries the request's tags and no policies. */
  Repository create(String region, CreateRepositoryRequest request);

  void putImageTagMutability(String region, PutImageTagMutabilityRequest request);

  void putImageScanningConfiguration(String region, PutImageScanningConfigurationRequest request);

  void putLifecyclePolicy(String region, String name, String policyText);

  void deleteLifecyclePolicy(String region, String name);

  void setRepositoryPolicy(String region, String name, String policyText);

  void deleteRepositoryPolicy(String region, String name);

  void tag(String region, String arn, Map<String, String> tags);

  void untag(String region, String arn, Set<String> keys);

  /** Deletes the repository; without force, fails with RepositoryNotEmptyException if it holds images. */
  void delete(String region, String name, boolean force);

  /**
   * What {@link #details} read: tags, policies' text (null when none) and the latest pushed images, newest first
   * (null when they were not read).
   */
  record Details(Map<String, String> tags, String lifecyclePolicyText, String repositoryPolicyText,
      List<Image> images) {

    /** The repository {@code repository} with these details. */
    public Repository of(software.amazon.awssdk.services.ecr.model.Repository repository) {
      return images == null ? new Repository(repository, tags, lifecyclePolicyText, repositoryPolicyText, List.of(),
          false) : new Repository(repository, tags, lifecyclePolicyText, repositoryPolicyText, images);
    }
  }

  /**
   * The repository as DescribeRepositories reports it, its tags, its policies' text (null when none) and its latest
   * pushed images, newest first; {@code imagesRead} false when this read did not look at the images (they are then
   * empty here and not known: status keeps what an earlier read reported).
   */
  record Repository(software.amazon.awssdk.services.ecr.model.Repository repository, Map<String, String> tags,
      String lifecyclePolicyText, String repositoryPolicyText, List<Image> images, boolean imagesRead) {

    public Repository {
      images = images == null ? List.of() : List.copyOf(images);
    }

    public Repository(software.amazon.awssdk.services.ecr.model.Repository repository, Map<String, String> tags,
        String lifecyclePolicyText, String repositoryPolicyText, List<Image> images) {
      this(repository, tags, lifecyclePolicyText, repositoryPolicyText, images, true);
    }

    /** A repository whose images are not known (just created: none yet). */
    public Repository(software.amazon.awssdk.services.ecr.model.Repository repository, Map<String, String> tags,
        String lifecyclePolicyText, String repositoryPolicyText) {
      this(repository, tags, lifecyclePolicyText, repositoryPolicyText, List.of());
    }

    public String name() {
      return repository.repositoryName();
    }

    public String arn() {
      return repository.repositoryArn();
    }

    public String registryId() {
      return repository.registryId();
    }

    public String uri() {
      return repository.repositoryUri();
    }

    public Instant createdAt() {
      return repository.createdAt();
    }
  }

  /**
   * One image as DescribeImages reports it: digest, tags (sorted; empty when untagged), push time, the scan's status
   * (ECR's imageScanStatus.status, null when never scanned) and the counts by severity of its findings
   * (imageScanFindingsSummary.findingSeverityCounts; empty when none or not scanned).
   */
  record Image(String digest, List<String> tags, Instant pushedAt, String scanStatus,
      Map<String, Integer> findingSeverityCounts) {

    /** Newest push first; equal push times by digest, so that the order never depends on ECR's listing order. */
    public static final Comparator<Image> NEWEST_FIRST = Comparator
        .comparing(Image::pushedAt, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
        .thenComparing(Image::digest, Comparator.nullsLast(Comparator.<String>naturalOrder()));

    public Image {
      tags = tags == null ? List.of() : tags.stream().sorted().toList();
      findingSeverityCounts = findingSeverityCounts == null ? Map.of()
          : java.util.Collections.unmodifiableMap(new TreeMap<>(findingSeverityCounts));
    }

    public static Image of(ImageDetail d) {
      return new Image(d.imageDigest(), d.imageTags(), d.imagePushedAt(),
          d.imageScanStatus() == null ? null : d.imageScanStatus().statusAsString(),
          d.imageScanFindingsSummary() == null ? null : d.imageScanFindingsSummary().findingSeverityCountsAsStrings());
    }

    /** The {@code n} latest pushed of {@code images}, newest first ({@link #NEWEST_FIRST}). */
    public static List<Image> latest(java.util.Collection<Image> images, int n) {
      return images.stream().sorted(NEWEST_FIRST).limit(n).toList();
    }

    /** A scan ECR is still running: its findings are not known yet. */
    public boolean scanInProgress() {
      return "IN_PROGRESS".equals(scanStatus) || "PENDING".equals(scanStatus);
    }
  }
}
