package io.ecsbridge.contract;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * The tag set of an AWS resource: the spec's tags plus our ownership tag, compared with the live tags. The spec's
 * tags are the whole set (others are removed), except AWS's own {@code aws:} tags, and our ownership tag under
 * ObserveOnly (which never writes).
 */
public final class Tags {
  private Tags() {}

  /** The tags the resource should carry: the spec's and, unless observing only, the ownership tag. */
  public static Map<String, String> desired(Map<String, String> specTags, String owner, boolean observeOnly) {
    Map<String, String> tags = new TreeMap<>();
    if (specTags != null) {
      tags.putAll(specTags);
    }
    if (!observeOnly) {
      tags.put(Ownership.TAG, owner);
    }
    return tags;
  }

  /**
   * The tags ObserveOnly compares when ecs-bridge's own tags (owner, content hash) are on the resource already: the
   * spec's, with ours taken as they are.
   */
  public static Map<String, String> observed(Map<String, String> specTags, Map<String, String> live) {
    Map<String, String> want = desired(specTags, null, true);
    live.forEach((key, value) -> {
      if (key.startsWith("ecsbridge.io/")) {
        want.put(key, value);
      }
    });
    return want;
  }

  /** ECS's tag list as a map. */
  public static Map<String, String> fromEcs(List<Tag> tags) {
    Map<String, String> map = new TreeMap<>();
    tags.forEach(t -> map.put(t.key(), t.value()));
    return map;
  }

  /** A tag map as ECS's tag list. */
  public static List<Tag> toEcs(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }

  /** The tags to add or change, and the keys to remove, that make the live tags the wanted ones. */
  public record Delta(Map<String, String> add, Set<String> remove) {}

  /**
   * What differs between {@code want} and {@code live}: AWS's own {@code aws:} tags never count, nor, under
   * ObserveOnly, our ownership tag.
   */
  public static Delta delta(Map<String, String> want, Map<String, String> live, boolean observeOnly) {
    Map<String, String> have = live == null ? Map.of() : live;
    Map<String, String> add = new TreeMap<>();
    want.forEach((k, v) -> {
      if (!v.equals(have.get(k))) {
        add.put(k, v);
      }
    });
    Set<String> remove = new TreeSet<>();
    have.keySet().stream()
        .filter(k -> !k.startsWith("aws:") && !want.containsKey(k) && !(observeOnly && k.equals(Ownership.TAG)))
        .forEach(remove::add);
    return new Delta(add, remove);
  }

  /**
   * Adds to {@code changes} the tag and untag calls that make {@code live} equal to {@code want}.
   *
   * @param tag called with the tags to add or change
   * @param untag called with the keys to remove
   */
  public static void diff(Map<String, String> want, Map<String, String> live, boolean observeOnly,
      List<Change> changes, Consumer<Map<String, String>> tag, Consumer<Set<String>> untag) {
    Delta delta = delta(want, live, observeOnly);
    if (!delta.add().isEmpty()) {
      changes.add(new Change("tags", "Tagged with " + delta.add().keySet(), () -> tag.accept(delta.add())));
    }
    if (!delta.remove().isEmpty()) {
      changes.add(new Change("tags", "Removed tags " + delta.remove(), () -> untag.accept(delta.remove())));
    }
  }
}
