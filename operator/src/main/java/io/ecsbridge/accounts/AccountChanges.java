package io.ecsbridge.accounts;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resources (by uid) whose AwsAccount or Namespace changed since their last pass: marked by {@link AccountEvents}
 * before it asks for the pass, taken (once) by the pass, which then runs in the USER lane as for any changed input
 * ({@code AccountScopes.takeChanged}). Bounded: past {@code capacity} marks the oldest is dropped, whose pass then runs
 * in the lane it would have had without the mark (RESYNC for a resource in sync): a lost priority, never a lost pass.
 */
final class AccountChanges {
  static final int CAPACITY = 10_000;

  private final Map<String, Boolean> marked;

  AccountChanges(int capacity) {
    this.marked = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The resource's next pass is a change's. */
  synchronized void mark(String uid) {
    if (uid != null) {
      marked.remove(uid); // re-marked: the newest again
      marked.put(uid, Boolean.TRUE);
    }
  }

  /** Whether the resource was marked since it was last taken; the mark is gone after. */
  synchronized boolean take(String uid) {
    return uid != null && marked.remove(uid) != null;
  }

  synchronized int size() {
    return marked.size();
  }
}
