package io.ecsbridge.aws;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest;
import software.amazon.awssdk.services.ecr.model.PutImageScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.PutImageTagMutabilityRequest;

/**
 * An {@link EcrGateway} whose DescribeRepositories may be read ahead ({@link BatchedReads}: per identity and region,
 * that is per registry, up to {@link #PAGE} repositories a call, concurrent reads coalesced, companions read ahead) and
 * whose writes forget what was read ahead of the repository they wrote. Everything else goes to the gateway it wraps;
 * {@link #describeAll} is the plain read, not batched (a person's change, a repository that may not exist).
 */
public final class BatchingRepositoryGateway implements EcrGateway {
  /** How long a DescribeRepositories answer read ahead may serve its repository's pass. */
  public static final Duration FRESHNESS = Duration.ofSeconds(30);
  /**
   * Repositories per read-ahead call: ECR takes 100 names, but each repository read ahead brings its own pass at once
   * (3 more reads): 20 keep that burst to about 6 s of ECR's default budget (10 a second), well within
   * {@link #FRESHNESS}, for 0.05 DescribeRepositories per repository instead of 0.01.
   */
  public static final int PAGE = 20;
  /** The registry of a group: the calling identity's own (no registryId is sent). */
  static final String OWN_REGISTRY = "";

  private final EcrGateway calls;
  private final BatchedReads<software.amazon.awssdk.services.ecr.model.Repository> reads;

  private BatchingRepositoryGateway(EcrGateway calls, Duration freshness) {
    this.calls = calls;
    this.reads = new BatchedReads<>((region, group, names) -> calls.describeAll(region, names), PAGE, freshness);
  }

  /** {@code gateway} batched (itself when it already is). */
  public static BatchingRepositoryGateway of(EcrGateway gateway) {
    return gateway instanceof BatchingRepositoryGateway b ? b : new BatchingRepositoryGateway(gateway, FRESHNESS);
  }

  static BatchingRepositoryGateway of(EcrGateway gateway, Duration freshness) {
    return new BatchingRepositoryGateway(gateway, freshness);
  }

  /**
   * A fresh DescribeRepositories of {@code name} (it started after this was asked), coalesced with concurrent reads of
   * the same registry, with companions read ahead in the call's free slots (kept for {@link #kept}). Only for names
   * expected to exist: one that does not costs the call one more (see {@link SdkEcrGateway#describeAll}).
   */
  public Optional<software.amazon.awssdk.services.ecr.model.Repository> read(String region, String name,
      List<BatchedReads.Companion> companions) {
    return reads.read(region, OWN_REGISTRY, name, companions);
  }

  /** What a companion read answered for this repository and token, once ({@link BatchedReads#kept}). */
  public Optional<Optional<software.amazon.awssdk.services.ecr.model.Repository>> kept(String region, String name,
      String token) {
    return reads.kept(region, OWN_REGISTRY, name, token);
  }

  /** Whether the repository is read ahead already (kept or in flight). */
  public boolean ahead(String region, String name) {
    return reads.ahead(region, name);
  }

  /** How many answers are kept (tests, memory). */
  public int keptCount() {
    return reads.keptCount();
  }

  @Override
  public Map<String, Optional<software.amazon.awssdk.services.ecr.model.Repository>> describeAll(String region,
      List<String> names) {
    return calls.describeAll(region, names);
  }

  @Override
  public List<AwsBudgets.Slot> resyncSlots(String region, List<String> passes, Duration within) {
    return calls.resyncSlots(region, passes, within);
  }

  @Override
  public void releaseSlots(String region, List<String> passes) {
    calls.releaseSlots(region, passes);
  }

  @Override
  public Map<String, Long> waitingFor(String region, java.util.Collection<String> passes) {
    return calls.waitingFor(region, passes);
  }

  @Override
  public Optional<Details> details(String region, String name, String arn, boolean images) {
    return calls.details(region, name, arn, images);
  }

  @Override
  public Optional<Image> image(String region, String repositoryName, String tag) {
    return calls.image(region, repositoryName, tag);
  }

  @Override
  public Repository create(String region, CreateRepositoryRequest request) {
    // a create refused because the name exists changed nothing: what was read of that repository (for another
    // resource, perhaps of another namespace) stays; any other outcome forgets it, as every write does
    boolean exists = false;
    try {
      return calls.create(region, request);
    } catch (AwsException e) {
      exists = AwsErrors.REPOSITORY_EXISTS.equals(e.errorCode());
      throw e;
    } finally {
      if (!exists) {
        reads.written(region, request.repositoryName());
      }
    }
  }

  @Override
  public void putImageTagMutability(String region, PutImageTagMutabilityRequest request) {
    Writes.then(() -> calls.putImageTagMutability(region, request),
        () -> reads.written(region, request.repositoryName()));
  }

  @Override
  public void putImageScanningConfiguration(String region, PutImageScanningConfigurationRequest request) {
    Writes.then(() -> calls.putImageScanningConfiguration(region, request),
        () -> reads.written(region, request.repositoryName()));
  }

  @Override
  public void putLifecyclePolicy(String region, String name, String policyText) {
    Writes.then(() -> calls.putLifecyclePolicy(region, name, policyText), () -> reads.written(region, name));
  }

  @Override
  public void deleteLifecyclePolicy(String region, String name) {
    Writes.then(() -> calls.deleteLifecyclePolicy(region, name), () -> reads.written(region, name));
  }

  @Override
  public void setRepositoryPolicy(String region, String name, String policyText) {
    Writes.then(() -> calls.setRepositoryPolicy(region, name, policyText), () -> reads.written(region, name));
  }

  @Override
  public void deleteRepositoryPolicy(String region, String name) {
    Writes.then(() -> calls.deleteRepositoryPolicy(region, name), () -> reads.written(region, name));
  }

  @Override
  public void tag(String region, String arn, Map<String, String> tags) {
    Writes.then(() -> calls.tag(region, arn, tags), () -> reads.written(region, ArnNames.repositoryName(arn)));
  }

  @Override
  public void untag(String region, String arn, Set<String> keys) {
    Writes.then(() -> calls.untag(region, arn, keys), () -> reads.written(region, ArnNames.repositoryName(arn)));
  }

  @Override
  public void delete(String region, String name, boolean force) {
    Writes.then(() -> calls.delete(region, name, force), () -> reads.written(region, name));
  }
}
