package io.ecsbridge.aws;

import java.util.concurrent.TimeUnit;

/**
 * Client-side rate limit of AWS requests: a token bucket refilled at {@code ratePerSecond} with room for a burst.
 * AWS throttles by account and region across all callers; spreading our calls keeps the operator from eating the
 * whole account's budget when hundreds of resources resync at once.
 */
public final class TokenBucket {
  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long last;

  public TokenBucket(double ratePerSecond, int burst) {
    if (ratePerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    this.ratePerNano = ratePerSecond / TimeUnit.SECONDS.toNanos(1);
    this.capacity = burst;
    this.tokens = burst;
    this.last = System.nanoTime();
  }

  /** Takes one token, waiting for it if the bucket is empty. Returns the nanoseconds waited. */
  public long acquire() throws InterruptedException {
    long waitNanos;
    synchronized (this) {
      refill();
      tokens -= 1;
      waitNanos = tokens >= 0 ? 0 : (long) Math.ceil(-tokens / ratePerNano);
    }
    if (waitNanos > 0) {
      TimeUnit.NANOSECONDS.sleep(waitNanos);
    }
    return waitNanos;
  }

  private void refill() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
    last = now;
  }
}
