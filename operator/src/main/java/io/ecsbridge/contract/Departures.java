package io.ecsbridge.contract;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Tells the frame when a resource leaves the controller's cache (JOSDK's DELETED, which every event source of the
 * controller hears before any filter): deleted, moved to another shard by a label change, or no longer in a watched
 * namespace. JOSDK forgets a resource that moved away without a reconcile (DESIGN.md, "Handover"), so what the frame
 * and the kind kept per resource would stay for the life of the process; a deleted one was forgotten already when
 * its finalizer went, and forgetting it again is harmless. Raises no event and asks for no pass.
 */
final class Departures<R extends HasMetadata> extends AbstractEventSource<Void, R>
    implements ResourceEventAware<R> {
  static final String NAME = "departures";
  private final Consumer<R> departed;

  Departures(Consumer<R> departed) {
    super(Void.class, NAME);
    this.departed = departed;
  }

  @Override
  public void onResourceDeleted(R resource) {
    departed.accept(resource);
  }

  @Override
  public Set<Void> getSecondaryResources(R primary) {
    return Set.of();
  }
}
