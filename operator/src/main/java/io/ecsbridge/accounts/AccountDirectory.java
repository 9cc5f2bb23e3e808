package io.ecsbridge.accounts;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.cache.LeanItemStore;
import io.ecsbridge.contract.StartupAdds;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one AwsAccount informer and one Namespace informer (cluster-wide, fabric8 {@link SharedIndexInformer}s
 * with the lean item store), read by {@link AccountResolver} as its directory and followed by every controller through
 * its own {@link AccountEvents}. Started by the first controller's event source that starts, and waited for by every
 * one (so no controller reconciles before the directory has synced); stopped when the last one stops.
 */
final class AccountDirectory implements AccountResolver.Directory {
  private static final Logger log = LoggerFactory.getLogger(AccountDirectory.class);

  /** What a controller's event source is told: each informer's events, in the informer's order. */
  interface Listener {
    void account(AwsAccount older, AwsAccount newer);

    void namespace(Namespace older, Namespace newer);
  }

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  /** The informers of the current start, or of the last one once stopped (their caches still read). */
  private Informers informers; // guarded by this
  private int users; // guarded by this: the listeners of the current start

  /** The two informers of one start, and their sync. */
  private record Informers(SharedIndexInformer<AwsAccount> accounts, SharedIndexInformer<Namespace> namespaces,
      CompletableFuture<Void> synced) {
    boolean healthy() {
      return Stream.of(accounts, namespaces).allMatch(i -> i.isRunning() && i.hasSynced() && i.isWatching());
    }

    void stop() {
      accounts.stop();
      namespaces.stop();
    }
  }

  /**
   * Starts the informers if no controller has yet (with this client), registers the listener and waits until both have
   * listed (JOSDK's cache sync timeout); throws OperatorException when they do not.
   */
  void start(KubernetesClient client, ConfigurationService configuration, Listener listener) {
    CompletableFuture<Void> synced;
    synchronized (this) {
      if (users++ == 0) {
        informers = newInformers(client, configuration);
      }
      listeners.add(listener);
      synced = informers.synced();
    }
    try {
      synced.get(configuration.cacheSyncTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorException("interrupted while the AwsAccount and Namespace informers list", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new OperatorException("the AwsAccount and Namespace informers did not list within "
          + configuration.cacheSyncTimeout() + ": " + (e.getCause() != null ? e.getCause() : e), e);
    }
  }

  /** The listener leaves; the last one stops the informers (a later start makes new ones). */
  synchronized void stop(Listener listener) {
    if (!listeners.remove(listener)) {
      return;
    }
    if (--users == 0) {
      informers.stop(); // kept: a pass still running while the operator stops reads the last caches
    }
  }

  /** Both informers run, have listed and watch. */
  synchronized boolean healthy() {
    return users > 0 && informers.healthy();
  }

  private Informers newInformers(KubernetesClient client, ConfigurationService configuration) {
    // AccountEvents drops the adds of what existed at start: consistent first lists (StartupAdds)
    SharedIndexInformer<AwsAccount> accounts = StartupAdds.informable(client.resources(AwsAccount.class))
        .runnableInformer(0);
    SharedIndexInformer<Namespace> namespaces = StartupAdds.informable(client.namespaces()).runnableInformer(0);
    accounts.itemStore(new TransformingItemStore<>(LeanItemStore::trim));
    namespaces.itemStore(new TransformingItemStore<>(LeanItemStore::trim));
    accounts.addEventHandler(handler((older, newer) -> listeners.forEach(l -> l.account(older, newer))));
    namespaces.addEventHandler(handler((older, newer) -> listeners.forEach(l -> l.namespace(older, newer))));
    for (SharedIndexInformer<?> informer : List.of(accounts, namespaces)) {
      // as JOSDK does for its own informers: an informer that fails after it synced stops the operator
      configuration.getInformerStoppedHandler().ifPresent(h -> informer.stopped().handle((ok, e) -> {
        h.onStop(informer, e);
        return null;
      }));
    }
    log.debug("starting the shared AwsAccount and Namespace informers");
    CompletableFuture<Void> synced = CompletableFuture.allOf(accounts.start().toCompletableFuture(),
        namespaces.start().toCompletableFuture());
    return new Informers(accounts, namespaces, synced);
  }

  /** One handler per informer: (null, added), (older, newer), (deleted, null). */
  private static <T> ResourceEventHandler<T> handler(BiConsumer<T, T> each) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T added) {
        each.accept(null, added);
      }

      @Override
      public void onUpdate(T older, T newer) {
        each.accept(older, newer);
      }

      @Override
      public void onDelete(T deleted, boolean finalStateUnknown) {
        each.accept(deleted, null);
      }
    };
  }

  private synchronized Informers current() {
    if (informers == null) {
      throw new IllegalStateException("the AwsAccount and Namespace informers have not started");
    }
    return informers;
  }

  @Override
  public List<AwsAccount> accounts() {
    return current().accounts().getStore().list();
  }

  @Override
  public boolean knows(String namespace) {
    return current().namespaces().getStore().getByKey(namespace) != null;
  }

  @Override
  public Map<String, String> namespaceLabels(String namespace) {
    Namespace ns = current().namespaces().getStore().getByKey(namespace);
    return ns == null ? Map.of() : Objects.requireNonNullElse(ns.getMetadata().getLabels(), Map.of());
  }

  /** The namespaces that match, as cached. */
  Stream<Namespace> namespaces(Predicate<Namespace> which) {
    return current().namespaces().getStore().list().stream().filter(which);
  }
}
