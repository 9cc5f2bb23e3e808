package io.ecsbridge.contract;

import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JOSDK's reconcile executor, with a person's change first (issue 14, priorities). JOSDK runs every reconcile on one
 * executor, by default a fixed pool whose queue is first in, first out. When the operator starts, every resource's
 * first pass is queued at once (6,000 passes at N = 2,000), and a change a person makes then waits for its
 * resource's own queued pass, at the back: 5.5 s at 6,043 resources in {@code make bench}, though most of those passes
 * only find their AWS budget busy and end. Here the queue is ordered: passes a person asked for (a new resource, a spec
 * change, an unhandled reconcile request: what the resource itself shows, as {@link PassLanes#asked}) before all
 * others, each group in the order submitted. A person's change that arrives while its resource's pass is already
 * queued moves that pass to the front: JOSDK runs a queued pass with the latest resource of its cache, so it handles
 * the change sooner (JOSDK still marks the event and runs the resource once more after it, as before).
 *
 * <p>First in the queue still waits for a thread: at a restart every thread is busy with start-up passes that make
 * AWS calls, and a person's repository change waited 0.25 to 0.65 s for one ({@code make bench N=200}). So two more
 * threads are kept for people's changes ({@link #SPARE_THREADS}): a pass a person asked for that finds every thread
 * of the pool busy runs on one of them at once, when one is free (else it waits first in the queue, as before); each
 * ends after 5 s idle. The pool's own threads stay as many as configured.
 *
 * <p>JOSDK's executor takes {@link Runnable}s that do not say which resource they are for, so JOSDK's {@link Metrics}
 * hooks tell it ({@link #metrics}): {@code reconcileCustomResource} is called for the resource on the submitting thread
 * just before {@code execute}, and {@code receivedEvent} for every event before it is handled. Both are public
 * extension points (ConfigurationServiceOverrider's {@code withMetrics} and {@code withExecutorService}); everything
 * is delegated to the operator's own metrics.
 */
public final class ReconcileQueue extends ThreadPoolExecutor {
  /** The resource the submitting thread is about to hand over ({@code reconcileCustomResource}, then execute). */
  private static final ThreadLocal<Submission> SUBMITTING = new ThreadLocal<>();

  private final AtomicLong order = new AtomicLong();
  private final AtomicLong unlabeled = new AtomicLong();
  private final ConcurrentMap<Key, Pass> queued = new ConcurrentHashMap<>();
  /**
   * Threads kept for people's changes while every thread of the pool is busy: two, as the bench changes a repository
   * and a service at once, and with one the second waited for the pool as before.
   */
  static final int SPARE_THREADS = 2;
  private final ThreadPoolExecutor spare;

  /** A fixed pool of {@code threads}, as JOSDK's default, and {@link #SPARE_THREADS} kept for people's changes. */
  public ReconcileQueue(int threads) {
    super(threads, threads, 0L, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>());
    AtomicLong spares = new AtomicLong();
    spare = new ThreadPoolExecutor(0, SPARE_THREADS, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
        r -> new Thread(r, "reconcile-spare-" + spares.incrementAndGet())) {
      @Override
      protected void beforeExecute(Thread thread, Runnable runnable) {
        taken(runnable);
        super.beforeExecute(thread, runnable);
      }
    };
  }

  /** A resource of one kind, whichever controller's. */
  record Key(Class<?> kind, ResourceID id) {
    static Key of(HasMetadata resource) {
      return new Key(resource.getClass(), ResourceID.fromResource(resource));
    }
  }

  private record Submission(Key key, boolean asked) {}

  /** A queued reconcile: a person's first, then in the order submitted. */
  private static final class Pass implements Runnable, Comparable<Pass> {
    final Runnable command;
    final Key key;
    final boolean asked;
    final long order;

    Pass(Runnable command, Key key, boolean asked, long order) {
      this.command = command;
      this.key = key;
      this.asked = asked;
      this.order = order;
    }

    @Override
    public void run() {
      command.run();
    }

    @Override
    public int compareTo(Pass other) {
      if (asked != other.asked) {
        return asked ? -1 : 1;
      }
      return Long.compare(order, other.order);
    }
  }

  @Override
  public void execute(Runnable command) {
    Submission submission = SUBMITTING.get();
    SUBMITTING.remove();
    Pass pass = new Pass(Objects.requireNonNull(command), submission == null ? null : submission.key(),
        submission != null && submission.asked(), order.incrementAndGet());
    if (pass.key != null) {
      queued.put(pass.key, pass);
    } else {
      unlabeled.incrementAndGet();
    }
    if (pass.asked && getActiveCount() >= getMaximumPoolSize() && onSpare(pass)) {
      return;
    }
    try {
      super.execute(pass);
    } catch (RuntimeException rejected) { // shut down (the operator stops): nothing of it stays
      if (pass.key != null) {
        queued.remove(pass.key, pass);
      }
      throw rejected;
    }
  }

  /** Runs the pass on a spare thread if one is free: true; else false (it is then queued). */
  private boolean onSpare(Pass pass) {
    try {
      spare.execute(pass);
      return true;
    } catch (RejectedExecutionException busyOrStopped) {
      return false;
    }
  }

  @Override
  protected void beforeExecute(Thread thread, Runnable runnable) {
    taken(runnable);
    super.beforeExecute(thread, runnable);
  }

  /** A thread took the pass: it is no longer queued. */
  private void taken(Runnable runnable) {
    if (runnable instanceof Pass pass && pass.key != null) {
      queued.remove(pass.key, pass);
    }
  }

  @Override
  public void shutdown() {
    super.shutdown();
    spare.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> left = super.shutdownNow();
    spare.shutdownNow();
    return left;
  }

  @Override
  public boolean isTerminated() {
    return super.isTerminated() && spare.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    return super.awaitTermination(timeout, unit)
        && spare.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** A person asked something of this resource: its pass waiting in the queue, if any, goes before the others. */
  void promote(Key key) {
    Pass pass = queued.get(key);
    if (pass == null || pass.asked || !getQueue().remove(pass)) {
      return; // none waiting, already first, or taken by a thread meanwhile
    }
    Pass first = new Pass(pass.command, key, true, pass.order);
    queued.replace(key, pass, first);
    if (!onSpare(first)) { // queued, so every thread of the pool is busy
      getQueue().offer(first);
    }
  }

  /** How many passes wait (tests). */
  int waiting() {
    return getQueue().size();
  }

  /** Passes submitted so far, and those JOSDK did not say the resource of (tests: must stay 0; both: JOSDK's order). */
  public long[] submittedAndUnlabeled() {
    return new long[] {order.get(), unlabeled.get()};
  }

  /** What the resource shows: a person asked for this pass (new, spec changed, reconcile requested). */
  static boolean asked(HasMetadata resource) {
    if (!(resource instanceof CustomResource<?, ?> custom) || !(custom.getStatus() instanceof AwsResourceStatus
        || custom.getStatus() == null) || resource instanceof io.ecsbridge.api.v1alpha1.AwsAccount) {
      return false; // not a kind run by the frame (an AwsAccount records no handled reconcile request): in order
    }
    Long generation = resource.getMetadata().getGeneration();
    return PassLanes.asked((AwsResourceStatus) custom.getStatus(), generation == null ? 0 : generation,
        AwsResourceReconciler.annotation(resource, io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT));
  }

  /** JOSDK's metrics hooks, delegated to {@code delegate}, telling this queue what it runs. */
  public Metrics metrics(Metrics delegate) {
    return new Metrics() {
      @Override
      public void controllerRegistered(Controller<? extends HasMetadata> controller) {
        delegate.controllerRegistered(controller);
      }

      @Override
      public void receivedEvent(Event event, Map<String, Object> metadata) {
        if (event instanceof ResourceEvent resourceEvent && resourceEvent.getAction() != ResourceAction.DELETED) {
          resourceEvent.getResource().filter(ReconcileQueue::asked).ifPresent(r -> promote(Key.of(r)));
        }
        delegate.receivedEvent(event, metadata);
      }

      @Override
      public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        delegate.reconcileCustomResource(resource, retryInfo, metadata);
        SUBMITTING.set(new Submission(Key.of(resource), asked(resource))); // last: JOSDK's execute comes next
      }

      @Override
      public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
        delegate.failedReconciliation(resource, exception, metadata);
      }

      @Override
      public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
        delegate.reconciliationExecutionStarted(resource, metadata);
      }

      @Override
      public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
        delegate.reconciliationExecutionFinished(resource, metadata);
      }

      @Override
      public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
        delegate.cleanupDoneFor(resourceID, metadata);
      }

      @Override
      public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
        delegate.finishedReconciliation(resource, metadata);
      }

      @Override
      public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        return delegate.timeControllerExecution(execution);
      }

      @Override
      public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
        return delegate.monitorSizeOf(map, name);
      }
    };
  }
}
