package io.ecsbridge.kinds.ecr;

import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.aws.AwsIdentity;
import io.ecsbridge.aws.AwsScope;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Whether a pass reads the repository's images (DescribeImages, for status.images only: nothing in AWS is compared
 * with them, no drift is healed from them). Read on a person's change (the pass reads afresh), on the first pass of a
 * repository since the operator started (or since its account, region or name changed), while one of the images
 * reported is being scanned, and on about every {@value #EVERY}th resync: when the last read is at least
 * {@code EVERY - 0.5} resync periods old (the periods' jitter shortens them by up to 10%). Between those reads a resync
 * leaves status.images as it was (it writes nothing). Memory: one entry per repository, in memory only.
 */
final class RepositoryImagesDue {
  /** A resync reads the images on about every this many resyncs. */
  static final int EVERY = 6;

  private record Read(AwsIdentity identity, String region, String name, long at) {}

  private final long everyNanos;
  private final LongSupplier nanos;
  private final Map<String, Read> reads = new ConcurrentHashMap<>();

  RepositoryImagesDue(Duration resyncPeriod, LongSupplier nanos) {
    this.everyNanos = resyncPeriod.toNanos() * (2 * EVERY - 1) / 2;
    this.nanos = nanos;
  }

  /** Whether this pass (on the thread's identity) reads the images; {@code fresh}: the pass reads afresh. */
  boolean due(EcrRepository resource, String region, boolean fresh) {
    Read last = reads.get(uid(resource));
    if (fresh || last == null || !Objects.equals(last.identity(), AwsScope.bound())
        || !last.region().equals(region) || !last.name().equals(resource.repositoryName())) {
      return true;
    }
    var status = resource.getStatus();
    if (status != null && status.images != null && status.images.stream()
        .anyMatch(i -> "IN_PROGRESS".equals(i.scanStatus) || "PENDING".equals(i.scanStatus))) {
      return true; // its findings are awaited (the pass looks again after SCAN_POLL)
    }
    return nanos.getAsLong() - last.at() >= everyNanos;
  }

  /** The pass read the images. */
  void read(EcrRepository resource, String region) {
    reads.put(uid(resource), new Read(AwsScope.bound(), region, resource.repositoryName(), nanos.getAsLong()));
  }

  /** The resource is gone. */
  void forget(EcrRepository resource) {
    reads.remove(uid(resource));
  }

  int count() {
    return reads.size();
  }

  private static String uid(EcrRepository resource) {
    String uid = resource.getMetadata().getUid();
    return uid != null ? uid : resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }
}
