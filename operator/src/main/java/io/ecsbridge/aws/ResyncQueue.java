package io.ecsbridge.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * The resync passes waiting for one AWS call budget ({@link AwsBudgets}): deferred passes, and passes a read ahead
 * asked for. One place per pass (by its resource's uid), each with its slot (when it is to come back,
 * System.nanoTime): a pass deferred again gives its place up for a new one after the passes waiting (unless it came
 * before its place's slot: it keeps it), a pass admitted or run gives its place up, and a place whose slot passed
 * long ago is dropped (its resource was deleted). The queue is thus as long as the passes actually waiting, and a new
 * place's slot counts only those. (The first version kept the queue's end alone and moved it on at every deferral,
 * re-deferrals and passes run early included: under steady deferrals the end receded about as fast as time passed. A
 * version where a pass deferred again kept its turn, before those that came after it, collided with them: its new
 * slot was theirs, and every pass behind it was deferred once more, PrioritiesIT's start-up pass 3.4 deferrals per
 * repository against 1.9.)
 */
final class ResyncQueue {
  /** A place whose slot passed this long ago is dropped. */
  static final Duration STALE = Duration.ofMinutes(10);
  /**
   * A place still counts this long after its slot (or a spacing, if longer): its pass is on its way (JOSDK's queue, a
   * busy executor) and has not taken its tokens yet; a pass admitted or run gives its place up at once.
   */
  static final Duration COMING = Duration.ofSeconds(2);

  /** Each waiting pass's slot. */
  private final Map<String, Long> places = new HashMap<>();
  private long anonymous;

  /**
   * A pass deferred at {@code now}: its slot. Not before the bucket holds a pass's tokens above the reserve
   * ({@code refill} from now), and after the places still to come: {@code spacing} (a pass's tokens at the rate the
   * queue is served) for each of them, but no later than one spacing after the last of them (the count alone would
   * overshoot when passes have come to cost more than when those places were given). {@code pass} null: a place of
   * its own each time.
   *
   * <p>A pass that comes before its place's slot keeps that place (its slot, or the refill if later): a read ahead
   * gave it the place and asked for it then, and its own earlier timer brought it first (a restart's deferred passes).
   * Its pass's start cancelled that ask, so a new place at the queue's end put it behind passes deferred after it,
   * and when a few of them did so at once the budget sat idle until their slots (PrioritiesIT's seeded restart: 5 s
   * without an ECR call, 9 of 30 repositories' passes still to come). This is not the turn kept by a pass that came
   * late (the class's note): the slot is still its own, no other pass's.
   */
  synchronized long defer(String pass, long now, long refill, long spacing) {
    dropStale(now);
    String id = pass != null ? pass : "\0" + anonymous++;
    Long own = places.get(id);
    if (own != null && own - now > 0) {
      long slot = later(own, now + refill);
      places.put(id, slot);
      return slot;
    }
    places.remove(id);
    Queue queue = queue(now, spacing);
    long slot = now + Math.max(refill, Math.min(refill + queue.ahead() * spacing, queue.lastDelay() + spacing));
    places.put(id, slot);
    return slot;
  }

  /**
   * Passes asked for together at {@code now} (a read ahead's companions), in order: each one waiting already or on
   * its way, with a slot within {@code within}, keeps its place and is not asked (its deferral, or the ask that gave
   * it the place, brings it); each other one gets a
   * new place, the j-th of them at {@code slotAfter(n)} from now, n the places still to come before it (no earlier than
   * {@code slotAfter(j)}, the bucket's own pace, and no later than j + 1 spacings after the last place: as in
   * {@link #defer}), and is asked then if that is within {@code within}; the rest are left out (they keep any place
   * they had).
   */
  synchronized List<AwsBudgets.Slot> ask(List<String> passes, long now, long within, long spacing,
      LongUnaryOperator slotAfter) {
    dropStale(now);
    Queue queue = queue(now, spacing);
    long ahead = queue.ahead();
    long fresh = 0;
    List<AwsBudgets.Slot> slots = new ArrayList<>(passes.size());
    for (String pass : passes) {
      Long own = places.get(pass);
      if (own != null && toCome(own, now, spacing)) { // waiting, or on its way: not to be asked again
        long delay = Math.max(0, own - now);
        slots.add(delay <= within ? AwsBudgets.Slot.coming(delay) : AwsBudgets.Slot.LEFT_OUT);
        continue;
      }
      long delay = Math.max(0, Math.max(slotAfter.applyAsLong(fresh),
          Math.min(slotAfter.applyAsLong(ahead), queue.lastDelay() + (fresh + 1) * spacing)));
      if (delay > within) {
        slots.add(AwsBudgets.Slot.LEFT_OUT);
        continue;
      }
      ahead++;
      places.put(pass, now + delay);
      fresh++;
      slots.add(AwsBudgets.Slot.askAfter(delay));
    }
    return slots;
  }

  /** The pass was admitted or ran, or was not asked for after all: it waits no more. */
  synchronized void leave(String pass) {
    places.remove(pass);
  }

  /** Of {@code passes}, those with a place still to come, with the nanoseconds until its slot (0 once it came). */
  synchronized Map<String, Long> waitingFor(java.util.Collection<String> passes, long now) {
    Map<String, Long> waiting = new HashMap<>();
    for (String pass : passes) {
      Long slot = places.get(pass);
      if (slot != null && toCome(slot, now, 0)) {
        waiting.put(pass, Math.max(0, slot - now));
      }
    }
    return waiting;
  }

  /** Places still to come (tests, metrics). */
  synchronized int waiting(long now) {
    return (int) places.values().stream().filter(slot -> toCome(slot, now, 0)).count();
  }

  /** Places held, slots past included (tests: memory). */
  synchronized int size() {
    return places.size();
  }

  /** The places still to come: how many, and the last one's slot from now (0 when it passed or there is none). */
  private record Queue(long ahead, long lastDelay) {}

  private Queue queue(long now, long spacing) {
    long ahead = 0;
    long last = now;
    for (long slot : places.values()) {
      if (toCome(slot, now, spacing)) {
        ahead++;
        last = later(last, slot);
      }
    }
    return new Queue(ahead, last - now);
  }

  private static boolean toCome(long slot, long now, long spacing) {
    return slot - now > -Math.max(COMING.toNanos(), spacing);
  }

  /** The later of two nanoTime instants (compared by their difference: nanoTime may wrap). */
  private static long later(long a, long b) {
    return a - b > 0 ? a : b;
  }

  private void dropStale(long now) {
    long stale = STALE.toNanos();
    places.values().removeIf(slot -> now - slot > stale);
  }
}
