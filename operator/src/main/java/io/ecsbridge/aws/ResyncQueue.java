package io.ecsbridge.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * The resync passes waiting for one AWS call budget ({@link AwsBudgets}): deferred passes, and passes a read ahead
 * asked for. One place per pass (by its resource's uid), each with its order of arrival and its slot (when it is to
 * come back, System.nanoTime): a pass deferred again keeps its order, so it comes back before the passes that arrived
 * after it, not at the end; a pass admitted or run gives its place up; a place whose slot passed long ago is dropped
 * (its resource was deleted). The queue is thus as long as the passes actually waiting, and a new place's slot counts
 * only those (the first version kept the queue's end alone and moved it on at every deferral, re-deferrals and
 * passes run early included: under steady deferrals the end receded about as fast as time passed).
 */
final class ResyncQueue {
  /** A place whose slot passed this long ago is dropped. */
  static final Duration STALE = Duration.ofMinutes(10);
  /**
   * A place still counts this long after its slot: its pass is on its way (JOSDK's queue, a busy executor) and has not
   * taken its tokens yet; a pass admitted or run gives its place up at once.
   */
  static final Duration COMING = Duration.ofSeconds(2);

  private record Place(long order, long slot) {}

  private final Map<String, Place> places = new HashMap<>();
  private long arrivals;
  private long anonymous;

  /**
   * A pass deferred at {@code now}: its slot, {@code refill} (the bucket's wait for a pass's tokens above the reserve)
   * and one {@code spacing} (a pass's tokens at the sustained rate) for each place still to come that arrived before
   * it. {@code pass} null: a place of its own each time.
   */
  synchronized long defer(String pass, long now, long refill, long spacing) {
    dropStale(now);
    String id = pass != null ? pass : "\0" + anonymous++;
    Place old = places.remove(id);
    long order = old != null ? old.order() : arrivals++;
    long ahead = places.values().stream().filter(p -> toCome(p, now) && p.order() < order).count();
    long slot = now + refill + ahead * spacing;
    places.put(id, new Place(order, slot));
    return slot;
  }

  /**
   * Passes asked for together at {@code now} (a read ahead's companions), in order, by {@code caller} (its uid, or
   * null; not admitted yet: it gets a place at {@code now}, so that other readers count its tokens): each one waiting
   * already, with a slot within {@code within}, keeps its place and is not asked (its deferral brings it back); each
   * other one gets a new place at {@code slotAfter(n)} from now, n the places still to come before it (the caller's
   * not counted: the caller counts itself), and is asked then if that is within {@code within}; the rest are left
   * out (they keep any place they had).
   */
  synchronized List<AwsBudgets.Slot> ask(String caller, List<String> passes, long now, long within,
      LongUnaryOperator slotAfter) {
    dropStale(now);
    if (caller != null) {
      places.remove(caller);
    }
    long ahead = places.values().stream().filter(p -> toCome(p, now)).count();
    if (caller != null) {
      places.put(caller, new Place(arrivals++, now));
    }
    List<AwsBudgets.Slot> slots = new ArrayList<>(passes.size());
    for (String pass : passes) {
      Place own = places.get(pass);
      if (own != null && own.slot() > now) {
        slots.add(own.slot() - now <= within ? AwsBudgets.Slot.coming(own.slot() - now) : AwsBudgets.Slot.LEFT_OUT);
        continue;
      }
      long delay = Math.max(0, slotAfter.applyAsLong(ahead));
      if (delay > within) {
        slots.add(AwsBudgets.Slot.LEFT_OUT);
        continue;
      }
      places.put(pass, new Place(arrivals++, now + delay));
      ahead++;
      slots.add(AwsBudgets.Slot.askAfter(delay));
    }
    return slots;
  }

  /** The pass was admitted or ran: it waits no more. */
  synchronized void leave(String pass) {
    places.remove(pass);
  }

  /** Places still to come (tests, metrics). */
  synchronized int waiting(long now) {
    return (int) places.values().stream().filter(p -> toCome(p, now)).count();
  }

  /** Places held, slots past included (tests: memory). */
  synchronized int size() {
    return places.size();
  }

  private static boolean toCome(Place p, long now) {
    return p.slot() > now - COMING.toNanos();
  }

  private void dropStale(long now) {
    long stale = now - STALE.toNanos();
    places.values().removeIf(p -> p.slot() < stale);
  }
}
