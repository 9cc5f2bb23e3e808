package io.ecsbridge.aws;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which lane the AWS calls of this thread's pass go in, bound for the pass like {@link AwsScope} binds the identity.
 * {@link Lane#USER}: a change a person made (a new generation, an annotation, a referenced object, a deletion, a
 * resource not Ready): its calls wait for their budget's token as long as it takes and may spend the budget's
 * reserve. {@link Lane#RESYNC}: the periodic look at a resource in sync: its calls never wait and never spend the
 * reserve: at its first call to a budget the pass is admitted with the tokens such a pass costs
 * ({@link AwsBudgets#tryAdmit}) and spends them as it goes; when the budget cannot give them above its reserve, the
 * call throws {@link ResyncDeferred} before anything is sent and the pass ends, to be run again a little later.
 *
 * <p>A RESYNC pass that sends a write (drift found and corrected) is promoted to USER for the rest of the pass
 * ({@link #wrote}): a deferral can only end a pass before its first write, when it has made reads only, so that no
 * pass is ever cut between a write and the status that remembers it. Nothing bound (the AwsAccount reconciler, start-up
 * checks, tests): USER, the behaviour before lanes.
 */
public final class Lanes {

  /** A pass's lane. */
  public enum Lane { USER, RESYNC }

  /**
   * What the meter needs of the pass on this thread: its lane, its kind (metrics), the tokens it took, and, per budget
   * a resync pass was admitted to, the tokens taken at admission and not yet spent.
   */
  static final class Pass {
    final String kind;
    /** Which resource's pass (its uid), or null: a deferred pass keeps one place in its budget's queue. */
    final String id;
    Lane lane;
    final Map<AwsBudgets.Key, Integer> tokens = new HashMap<>();
    final Map<AwsBudgets.Key, Long> credit = new HashMap<>();
    AwsBudgets budgets;
    boolean deferred;

    Pass(String kind, String id, Lane lane) {
      this.kind = kind;
      this.id = id;
      this.lane = lane;
    }

    boolean admitted(AwsBudgets.Key key) {
      return credit.containsKey(key);
    }

    /** Admitted with {@code tokens} taken, {@code spent} of them (0 or 1) for the call being made. */
    void admit(AwsBudgets budgets, AwsBudgets.Key key, long tokens, long spent) {
      this.budgets = budgets;
      credit.put(key, tokens - spent);
    }

    /** Spends one token taken at admission, if one is left. */
    boolean spendCredit(AwsBudgets.Key key) {
      Long left = credit.get(key);
      if (left == null || left <= 0) {
        return false;
      }
      credit.put(key, left - 1);
      return true;
    }
  }

  private static final ThreadLocal<Pass> CURRENT = new ThreadLocal<>();

  private Lanes() {}

  /**
   * Runs one pass of a resource of {@code kind} in {@code lane}, restoring what was bound before. A RESYNC pass that
   * ends without a deferral tells each budget it spent how many tokens it took (the pace of later deferrals).
   */
  public static <T> T call(String kind, Lane lane, Supplier<T> work) {
    return call(kind, null, lane, work);
  }

  /**
   * The same for the pass of one resource: {@code id} (its uid) names its place in the queue of deferred
   * passes of a budget ({@link AwsBudgets#deferral}), which a pass deferred again keeps instead of taking another.
   */
  public static <T> T call(String kind, String id, Lane lane, Supplier<T> work) {
    Pass before = CURRENT.get();
    Pass pass = new Pass(kind, id, lane);
    CURRENT.set(pass);
    try {
      T result = work.get();
      if (lane == Lane.RESYNC && pass.budgets != null && !pass.deferred) {
        pass.tokens.forEach(pass.budgets::resyncPassTook);
      }
      return result;
    } finally {
      if (pass.budgets != null) {
        pass.credit.forEach(pass.budgets::giveBack);
        if (pass.id != null && !pass.deferred) {
          pass.tokens.keySet().forEach(key -> pass.budgets.ran(key, pass.id));
        }
      }
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    }
  }

  /** The lane of this thread's pass: USER when none is bound. */
  public static Lane current() {
    Pass pass = CURRENT.get();
    return pass == null ? Lane.USER : pass.lane;
  }

  /** This thread's pass, or null. */
  static Pass pass() {
    return CURRENT.get();
  }

  /** The kind of this thread's pass, or "none". */
  static String kind() {
    Pass pass = CURRENT.get();
    return pass == null ? "none" : pass.kind;
  }

  /** A write was sent: the rest of this pass is USER's (it must finish and be remembered). */
  static void wrote() {
    Pass pass = CURRENT.get();
    if (pass != null) {
      pass.lane = Lane.USER;
    }
  }

  /** A token of {@code key}'s budget was taken by this pass. */
  static void took(AwsBudgets budgets, AwsBudgets.Key key) {
    Pass pass = CURRENT.get();
    if (pass != null) {
      pass.budgets = budgets;
      pass.tokens.merge(key, 1, Integer::sum);
    }
  }

  /** This pass is deferred (its tokens so far say nothing of a whole pass's cost). */
  static void deferred() {
    Pass pass = CURRENT.get();
    if (pass != null) {
      pass.deferred = true;
    }
  }
}
