package io.ecsbridge.aws;

import java.util.function.Supplier;

/**
 * The identity AWS calls on this thread are made with. A reconcile pass binds the identity of the resource it works
 * on ({@link #call}) and every client {@link AwsClients} hands out on that thread calls AWS as it. A call with
 * nothing bound fails ({@link #current}) rather than falling back to the operator's identity: a code path that
 * forgot to bind cannot reach AWS with credentials its namespace was not given.
 *
 * <p>A thread-bound scope rather than a parameter on every gateway method: JOSDK runs each pass on one thread and
 * every gateway call is synchronous, so the binding cannot leak into another resource's pass, and the gateways and
 * their fakes keep their region-only signatures.
 */
public final class AwsScope {
  private static final ThreadLocal<AwsIdentity> CURRENT = new ThreadLocal<>();

  private AwsScope() {}

  /** Runs {@code work} with AWS calls made as {@code identity}, restoring what was bound before. */
  public static <T> T call(AwsIdentity identity, Supplier<T> work) {
    if (identity == null) {
      throw new IllegalArgumentException("identity");
    }
    AwsIdentity before = CURRENT.get();
    CURRENT.set(identity);
    try {
      return work.get();
    } finally {
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    }
  }

  /** The same without a result. */
  public static void run(AwsIdentity identity, Runnable work) {
    call(identity, () -> {
      work.run();
      return null;
    });
  }

  /** The identity bound on this thread. */
  public static AwsIdentity current() {
    AwsIdentity identity = CURRENT.get();
    if (identity == null) {
      throw new IllegalStateException("AWS call outside an identity scope: bind one with AwsScope.call");
    }
    return identity;
  }

  /** The identity bound on this thread, or null. */
  public static AwsIdentity bound() {
    return CURRENT.get();
  }
}
