package io.ecsbridge.aws;

import java.time.Duration;

/**
 * A RESYNC pass's AWS call found its budget unable to give a token without spending the reserve kept for people's
 * changes ({@link Lanes}): thrown before the call is sent. The frame ends the pass without a status write or an Event
 * and runs it again after {@link #retryAfter}. Not an {@link AwsException}: nothing failed, no backoff, no retry count.
 */
public final class ResyncDeferred extends RuntimeException {
  private final transient AwsBudgets.Key budget;
  private final Duration retryAfter;

  public ResyncDeferred(AwsBudgets.Key budget, Duration retryAfter) {
    super("resync deferred: the AWS call budget of " + budget + " keeps its reserve for changes; again in "
        + retryAfter.toMillis() + " ms", null, false, false);
    this.budget = budget;
    this.retryAfter = retryAfter;
  }

  public AwsBudgets.Key budget() {
    return budget;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  /** The deferral in a failure's causes (the SDK may wrap what an interceptor throws), or null. */
  public static ResyncDeferred in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ResyncDeferred d) {
        return d;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
