package io.ecsbridge.aws;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Reads of one AWS describe call that takes many names (DescribeServices: 10, DescribeClusters: 100), per group (an
 * identity, a region and, for services, a cluster), shared by concurrent passes and read ahead for passes due soon.
 *
 * <p>{@link #read}: a fresh read, one that starts after the caller asked. Reads asked for the same group while a call
 * of that group is in flight queue; when it ends, one of the waiting callers makes the next call with up to
 * {@code max} queued names (a group commit: no delay when nothing else is in flight, one call for many under load).
 * The slots left in a call are filled with the callers' companions (names due soon, each with a token: the state of
 * the resource that asked, e.g. its Kubernetes resourceVersion); what AWS answers for a companion is kept for at
 * most {@code freshness} and handed once, to the first {@link #kept} with the same token.
 *
 * <p>Never served across identities: the group is keyed by the identity bound on the calling thread
 * ({@link AwsScope}), which makes the call. A write ({@link #written}) drops what is kept of that name and refuses
 * to keep an answer whose call started before the write ended. Memory: entries leave when used, and stale ones on
 * the next store.
 */
public final class BatchedReads<T> {

  /** One AWS call for these names (at most {@code max}): each name's answer, empty when it does not exist. */
  @FunctionalInterface
  public interface Describe<T> {
    Map<String, Optional<T>> describe(String region, String group, List<String> names);
  }

  /** A name read ahead for a pass due soon; {@code token}: the state its answer may serve (never null). */
  public record Companion(String name, String token) {}

  private record Group(AwsIdentity identity, String region, String group) {}

  /** What is kept or written per name, whatever the group it was read in (a write counts for every group). */
  private record Item(AwsIdentity identity, String region, String name) {}

  private record Kept<T>(String group, Optional<T> value, String token, long readAt) {}

  private record InFlight(String group, String token, CompletableFuture<Void> done) {}

  private static final class Request {
    final String name;
    final List<Companion> companions;
    final CompletableFuture<Optional<?>> answer = new CompletableFuture<>();
    /** Completed when this waiting caller is to make the next call. */
    final CompletableFuture<Void> lead = new CompletableFuture<>();
    /** Read in a call of its own, without companions: a call with other names failed (see {@link #callOnce}). */
    volatile boolean alone;

    Request(String name, List<Companion> companions) {
      this.name = name;
      this.companions = companions;
    }
  }

  private static final class Lane {
    final ArrayDeque<Request> queue = new ArrayDeque<>();
    boolean busy;
  }

  private final Describe<T> describe;
  private final int max;
  private final long freshnessNanos;
  private final LongSupplier nanos;
  private final Map<Group, Lane> lanes = new ConcurrentHashMap<>();
  private final Map<Item, Kept<T>> kept = new ConcurrentHashMap<>();
  private final Map<Item, Long> written = new ConcurrentHashMap<>();
  private final Map<Item, InFlight> inFlight = new ConcurrentHashMap<>();

  public BatchedReads(Describe<T> describe, int max, Duration freshness) {
    this(describe, max, freshness, System::nanoTime);
  }

  BatchedReads(Describe<T> describe, int max, Duration freshness, LongSupplier nanos) {
    this.describe = describe;
    this.max = max;
    this.freshnessNanos = freshness.toNanos();
    this.nanos = nanos;
  }

  /**
   * A fresh read of {@code name}: answered by a call that starts after this one was asked, made by this thread or
   * by a concurrent caller of the same group, with companions read ahead in the call's free slots.
   */
  @SuppressWarnings("unchecked")
  public Optional<T> read(String region, String group, String name, List<Companion> companions) {
    Group key = new Group(AwsScope.bound(), region, group);
    Lane lane = lanes.computeIfAbsent(key, k -> new Lane());
    Request me = new Request(name, companions);
    boolean lead;
    synchronized (lane) {
      lane.queue.add(me);
      lead = !lane.busy;
      lane.busy = true;
    }
    if (!lead) {
      CompletableFuture.anyOf(me.answer, me.lead).exceptionally(e -> null).join();
      if (me.answer.isDone()) {
        return (Optional<T>) await(me.answer);
      }
    }
    try {
      while (!me.answer.isDone()) {
        callOnce(key, lane);
      }
    } finally {
      synchronized (lane) {
        Request next = lane.queue.peek();
        if (next == null) {
          lane.busy = false;
        } else {
          next.lead.complete(null);
        }
      }
    }
    return (Optional<T>) await(me.answer);
  }

  /**
   * What a companion read answered for {@code name} in {@code group}, if it was read for this {@code token}, is at
   * most {@code freshness} old and no write came after it; waits for such a read in flight. Handed once.
   */
  public Optional<Optional<T>> kept(String region, String group, String name, String token) {
    if (token == null) {
      return Optional.empty();
    }
    Item item = new Item(AwsScope.bound(), region, name);
    InFlight flying = inFlight.get(item);
    if (flying != null && flying.group().equals(group) && flying.token().equals(token)) {
      flying.done().join(); // never fails: completed in a finally
    }
    Kept<T> k = kept.remove(item);
    if (k == null || !k.group().equals(group) || !k.token().equals(token) || stale(k.readAt())
        || writtenSince(item, k.readAt())) {
      return Optional.empty();
    }
    return Optional.of(k.value());
  }

  /** A write to {@code name} ended: nothing read before it is kept or handed out. */
  public void written(String region, String name) {
    Item item = new Item(AwsScope.bound(), region, name);
    written.put(item, nanos.getAsLong());
    kept.remove(item);
  }

  /** Whether {@code name} is kept or being read ahead (in this identity and region): not worth reading ahead again. */
  public boolean ahead(String region, String name) {
    Item item = new Item(AwsScope.bound(), region, name);
    return inFlight.containsKey(item) || kept.containsKey(item);
  }

  /** How many answers are kept (tests, memory). */
  public int keptCount() {
    return kept.size();
  }

  /** How many reads wait for a call (tests). */
  int queued() {
    return lanes.values().stream().mapToInt(l -> {
      synchronized (l) {
        return l.queue.size();
      }
    }).sum();
  }

  private void callOnce(Group key, Lane lane) {
    List<Request> batch = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    synchronized (lane) {
      while (!lane.queue.isEmpty()) {
        Request next = lane.queue.peek();
        boolean fits = batch.isEmpty() || !next.alone && !batch.get(0).alone
            && (names.size() < max || names.contains(next.name));
        if (!fits) {
          break;
        }
        lane.queue.poll();
        batch.add(next);
        names.add(next.name);
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    List<Companion> ahead = new ArrayList<>();
    for (Request r : batch) {
      for (Companion c : r.alone ? List.<Companion>of() : r.companions) {
        if (names.size() >= max) {
          break;
        }
        Item item = new Item(key.identity(), key.region(), c.name());
        if (c.token() != null && !names.contains(c.name())
            && inFlight.putIfAbsent(item, new InFlight(key.group(), c.token(), new CompletableFuture<>())) == null) {
          names.add(c.name());
          ahead.add(c);
        }
      }
    }
    long readAt = nanos.getAsLong();
    try {
      Map<String, Optional<T>> answers = describe.describe(key.region(), key.group(), List.copyOf(names));
      sweep();
      for (Companion c : ahead) {
        Item item = new Item(key.identity(), key.region(), c.name());
        if (!writtenSince(item, readAt)) {
          kept.put(item, new Kept<>(key.group(), answers.getOrDefault(c.name(), Optional.empty()), c.token(),
              readAt));
        }
      }
      batch.forEach(r -> r.answer.complete(answers.getOrDefault(r.name, Optional.empty())));
    } catch (RuntimeException e) {
      if (names.size() == 1 && batch.size() == 1) {
        batch.get(0).answer.completeExceptionally(e);
      } else {
        // A call for several names or passes failed as a whole: made by one pass (in its lane, under its budget)
        // for names of several resources, its error may be another resource's (one refused name, an AWS message
        // naming another namespace's resource) or the caller's alone (its resync deferred). Nobody gets it: each
        // request is read again in a call of its own, so each pass sees only its own answer or error.
        synchronized (lane) {
          for (int i = batch.size() - 1; i >= 0; i--) {
            batch.get(i).alone = true;
            lane.queue.addFirst(batch.get(i));
          }
        }
      }
    } finally {
      for (Companion c : ahead) {
        InFlight done = inFlight.remove(new Item(key.identity(), key.region(), c.name()));
        if (done != null) {
          done.done().complete(null);
        }
      }
    }
  }

  private boolean stale(long readAt) {
    return nanos.getAsLong() - readAt > freshnessNanos;
  }

  private boolean writtenSince(Item item, long readAt) {
    Long at = written.get(item);
    return at != null && at - readAt >= 0;
  }

  /** Drops what can no longer be handed out: kept answers past freshness, and writes older than any of them. */
  private void sweep() {
    kept.values().removeIf(k -> stale(k.readAt()));
    written.values().removeIf(this::stale);
  }

  private static Optional<?> await(CompletableFuture<Optional<?>> answer) {
    try {
      return answer.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
