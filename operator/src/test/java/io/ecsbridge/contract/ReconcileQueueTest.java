package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcrRepositoryStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconcile executor's order: what a person asked for first, the rest in the order submitted; a person's change
 * that finds every thread busy runs on a spare thread when one is free.
 */
class ReconcileQueueTest {
  private final ReconcileQueue queue = new ReconcileQueue(1);
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Metrics metrics = queue.metrics(new Metrics() {
    @Override
    public void receivedEvent(Event event, Map<String, Object> metadata) {
      calls.add("receivedEvent");
    }

    @Override
    public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
      calls.add("reconcileCustomResource " + resource.getMetadata().getName());
    }

    @Override
    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
      calls.add("finishedReconciliation");
    }
  });
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    queue.shutdown();
    assertThat(queue.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** A repository in sync (observed at its generation, no request pending), or changed by a person since. */
  private static EcrRepository repo(String name, boolean changed) {
    EcrRepository r = new EcrRepository();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withGeneration(changed ? 2L : 1L).build());
    EcrRepositoryStatus status = new EcrRepositoryStatus();
    status.setObservedGeneration(1L);
    r.setStatus(status);
    return r;
  }

  /** As JOSDK's EventProcessor submits: the metrics hook for the resource, then execute, on one thread. */
  private void submit(EcrRepository resource) {
    metrics.reconcileCustomResource(resource, null, Map.of());
    queue.execute(() -> ran.add(resource.getMetadata().getName()));
  }

  /** The one thread busy until the test says, so that what is submitted meanwhile waits in the queue. */
  private void occupy() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    queue.execute(busyUntilReleased(running));
    assertThat(running.await(10, TimeUnit.SECONDS)).as("running").isTrue();
  }

  /** The spare threads busy too (people's changes that came while the pool was busy), until the test says. */
  private void occupySpare() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(ReconcileQueue.SPARE_THREADS);
    for (int i = 0; i < ReconcileQueue.SPARE_THREADS; i++) {
      metrics.reconcileCustomResource(repo("busy-" + i, true), null, Map.of());
      queue.execute(busyUntilReleased(running));
    }
    assertThat(running.await(10, TimeUnit.SECONDS)).as("running").isTrue();
    assertThat(queue.waiting()).as("none of them queued").isZero();
  }

  /** A pass that counts {@code running} down, then keeps its thread until the test releases it. */
  private Runnable busyUntilReleased(CountDownLatch running) {
    return () -> {
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Test
  void aPersonsChangeRunsBeforeTheResyncsQueuedBeforeItAndTheRestInOrder() throws Exception {
    occupy();
    occupySpare();
    submit(repo("a", false));
    submit(repo("b", false));
    submit(repo("changed", true));
    submit(repo("c", false));
    EcrRepository fresh = repo("new", false);
    fresh.setStatus(null);
    submit(fresh);
    release.countDown();
    await().until(() -> ran.size() == 5);
    assertThat(ran).containsExactly("changed", "new", "a", "b", "c");
  }

  @Test
  void aChangeToAResourceWhosePassIsAlreadyQueuedMovesThatPassToTheFront() throws Exception {
    occupy();
    occupySpare();
    submit(repo("a", false));
    submit(repo("b", false));
    submit(repo("last", false)); // its start-up pass, queued while it was in sync
    EcrRepository edited = repo("last", true);
    metrics.receivedEvent(new ResourceEvent(ResourceAction.UPDATED, ResourceID.fromResource(edited), edited), Map.of());
    assertThat(queue.waiting()).as("moved, not added: JOSDK runs the queued pass with the latest resource").isEqualTo(3);
    release.countDown();
    await().until(() -> ran.size() == 3);
    assertThat(ran).containsExactly("last", "a", "b");
  }

  @Test
  void aPersonsChangeThatFindsEveryThreadBusyRunsAtOnceOnASpareThread() throws Exception {
    occupy();
    submit(repo("a", false));
    assertThat(queue.waiting()).as("a resync waits for the pool: the spare threads are kept for changes").isEqualTo(1);
    submit(repo("changed", true));
    await().until(() -> ran.contains("changed"));
    assertThat(ran).as("while the pool's one thread is still busy").containsExactly("changed");
    assertThat(queue.waiting()).isEqualTo(1);
    release.countDown();
    await().until(() -> ran.size() == 2);
    assertThat(ran).containsExactly("changed", "a");
  }

  @Test
  void aChangeToAResourceWhosePassIsQueuedRunsThatPassOnASpareThreadIfOneIsFree() throws Exception {
    occupy();
    submit(repo("a", false));
    submit(repo("last", false)); // its start-up pass, queued while it was in sync
    EcrRepository edited = repo("last", true);
    metrics.receivedEvent(new ResourceEvent(ResourceAction.UPDATED, ResourceID.fromResource(edited), edited), Map.of());
    await().until(() -> ran.contains("last"));
    assertThat(ran).containsExactly("last");
    assertThat(queue.waiting()).as("taken out of the queue, not run twice").isEqualTo(1);
    release.countDown();
    await().until(() -> ran.size() == 2);
    assertThat(ran).containsExactly("last", "a");
  }

  @Test
  void eventsThatNoPersonAskedForMoveNothing() throws Exception {
    occupy();
    submit(repo("a", false));
    submit(repo("b", false));
    EcrRepository inSync = repo("b", false);
    metrics.receivedEvent(new ResourceEvent(ResourceAction.UPDATED, ResourceID.fromResource(inSync), inSync), Map.of());
    EcrRepository requested = repo("other", false); // a request for a resource with no queued pass: nothing to move
    requested.getMetadata().setAnnotations(Map.of(Annotations.RECONCILE_REQUESTED_AT, "now"));
    metrics.receivedEvent(new ResourceEvent(ResourceAction.UPDATED, ResourceID.fromResource(requested), requested),
        Map.of());
    release.countDown();
    await().until(() -> ran.size() == 2);
    assertThat(ran).containsExactly("a", "b");
  }

  @Test
  void aReconcileRequestNotYetHandledIsAPersonsAsk() {
    EcrRepository r = repo("a", false);
    assertThat(ReconcileQueue.asked(r)).isFalse();
    r.getMetadata().setAnnotations(Map.of(Annotations.RECONCILE_REQUESTED_AT, "t1"));
    assertThat(ReconcileQueue.asked(r)).isTrue();
    r.getStatus().setLastHandledReconcileAt("t1");
    assertThat(ReconcileQueue.asked(r)).isFalse();
  }

  @Test
  void everyMetricsHookIsDelegatedNoneLeftToTheInterfacesDoNothingDefault() {
    for (java.lang.reflect.Method hook : Metrics.class.getMethods()) {
      if (java.lang.reflect.Modifier.isStatic(hook.getModifiers())) {
        continue;
      }
      assertThat(org.junit.platform.commons.util.ReflectionUtils.findMethod(metrics.getClass(), hook.getName(),
          hook.getParameterTypes())).as(hook.getName()).hasValueSatisfying(m ->
          assertThat(m.getDeclaringClass()).as(hook.getName()).isNotEqualTo(Metrics.class));
    }
  }

  @Test
  void anAwsAccountKeepsItsPlace() {
    io.ecsbridge.api.v1alpha1.AwsAccount account = new io.ecsbridge.api.v1alpha1.AwsAccount();
    account.setMetadata(new ObjectMetaBuilder().withName("team").withGeneration(1L)
        .withAnnotations(Map.of(Annotations.RECONCILE_REQUESTED_AT, "now")).build());
    assertThat(ReconcileQueue.asked(account)).as("its reconciler records no handled request: it would stay first")
        .isFalse();
  }

  @Test
  void everyHookStillReachesTheOperatorsMetrics() {
    List<String> expected = new ArrayList<>();
    EcrRepository r = repo("a", false);
    metrics.receivedEvent(new ResourceEvent(ResourceAction.ADDED, ResourceID.fromResource(r), r), Map.of());
    metrics.reconcileCustomResource(r, null, Map.of());
    queue.execute(() -> { });
    metrics.finishedReconciliation(r, Map.of());
    expected.add("receivedEvent");
    expected.add("reconcileCustomResource a");
    expected.add("finishedReconciliation");
    assertThat(calls).containsExactlyElementsOf(expected);
  }
}
