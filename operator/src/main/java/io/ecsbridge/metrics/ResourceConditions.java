package io.ecsbridge.metrics;

import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ecsbridge_resources{kind, condition, reason}}: how many resources of each kind have each condition (Ready,
 * Reconciling, Stalled) True, by the condition's reason, counted from the controllers' informer caches when
 * /metrics is scraped (no AWS or API server call). A resource without conditions yet counts as condition
 * {@code Unknown}, reason {@code NoStatus}. No label names a resource. Reasons are our vocabulary: UpperCamelCase
 * words, ours or derived from an AWS error code (a finite set); anything else, and any reason past
 * {@link #MAX_SERIES} series, is {@code Other}. A series whose count falls to 0 stays, at 0, so that alerts see it
 * end.
 */
public final class ResourceConditions {
  public static final String NAME = "ecsbridge_resources";
  static final int MAX_SERIES = 500;
  private static final Pattern REASON = Pattern.compile("[A-Z][A-Za-z0-9]{0,63}");
  private static final List<String> TYPES = List.of(Conditions.READY, Conditions.RECONCILING, Conditions.STALLED);

  private final MeterRegistry registry;
  private final Map<String, Supplier<Stream<? extends CustomResource<?, ?>>>> kinds = new LinkedHashMap<>();
  private final Map<List<String>, AtomicLong> series = new HashMap<>();
  /** Each reason seen, and what it counts as ({@link #reasonOf}); read and written under this object's lock. */
  private final Map<String, String> reasons = new HashMap<>();

  public ResourceConditions(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts the resources of a kind from this cache (empty while the controller has not started). */
  public synchronized void add(String kind, Supplier<Stream<? extends CustomResource<?, ?>>> cache) {
    kinds.put(kind, cache);
  }

  /** Brings every series up to date: called before each scrape. */
  public synchronized void refresh() {
    Map<List<String>, Long> counts = new HashMap<>();
    kinds.forEach((kind, cache) -> {
      List<CustomResource<?, ?>> resources = new ArrayList<>();
      try {
        cache.get().forEach(resources::add);
      } catch (RuntimeException e) {
        return; // not started (a follower, or before start): nothing to count
      }
      for (CustomResource<?, ?> resource : resources) {
        for (List<String> labels : labels(kind, resource)) {
          counts.merge(labels, 1L, Long::sum);
        }
      }
    });
    series.values().forEach(v -> v.set(0));
    counts.forEach((labels, count) -> seriesFor(labels).addAndGet(count));
  }

  private List<List<String>> labels(String kind, CustomResource<?, ?> resource) {
    List<Condition> conditions = resource.getStatus() instanceof AwsResourceStatus status
        ? status.getConditions() : List.of();
    List<List<String>> out = new ArrayList<>();
    for (String type : TYPES) {
      Conditions.find(conditions, type).filter(c -> "True".equals(c.getStatus()))
          .ifPresent(c -> out.add(List.of(kind, type, reasonOf(c.getReason()))));
    }
    if (out.isEmpty() && Conditions.find(conditions, Conditions.READY).isEmpty()) {
      out.add(List.of(kind, "Unknown", "NoStatus"));
    }
    return out;
  }

  static String reason(String reason) {
    return reason != null && REASON.matcher(reason).matches() ? reason : "Other";
  }

  /**
   * {@link #reason}, remembered: a scrape asks it for every resource, and the reasons are few (its regular expression
   * was 3% of the operator's CPU in a start-up pass at 3,043 resources whose /metrics the bench read four times a
   * second). At most {@link #MAX_SERIES} remembered, then forgotten all at once (reasons no longer written go too).
   */
  private String reasonOf(String reason) {
    if (reason == null) {
      return "Other";
    }
    String known = reasons.get(reason);
    if (known == null) {
      if (reasons.size() >= MAX_SERIES) {
        reasons.clear();
      }
      known = reason(reason);
      reasons.put(reason, known);
    }
    return known;
  }

  private AtomicLong seriesFor(List<String> labels) {
    AtomicLong value = series.get(labels);
    if (value != null) {
      return value;
    }
    List<String> kept = series.size() < MAX_SERIES ? labels : List.of(labels.get(0), labels.get(1), "Other");
    return series.computeIfAbsent(kept, l -> {
      AtomicLong v = new AtomicLong();
      Gauge.builder(NAME, v, AtomicLong::get)
          .description("Custom resources by kind and by the condition that is True (Ready, Reconciling, Stalled) "
              + "with its reason")
          .tags("kind", l.get(0), "condition", l.get(1), "reason", l.get(2))
          .register(registry);
      return v;
    });
  }
}
