package io.ecsbridge.status;

/**
 * The one verdict a reconcile reaches about a resource; {@link Conditions#apply} turns it into the three kstatus
 * conditions so that Ready, Reconciling and Stalled never contradict each other.
 */
public record Health(State state, String reason, String message) {

  public enum State {
    /** AWS matches the spec and is stable. */
    READY,
    /** Work is in flight and will finish by itself (creating, rolling out, waiting for a reference). */
    PROGRESSING,
    /** Nothing will change without a person (validation error, access denied, name taken, failed rollout). */
    STALLED
  }

  public static Health ready(String reason, String message) {
    return new Health(State.READY, reason, message);
  }

  public static Health progressing(String reason, String message) {
    return new Health(State.PROGRESSING, reason, message);
  }

  public static Health stalled(String reason, String message) {
    return new Health(State.STALLED, reason, message);
  }
}
