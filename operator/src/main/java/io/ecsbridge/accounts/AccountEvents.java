package io.ecsbridge.accounts;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.contract.StartupAdds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnAddFilter;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One controller's view of the shared {@link AccountDirectory}: an event source that maps the shared informers'
 * AwsAccount and Namespace events to this controller's resources, with the filters the per-controller informers had:
 * an add only for an object newer than the operator's start ({@link StartupAdds}), a Namespace update only when its
 * labels changed, an AwsAccount update only when it changed what the resources read ({@link AccountUpdate}). Each
 * resource a person's change asks a pass for is first marked in {@link AccountChanges} (when given), so that the pass
 * runs in the USER lane; the account controller's status writes are followed in each resource's own lane. Starting it
 * waits for the directory's sync, so the controller's first reconcile reads a full directory (JOSDK starts reconciling
 * once every event source of the controller has started); its health is the shared informers'.
 */
final class AccountEvents<P extends HasMetadata> extends AbstractEventSource<Void, P>
    implements AccountDirectory.Listener {
  private static final OnAddFilter<HasMetadata> NEW = StartupAdds.newerThanStart();

  private final AccountDirectory directory;
  private final KubernetesClient client;
  private final ConfigurationService configuration;
  private final Function<AwsAccount, Stream<P>> byAccount;
  private final Function<Namespace, Stream<P>> byNamespace;
  private final AccountChanges changes;

  /**
   * @param byAccount the resources an AwsAccount's change reconciles; null: none
   * @param byNamespace the resources a Namespace's change reconciles
   * @param changes where the resources a change reconciles are marked; null: not marked
   */
  AccountEvents(String name, EventSourceContext<P> context, AccountDirectory directory,
      Function<AwsAccount, Stream<P>> byAccount, Function<Namespace, Stream<P>> byNamespace, AccountChanges changes) {
    super(Void.class, name);
    this.directory = directory;
    this.client = context.getClient();
    this.configuration = context.getControllerConfiguration().getConfigurationService();
    this.byAccount = byAccount;
    this.byNamespace = byNamespace;
    this.changes = changes;
  }

  @Override
  public void start() {
    directory.start(client, configuration, this);
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    directory.stop(this);
  }

  @Override
  public Status getStatus() {
    return directory.healthy() ? Status.HEALTHY : Status.UNHEALTHY;
  }

  @Override
  public Set<Void> getSecondaryResources(P primary) {
    return Set.of();
  }

  @Override
  public void account(AwsAccount older, AwsAccount newer) {
    if (byAccount == null || older == null && newer != null && !NEW.accept(newer)) {
      return;
    }
    AccountUpdate update = AccountUpdate.of(older, newer);
    if (update != AccountUpdate.NONE) {
      reconcile(byAccount.apply(newer != null ? newer : older), update == AccountUpdate.CHANGE);
    }
  }

  @Override
  public void namespace(Namespace older, Namespace newer) {
    if (older == null && newer != null && !NEW.accept(newer)) {
      return;
    }
    if (older != null && newer != null
        && Objects.equals(older.getMetadata().getLabels(), newer.getMetadata().getLabels())) {
      return;
    }
    reconcile(byNamespace.apply(newer != null ? newer : older), true);
  }

  private void reconcile(Stream<P> resources, boolean changedInput) {
    EventHandler handler = getEventHandler();
    if (handler == null) {
      return;
    }
    resources.forEach(p -> {
      if (changes != null && changedInput) {
        changes.mark(p.getMetadata().getUid());
      }
      handler.handleEvent(new Event(ResourceID.fromResource(p)));
    });
  }
}
