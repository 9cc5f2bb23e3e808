package io.ecsbridge.contract;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnAddFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the "added" events that an informer of referenced objects (secondary resources: task definitions and clusters
 * for services, repositories, ConfigMaps and Secrets for task definitions, capacity providers, AwsAccounts,
 * Namespaces) delivers for what already existed when the operator started: its initial list. Each primary's own
 * start-up pass already reads those objects from the caches (JOSDK starts reconciling once every informer has
 * synced), so these events only reconciled the primaries a second time; fabric8 delivers them asynchronously, and
 * every one that arrived while its primary's first pass was queued or running made a second pass (the start-up pass
 * read most services twice at N = 100, 1.8 DescribeServices per service).
 *
 * <p>"Existed at start" is judged by resourceVersion against the API server's (etcd's) revision read just before the
 * informers start: an object created later has a greater one. resourceVersions are opaque in the Kubernetes API
 * contract but are etcd's revisions on every API server; when either does not parse as a number, or the revision could
 * not be read, the event is kept (the behaviour before this filter: at worst a second pass, never a lost event). An
 * object created while the operator runs, or created again, has a new resourceVersion and its add is kept; a relist
 * after a watch gap adds only objects the cache did not have, which are newer than the start.
 *
 * <p>That holds only if an informer's first list is a consistent read, at or after the start's revision. fabric8's
 * informers make their first list at {@code resourceVersion=0} unless given a list limit: the API server answers that
 * from its watch cache, which may lag behind etcd, so an object created just before the start could miss the list and
 * come as a watch "added" event at or below the start's revision, after its referrer's start-up pass, and be dropped
 * (its referrer then waited for the next resync). So an informer that drops these adds lists in pages of
 * {@link #LIST_LIMIT} ({@link #dropListed}, {@link #informable}): a limited list without a resourceVersion is a
 * consistent read.
 */
public final class StartupAdds {
  /**
   * The page size of the lists of an informer whose start-up adds are dropped: any limit makes fabric8's lists
   * consistent reads (none at {@code resourceVersion=0}); 500 is client-go's page size.
   */
  public static final long LIST_LIMIT = 500;
  private static final Logger log = LoggerFactory.getLogger(StartupAdds.class);

  /** The API server's revision when the operator last started in this process; -1: unknown (keep every add). */
  private static volatile long startRevision = -1;

  private StartupAdds() {}

  /** A JOSDK informer that drops the adds of what existed at start, with the consistent first list that needs. */
  public static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> dropListed(
      InformerEventSourceConfiguration.Builder<R> informer) {
    return informer.withOnAddFilter(newerThanStart()).withInformerListLimit(LIST_LIMIT);
  }

  /** A fabric8 informer whose handler drops what {@link #newerThanStart} rejects: its lists, consistent reads. */
  public static <T> Informable<T> informable(Informable<T> informer) {
    return informer.withLimit(LIST_LIMIT);
  }

  /** Notes the API server's revision now: call before the informers start. */
  public static void starting(KubernetesClient client) {
    try {
      String revision = client.namespaces().list(new ListOptionsBuilder().withLimit(1L).build()).getMetadata()
          .getResourceVersion();
      startRevision = parse(revision);
    } catch (RuntimeException e) {
      startRevision = -1;
      log.debug("could not read the API server's revision; every informer add reconciles: {}", e.toString());
    }
  }

  /**
   * Notes the API server's revision read before the informers start by other means (the start's check's lists,
   * {@code io.ecsbridge.StartupCheck}); negative: unknown, every add is kept.
   */
  public static void startedAt(long revision) {
    startRevision = revision < 0 ? -1 : revision;
  }

  /** For tests: the revision at start as the API server gave it (null: unknown). */
  static void startedAt(String revision) {
    startedAt(parse(revision));
  }

  /** Keeps the adds of objects made after the start. */
  public static <R extends HasMetadata> OnAddFilter<R> newerThanStart() {
    return StartupAdds::isNew;
  }

  static boolean isNew(HasMetadata resource) {
    long start = startRevision;
    if (start < 0 || resource.getMetadata() == null) {
      return true;
    }
    long version = parse(resource.getMetadata().getResourceVersion());
    return version < 0 || version > start;
  }

  private static long parse(String resourceVersion) {
    if (resourceVersion == null) {
      return -1;
    }
    try {
      return Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
