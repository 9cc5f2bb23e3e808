package io.ecsbridge.aws;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client-side AWS call budgets: one Bucket4j token bucket per (account, region, service), as AWS throttles (per
 * account and region, per service), created on first use and dropped when an AwsAccount goes or its role changes.
 * Every HTTP attempt (SDK retries included) takes one token and waits for it when the bucket is empty, so hundreds of
 * resources resyncing in one account never spend that account's whole AWS budget, and one account's or region's
 * traffic never slows another's. The SDK's adaptive retry mode (on every client, {@link AwsClients}) backs off further
 * when AWS throttles all the same (other callers share the account's budget).
 *
 * <p>Two lanes ({@link Lanes}): a call of a person's change ({@link #acquire}) waits for its token and may take the
 * last ones; a periodic resync takes tokens only while the bucket keeps a reserve
 * ({@link Limit#reserve}) for people's changes, and never waits for it: a resync pass is admitted to a budget at its
 * first call there with the tokens such a pass costs ({@link #tryAdmit}), or deferred ({@link ResyncDeferred}) to
 * come back at the pace the budget can serve ({@link #deferral}). A change's call waiting for a token holds the
 * tokens it waits for (Bucket4j reserves them, the bucket goes into debt), so no resync call overtakes it.
 */
public final class AwsBudgets {

  /** One budget's size: a sustained rate per second and a burst (the bucket's capacity). */
  public record Limit(double perSecond, long burst) {
    public Limit {
      if (!(perSecond > 0) || Double.isInfinite(perSecond) || burst < 1) {
        throw new IllegalArgumentException("a rate above 0 per second and a burst of at least 1, not " + perSecond
            + ":" + burst);
      }
    }

    /** A rate with the default burst: twice the rate, at least 1. */
    public static Limit of(double perSecond) {
      return new Limit(perSecond, Math.max(1, (long) Math.ceil(perSecond * 2)));
    }

    /**
     * The tokens a resync's call leaves in the bucket for people's changes: a quarter of the burst (at least 1, and
     * always less than the burst, so that a resync can run at all): the few calls of a change (1 to 5 per pass) find
     * their tokens at once under a full resync, while resyncs keep three quarters of the burst and the whole
     * sustained rate when no change comes.
     */
    public long reserve() {
      return Math.min(burst - 1, Math.max(1, burst / 4));
    }

    /** A full bucket of {@code burst} tokens, refilled greedily (token by token) at {@code perSecond}. */
    Bandwidth bandwidth() {
      long refillNanos = Math.max(1, Math.round(burst * 1e9 / perSecond));
      return Bandwidth.builder().capacity(burst).refillGreedy(burst, Duration.ofNanos(refillNanos)).build();
    }

    @Override
    public String toString() {
      String rate = perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond) : String.valueOf(perSecond);
      return rate + ":" + burst;
    }
  }

  /**
   * Whose budget a call spends: the account's label ({@link AwsIdentity#label()}: the account id when known), the
   * region and the service as IAM names it (ecs, ecr, application-autoscaling, secretsmanager, ssm, sts).
   */
  public record Key(String account, String region, String service) {}

  /**
   * Each service's default budget per account and region, taken from AWS's documented request rates (DESIGN.md,
   * "AWS call budgets", gives the sources): under the tightest documented rate of the actions the operator calls
   * often, or a conservative figure where AWS publishes none.
   */
  public static final Map<String, Limit> DEFAULTS;

  static {
    Map<String, Limit> d = new LinkedHashMap<>();
    d.put("ecs", new Limit(20, 40));
    d.put("ecr", new Limit(10, 20));
    d.put("application-autoscaling", new Limit(10, 20));
    d.put("secretsmanager", new Limit(20, 40));
    d.put("ssm", new Limit(5, 10));
    d.put("sts", new Limit(10, 20));
    DEFAULTS = Collections.unmodifiableMap(d);
  }

  /** A service with no default of its own (none today: every client AwsClients builds is one of the above). */
  static final Limit OTHER = new Limit(10, 20);

  private final Map<String, Limit> limits;
  private final TimeMeter clock;
  private final BlockingStrategy blocking;
  private final Map<Key, Bucket> buckets = new ConcurrentHashMap<>();
  private final Map<Key, Pace> paces = new ConcurrentHashMap<>();

  /** What a budget's resync passes cost, and the passes waiting for it ({@link ResyncQueue}). */
  private static final class Pace {
    double tokensPerPass = 2;
    final ResyncQueue queue = new ResyncQueue();
  }

  /**
   * When a pass asked for by a read ahead comes ({@link #resyncSlots}): asked after {@code delayNanos}, coming by
   * itself then (a deferred pass: not to be asked), or left out (not within the time given: not a companion).
   */
  public record Slot(boolean companion, boolean ask, long delayNanos) {
    public static final Slot LEFT_OUT = new Slot(false, false, 0);

    public static Slot askAfter(long nanos) {
      return new Slot(true, true, nanos);
    }

    public static Slot coming(long nanos) {
      return new Slot(true, false, nanos);
    }

    /** {@code n} passes asked at once (no budget to pace them). */
    public static List<Slot> allNow(int n) {
      return java.util.Collections.nCopies(n, askAfter(0));
    }
  }

  /** @param limits each service's budget where it is not the default (empty: the defaults) */
  public AwsBudgets(Map<String, Limit> limits) {
    this(limits, TimeMeter.SYSTEM_NANOTIME, BlockingStrategy.PARKING);
  }

  /** With a clock and a way to wait of the caller's (tests: a fake clock that the wait moves). */
  AwsBudgets(Map<String, Limit> limits, TimeMeter clock, BlockingStrategy blocking) {
    this.limits = Map.copyOf(limits);
    this.clock = clock;
    this.blocking = blocking;
  }

  /** The budget of a service in each account and region. */
  public Limit limit(String service) {
    String name = service.toLowerCase(Locale.ROOT);
    Limit own = limits.get(name);
    return own != null ? own : DEFAULTS.getOrDefault(name, OTHER);
  }

  /**
   * Takes one token of the key's budget, waiting for it (interruptibly) when the bucket is empty.
   *
   * @return the nanoseconds waited
   */
  public long acquire(Key key) throws InterruptedException {
    Bucket bucket = bucket(key);
    long[] waited = {0};
    bucket.asBlocking().consume(1, nanos -> {
      waited[0] += nanos;
      blocking.park(nanos);
    });
    return waited[0];
  }

  /**
   * Takes one token of the key's budget for a resync pass's call beyond the tokens it was admitted with
   * ({@link #tryAdmit}): only while the bucket holds the reserve after it, as admission does, and waiting for that
   * without holding anything, so that a change's call made meanwhile ({@link #acquire}, which holds the tokens it
   * waits for) goes first. Waiting like a change's call, such calls put the bucket into debt ahead of changes: at a
   * restart, whose first passes are priced at 2 tokens until the repositories' 5 are known, a person's repository
   * change waited 0.9 s for two tokens behind them (make bench, N = 200). After {@link #MAX_YIELD} the call waits
   * as a change's does: changes that keep the budget below its reserve that long (a person's forced resync of all)
   * would otherwise hold the pass's reconcile thread for as long as they last.
   *
   * @return the nanoseconds waited
   */
  public long acquireAboveReserve(Key key) throws InterruptedException {
    Bucket bucket = bucket(key);
    long reserve = limit(key.service()).reserve();
    long waited = 0;
    while (!bucket.tryConsume(1 + reserve)) {
      if (waited >= MAX_YIELD.toNanos()) {
        return waited + acquire(key);
      }
      // another pass may take the tokens first: at least a millisecond between two looks, never a spin
      long nanos = Math.min(MAX_YIELD.toNanos() - waited, Math.max(MIN_LOOK_NANOS,
          bucket.estimateAbilityToConsume(1 + reserve).getNanosToWaitForRefill()));
      blocking.park(nanos);
      waited += nanos;
    }
    if (reserve > 0) {
      bucket.addTokens(reserve);
    }
    return waited;
  }

  /** How long a resync's call beyond its admission lets changes go first ({@link #acquireAboveReserve}). */
  static final Duration MAX_YIELD = Duration.ofSeconds(10);
  private static final long MIN_LOOK_NANOS = 1_000_000;

  private Bucket bucket(Key key) {
    return buckets.computeIfAbsent(key, k -> Bucket.builder()
        .addLimit(limit(k.service()).bandwidth())
        .withCustomTimePrecision(clock)
        .build());
  }

  /**
   * Admits a resync pass to the key's budget: takes {@code tokens} at once (what such a pass costs,
   * {@link #resyncCost}) if the bucket still holds the reserve after them, without waiting. The pass then spends
   * them as its calls go ({@link Lanes}) and gives back what it did not use ({@link #giveBack}), so that it is never
   * cut in the middle for want of a token, and passes admitted together never take the reserve between them: the
   * check and the take are one atomic consumption (tokens + reserve, the reserve given back at once).
   *
   * @return whether the pass was admitted
   */
  public boolean tryAdmit(Key key, long tokens) {
    return tryAdmit(key, tokens, null);
  }

  /** The same for the pass of {@code pass} (a resource's uid, or null): admitted, it leaves the deferred queue. */
  public boolean tryAdmit(Key key, long tokens, String pass) {
    Bucket bucket = bucket(key);
    long reserve = limit(key.service()).reserve();
    if (!bucket.tryConsume(tokens + reserve)) {
      return false;
    }
    if (reserve > 0) {
      bucket.addTokens(reserve);
    }
    ran(key, pass);
    return true;
  }

  /**
   * When the resync passes of {@code passes} (resources' uids, in order), asked for at once by a read ahead, could be
   * admitted to the key's budget ({@link ResyncQueue#ask}): a pass waiting already keeps its place; the others take
   * places after the passes waiting, each at the time the bucket, having given a pass's tokens to each place before
   * it (and to the caller's own pass when {@code callerToCome}: it has not taken its tokens yet), holds the reserve
   * and one pass's tokens again, at the rate the queue is served ({@link #SLACK}). Passes beyond {@code within} are
   * left out. Asked all at once, the passes beyond the first few were deferred and the read made ahead for them was
   * lost. The bucket is created if it was not.
   */
  public List<Slot> resyncSlots(Key key, boolean callerToCome, List<String> passes, Duration within) {
    Limit limit = limit(key.service());
    long cost = resyncCost(key);
    Bucket bucket = bucket(key);
    long own = callerToCome ? 1 : 0;
    long now = clock.currentTimeNanos();
    Pace pace = paces.computeIfAbsent(key, k -> new Pace());
    long[] available = {Long.MIN_VALUE}; // read once, in the queue's lock
    return pace.queue.ask(passes, now, within.toNanos(), spacing(limit, cost), before -> {
      if (available[0] == Long.MIN_VALUE) {
        available[0] = bucket.getAvailableTokens();
      }
      double tokens = limit.reserve() + (before + own + 1) * (double) cost - available[0];
      return tokens <= 0 ? 0 : (long) Math.ceil(tokens * 1e9 / limit.perSecond() * SLACK);
    });
  }

  /** Passes given places by {@link #resyncSlots} and not asked for after all (their read ahead was not made). */
  public void release(Key key, List<String> passes) {
    Pace pace = paces.get(key);
    if (pace != null) {
      passes.forEach(pace.queue::leave);
    }
  }

  /**
   * Of {@code passes}, those waiting in the key's queue (deferred, or asked for by a read ahead, and still to come),
   * with the nanoseconds until their slot (0 once it came): a read ahead takes those due soonest as companions.
   */
  public Map<String, Long> waitingFor(Key key, java.util.Collection<String> passes) {
    Pace pace = paces.get(key);
    return pace == null ? Map.of() : pace.queue.waitingFor(passes, clock.currentTimeNanos());
  }

  /** Tokens an admitted resync pass took and did not use, back to the bucket. */
  void giveBack(Key key, long tokens) {
    if (tokens > 0) {
      bucket(key).addTokens(tokens);
    }
  }

  /**
   * What a resync pass of this budget costs, in tokens: the moving average of what such passes took (rounded up, at
   * least 1, at most what the bucket can hold above its reserve). A pass that needs more waits for its extra tokens
   * above the reserve, behind changes ({@link #acquireAboveReserve}; rarely but at a restart: the average follows the
   * passes).
   */
  public long resyncCost(Key key) {
    Limit limit = limit(key.service());
    Pace pace = paces.computeIfAbsent(key, k -> new Pace());
    double perPass;
    synchronized (pace) {
      perPass = pace.tokensPerPass;
    }
    return Math.max(1, Math.min(limit.burst() - limit.reserve(), (long) Math.ceil(perPass - 0.05)));
  }

  /**
   * Waiting passes come back spaced by the time a pass's tokens take at the sustained rate, times this: 1. At 1.25
   * (80% of the rate, meant to absorb resyncs arriving on their own timers and passes coming a little late) the
   * spacing, not the budget, paced a large restart's start-up pass: make bench N = 2,000 took 23 and 42% longer than
   * ECR's floor, against 1 and 3% at the full rate (two runs each), with no more deferrals (DESIGN.md, "One place per
   * waiting pass"). A pass that finds its tokens short all the same is deferred again, and one that came before its
   * slot keeps its place ({@link ResyncQueue#defer}).
   */
  static final double SLACK = 1.0;
  /** The jitter of a deferral: up to this fraction of its spacing (it keeps passes in their order). */
  private static final long JITTER = 4;

  private static long spacing(Limit limit, long cost) {
    return Math.max(1, Math.round(cost * 1e9 / limit.perSecond() * SLACK));
  }

  /**
   * When a deferred resync pass should come back: once the bucket holds the reserve and a pass's tokens again, and
   * after the passes waiting (each a pass's tokens at the sustained rate, {@link #SLACK}; {@link
   * ResyncQueue#defer}), plus a jitter of up to a quarter of that spacing. The deferred passes of a full resync so
   * come back in turn at the pace the budget serves them, instead of all at once to be deferred again. {@code pass}
   * (a resource's uid; null: a place of its own each time) holds one place: deferred again, it takes a new one.
   */
  public Duration deferral(Key key, String pass) {
    Limit limit = limit(key.service());
    Bucket bucket = bucket(key);
    long cost = resyncCost(key);
    long refill = bucket.estimateAbilityToConsume(limit.reserve() + cost).getNanosToWaitForRefill();
    Pace pace = paces.computeIfAbsent(key, k -> new Pace());
    long now = clock.currentTimeNanos();
    long spacing = spacing(limit, cost);
    long slot = pace.queue.defer(pass, now, refill, spacing);
    return Duration.ofNanos(slot - now + ThreadLocalRandom.current().nextLong(spacing / JITTER + 1));
  }

  /** The same for a pass without a name (each deferral a place of its own). */
  public Duration deferral(Key key) {
    return deferral(key, null);
  }

  /** The pass of {@code pass} was admitted or ran (in either lane) having spent the key's budget: it waits no more. */
  void ran(Key key, String pass) {
    Pace pace = paces.get(key);
    if (pace != null && pass != null) {
      pace.queue.leave(pass);
    }
  }

  /** How many places the key's queue holds, slots past included (tests: memory). */
  int queued(Key key) {
    Pace pace = paces.get(key);
    return pace == null ? 0 : pace.queue.size();
  }

  /** How many passes wait for the key's budget (tests, metrics). */
  int waiting(Key key) {
    Pace pace = paces.get(key);
    return pace == null ? 0 : pace.queue.waiting(clock.currentTimeNanos());
  }

  /** A resync pass ended having taken {@code tokens} of the key's budget (its cost, {@link #resyncCost}). */
  void resyncPassTook(Key key, int tokens) {
    Pace pace = paces.computeIfAbsent(key, k -> new Pace());
    synchronized (pace) {
      pace.tokensPerPass = 0.8 * pace.tokensPerPass + 0.2 * tokens;
    }
  }

  /** Drops the budgets of an account (its label): deleted, or its role changed. */
  public void forget(String account) {
    buckets.keySet().removeIf(k -> k.account().equals(account));
    paces.keySet().removeIf(k -> k.account().equals(account));
  }

  /** How many budgets are in use (for tests and benchmarks). */
  public int size() {
    return buckets.size();
  }
}
