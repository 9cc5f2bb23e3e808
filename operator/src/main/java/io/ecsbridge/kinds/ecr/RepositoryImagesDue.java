package io.ecsbridge.kinds.ecr;

import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.aws.AwsIdentity;
import io.ecsbridge.aws.AwsScope;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Whether a pass reads the repository's images (DescribeImages, for status.images only: nothing in AWS is compared
 * with them, no drift is healed from them). Read on a person's change (the pass reads afresh), on the first pass of a
 * repository since the operator started (or since its account, region or name changed), while one of the images
 * reported is being scanned, and on about every {@value #EVERY}th resync: when the last read is at least
 * {@code EVERY - 0.5} resync periods old (the periods' jitter shortens them by up to 10%). Between those reads a resync
 * leaves status.images as it was (it writes nothing). A scan is awaited for {@link #SCAN_WAIT} from when a pass first
 * saw it in progress (a new image's scan starts the wait again): a scan that never ends (enhanced scanning whose
 * Inspector side is off, a stuck basic scan) is then read on the periodic reads only, not every {@code SCAN_POLL}.
 * Memory: one entry per repository, and one per repository while a scan is awaited, in memory only.
 */
final class RepositoryImagesDue {
  /** A resync reads the images on about every this many resyncs. */
  static final int EVERY = 6;

  /** How long the images' scans in progress are awaited (looked at every SCAN_POLL). */
  static final Duration SCAN_WAIT = Duration.ofHours(1);

  private record Read(AwsIdentity identity, String region, String name, long at) {}

  /** The digests a pass saw being scanned, and when the first of them was. */
  private record Scans(Set<String> digests, long since) {}

  private final long everyNanos;
  private final LongSupplier nanos;
  private final Map<String, Read> reads = new ConcurrentHashMap<>();
  private final Map<String, Scans> scans = new ConcurrentHashMap<>();

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
    Set<String> scanning = status == null || status.images == null ? Set.of() : status.images.stream()
        .filter(i -> "IN_PROGRESS".equals(i.scanStatus) || "PENDING".equals(i.scanStatus))
        .map(i -> i.imageDigest).collect(Collectors.toSet());
    if (!scanning.isEmpty() && awaited(scans.get(uid(resource)), scanning, nanos.getAsLong())) {
      return true; // its findings are awaited (the pass looks again after SCAN_POLL)
    }
    return nanos.getAsLong() - last.at() >= everyNanos;
  }

  /**
   * After a pass that read the images: whether it looks again after SCAN_POLL for the scans of {@code scanning} (the
   * digests ECR is scanning), within {@link #SCAN_WAIT} of the first pass that saw them.
   */
  boolean awaitScans(EcrRepository resource, Set<String> scanning) {
    if (scanning.isEmpty()) {
      scans.remove(uid(resource));
      return false;
    }
    long now = nanos.getAsLong();
    Scans seen = scans.compute(uid(resource), (uid, before) -> before != null && before.digests().containsAll(scanning)
        ? before : new Scans(Set.copyOf(scanning), now));
    return awaited(seen, scanning, now);
  }

  private boolean awaited(Scans seen, Set<String> scanning, long now) {
    return seen == null || !seen.digests().containsAll(scanning) || now - seen.since() < SCAN_WAIT.toNanos();
  }

  /** The pass read the images. */
  void read(EcrRepository resource, String region) {
    reads.put(uid(resource), new Read(AwsScope.bound(), region, resource.repositoryName(), nanos.getAsLong()));
  }

  /** The resource is gone. */
  void forget(EcrRepository resource) {
    reads.remove(uid(resource));
    scans.remove(uid(resource));
  }

  int count() {
    return reads.size() + scans.size();
  }

  private static String uid(EcrRepository resource) {
    String uid = resource.getMetadata().getUid();
    return uid != null ? uid : resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }
}
