package io.ecsbridge.kinds.ecr;

import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.aws.AwsBudgets;
import io.ecsbridge.aws.AwsIdentity;
import io.ecsbridge.aws.AwsScope;
import io.ecsbridge.aws.BatchingRepositoryGateway;
import io.ecsbridge.aws.EcrGateway.Details;
import io.ecsbridge.aws.EcrGateway.Repository;
import io.ecsbridge.contract.ReadAhead;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * How an EcrRepository pass reads its repository. A pass that must read afresh (a person's change, a resource not
 * Ready at its generation, a deletion) reads as before: DescribeRepositories of its one name, then its tags, policies
 * and images. A resync of a Ready repository reads its tags and policies (ECR has no batched form of those), its images
 * only when due ({@link RepositoryImagesDue}), and takes its DescribeRepositories from a read made ahead for it, or
 * makes one that also reads ahead up to {@value #COMPANIONS} other repositories of the same identity and region (one
 * registry) that are due soonest, whose passes it then asks for at once. See DESIGN.md "Batched reads".
 *
 * <p>A pass takes a read ahead only under {@code ServiceReadAhead}'s rules: Ready at its generation, not a person's
 * change ({@link #freshReadRequired}), the same resourceVersion the read was made for, at most
 * {@link BatchingRepositoryGateway#FRESHNESS} old, no write to the repository after it; and here also the same ARN as
 * the pass's status. A pass whose read ahead shows a difference reads again before it writes
 * ({@link EcrRepositoryReconciler}).
 */
final class RepositoryReadAhead {
  /** Companions per call: a read-ahead page less the pass's own repository. */
  static final int COMPANIONS = BatchingRepositoryGateway.PAGE - 1;
  /** A reconcile request not handled yet keeps a repository out of the companions (its pass reads afresh). */
  private static final ReadAhead.Policy POLICY =
      new ReadAhead.Policy("ecrrepository-read-ahead", COMPANIONS, Duration.ofMinutes(1), false);

  private record Group(AwsIdentity identity, String region) {}

  /** What a pass read, and whether its DescribeRepositories came from a read ahead. */
  record Read(Optional<Repository> repository, boolean kept) {}

  private final BatchingRepositoryGateway ecr;
  private final RepositoryImagesDue images;
  private final ReadAhead<EcrRepository, Group> ahead;

  RepositoryReadAhead(BatchingRepositoryGateway ecr, Duration resyncPeriod) {
    this(ecr, resyncPeriod, System::nanoTime);
  }

  RepositoryReadAhead(BatchingRepositoryGateway ecr, Duration resyncPeriod, LongSupplier nanos) {
    this.ecr = ecr;
    this.images = new RepositoryImagesDue(resyncPeriod, nanos);
    this.ahead = new ReadAhead<>(POLICY, EcrRepository::repositoryName, ecr::ahead, r -> r.getStatus().arn != null,
        resyncPeriod, nanos);
    // seeded: a restart's first passes read the repositories of their namespace not read yet in this process, where
    // their status places them (DESIGN.md "Batched reads", item 3)
    this.ahead.seed(r -> ReadAhead.place(r, r.getStatus() == null ? null : r.getStatus().arn));
    // each companion's pass asked when ECR's budget could admit it; none the budget could not admit while its read
    // ahead is fresh (half its freshness: the pass has its own calls to make too)
    this.ahead.pacing(new ReadAhead.Pacing() {
      @Override
      public List<AwsBudgets.Slot> slots(String region, List<String> uids) {
        return ecr.resyncSlots(region, uids, BatchingRepositoryGateway.FRESHNESS.dividedBy(2));
      }

      @Override
      public void release(String region, List<String> uids) {
        ecr.releaseSlots(region, uids);
      }

      @Override
      public java.util.Map<String, Long> waitingFor(String region, java.util.Collection<String> uids) {
        return ecr.waitingFor(region, uids);
      }
    });
  }

  /** The seam for the frame's lane: true when this pass must read AWS afresh (a person's change). */
  void freshReadRequired(BooleanSupplier required) {
    ahead.freshReadRequired(required);
  }

  /** The event source that asks for the passes of the repositories read ahead. */
  EventSource<Void, EcrRepository> eventSource(EventSourceContext<EcrRepository> context) {
    return ahead.eventSource(context);
  }

  /** The repository of this pass (see the class). */
  Read describe(EcrRepository resource, String region) {
    String name = resource.repositoryName();
    ResourceID id = ahead.started(resource);
    Group group = new Group(AwsScope.bound(), region);
    String token = token(resource);
    boolean withImages = images.due(resource, region, token == null);
    Read read = token == null ? new Read(fresh(region, name, withImages), false)
        : resync(resource, region, group, id, token, withImages);
    if (read.repository().isEmpty()) {
      forget(resource);
    } else {
      if (read.kept()) {
        ahead.tookKept(id);
      }
      ahead.note(group, id, name);
      if (read.repository().get().imagesRead()) {
        images.read(resource, region);
      }
    }
    return read;
  }

  /** Whether this pass's DescribeRepositories was read ahead: then it reads again before a write (once a pass). */
  boolean readAgainBeforeWrite(EcrRepository resource) {
    return ahead.readAgainBeforeWrite(resource);
  }

  /** A fresh read of the repository alone, as before any read-ahead (one that may not exist reads alone). */
  Optional<Repository> fresh(String region, String name, boolean withImages) {
    return ecr.describeAll(region, List.of(name)).getOrDefault(name, Optional.empty())
        .flatMap(r -> ecr.details(region, name, r.repositoryArn(), withImages).map(d -> d.of(r)));
  }

  /**
   * A resync: the details first (so that a pass deferred for its AWS budget keeps what was read ahead for its next
   * run), then the DescribeRepositories kept for it, or a fresh one with companions.
   */
  private Read resync(EcrRepository resource, String region, Group group, ResourceID id, String token,
      boolean withImages) {
    String name = resource.repositoryName();
    String arn = resource.getStatus().arn;
    if (arn != null && ecr.ahead(region, name)) {
      Optional<Details> details = ecr.details(region, name, arn, withImages);
      if (details.isEmpty()) {
        return new Read(fresh(region, name, withImages), false); // gone meanwhile: looked at alone
      }
      var kept = ecr.kept(region, name, token);
      if (kept.isPresent() && kept.get().filter(r -> arn.equals(r.repositoryArn())).isPresent()) {
        return new Read(Optional.of(details.get().of(kept.get().get())), true);
      }
      var read = withCompanions(resource, region, group, id);
      if (read.isPresent() && arn.equals(read.get().repositoryArn())) {
        return new Read(Optional.of(details.get().of(read.get())), false);
      }
      return new Read(fresh(region, name, withImages), false);
    }
    var read = withCompanions(resource, region, group, id);
    if (read.isEmpty()) {
      return new Read(Optional.empty(), false); // a fresh read said so (a missing name is told apart, SdkEcrGateway)
    }
    return new Read(ecr.details(region, name, read.get().repositoryArn(), withImages).map(d -> d.of(read.get())),
        false);
  }

  private Optional<software.amazon.awssdk.services.ecr.model.Repository> withCompanions(EcrRepository resource,
      String region, Group group, ResourceID id) {
    return ahead.readWith(group, id, region, companions -> ecr.read(region, resource.repositoryName(), companions));
  }

  /** The pass was deferred for its AWS budget: a read ahead may take it as a companion while it waits. */
  void deferred(EcrRepository resource) {
    ahead.deferred(resource);
  }

  /** The pass reached its verdict: the repository may be read ahead for its next one. */
  void ended(EcrRepository resource) {
    ahead.ended(resource);
  }

  /** The resource or its repository is gone: it is no companion any more, its images are read on its next pass. */
  void forget(EcrRepository resource) {
    ahead.forget(ResourceID.fromResource(resource));
    images.forget(resource);
  }

  /** After a pass that read the images: whether it looks again for the scans in progress (RepositoryImagesDue). */
  boolean awaitScans(EcrRepository resource, java.util.Set<String> scanning) {
    return images.awaitScans(resource, scanning);
  }

  /** What is kept in memory per repository, all entries (tests: nothing is left of a released repository). */
  int remembered() {
    return ahead.remembered() + images.count();
  }

  /** How many repositories are known (tests, memory). */
  int knownCount() {
    return ahead.knownCount();
  }

  /**
   * The state a read ahead must have been made for to serve this pass (its resourceVersion), or null when this pass
   * reads afresh: a person's change (the lane), a deletion, not Ready at its generation, no ARN in status.
   */
  String token(EcrRepository resource) {
    if (ahead.freshRead(resource) || resource.getStatus().arn == null || ahead.asked(resource)) {
      return null;
    }
    return resource.getMetadata().getResourceVersion();
  }
}
