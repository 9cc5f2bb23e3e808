package io.ecsbridge.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.contract.StartupAdds;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The shared directory's life: made once for every controller that starts on it, started once, waited for (a
 * controller's start returns only once both informers have listed), its events handed to every listener, stopped with
 * the last listener. The informers are fabric8's, stubbed: this is about when they are made, started and waited for.
 */
class AccountDirectoryTest {
  @SuppressWarnings("unchecked")
  private final SharedIndexInformer<AwsAccount> accounts = mock(SharedIndexInformer.class);
  @SuppressWarnings("unchecked")
  private final SharedIndexInformer<Namespace> namespaces = mock(SharedIndexInformer.class);
  private final CompletableFuture<Void> accountsListed = new CompletableFuture<>();
  private final CompletableFuture<Void> namespacesListed = new CompletableFuture<>();
  private final KubernetesClient client = mock(KubernetesClient.class, RETURNS_DEEP_STUBS);
  private final ConfigurationService configuration = mock(ConfigurationService.class);
  private final AccountDirectory directory = new AccountDirectory();

  /** A listener that notes what it was told. */
  private static final class Noted implements AccountDirectory.Listener {
    final List<String> told = new ArrayList<>();

    @Override
    public void account(AwsAccount older, AwsAccount newer) {
      told.add("account " + (older == null ? "added" : newer == null ? "deleted" : "updated"));
    }

    @Override
    public void namespace(Namespace older, Namespace newer) {
      told.add("namespace " + (older == null ? "added" : newer == null ? "deleted" : "updated"));
    }
  }

  AccountDirectoryTest() {
    // consistent first lists, in pages (StartupAdds): AccountEvents drops the adds of what existed at start
    when(client.resources(AwsAccount.class).withLimit(StartupAdds.LIST_LIMIT).runnableInformer(0)).thenReturn(accounts);
    when(client.namespaces().withLimit(StartupAdds.LIST_LIMIT).runnableInformer(0)).thenReturn(namespaces);
    when(accounts.start()).thenReturn(accountsListed);
    when(namespaces.start()).thenReturn(namespacesListed);
    when(accounts.stopped()).thenReturn(new CompletableFuture<>());
    when(namespaces.stopped()).thenReturn(new CompletableFuture<>());
    when(configuration.cacheSyncTimeout()).thenReturn(Duration.ofMillis(300));
    when(configuration.getInformerStoppedHandler()).thenReturn(Optional.empty());
  }

  @Test
  void aControllersStartWaitsUntilBothInformersHaveListed() {
    accountsListed.complete(null); // the Namespaces have not listed yet
    assertThatThrownBy(() -> directory.start(client, configuration, new Noted()))
        .isInstanceOf(OperatorException.class).hasMessageContaining("did not list within");

    namespacesListed.complete(null);
    directory.start(client, configuration, new Noted()); // returns: both listed
  }

  @Test
  @SuppressWarnings("unchecked")
  void oneInformerOfEachForEveryControllerEachToldEveryEventStoppedWithTheLast() {
    accountsListed.complete(null);
    namespacesListed.complete(null);
    Noted first = new Noted();
    Noted second = new Noted();
    directory.start(client, configuration, first);
    directory.start(client, configuration, second);
    verify(accounts, times(1)).start();
    verify(namespaces, times(1)).start();

    ArgumentCaptor<ResourceEventHandler<Namespace>> onNamespace = ArgumentCaptor.forClass(ResourceEventHandler.class);
    verify(namespaces).addEventHandler(onNamespace.capture());
    ArgumentCaptor<ResourceEventHandler<AwsAccount>> onAccount = ArgumentCaptor.forClass(ResourceEventHandler.class);
    verify(accounts).addEventHandler(onAccount.capture());
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build();
    onNamespace.getValue().onUpdate(ns, ns);
    onAccount.getValue().onDelete(new AwsAccount(), false);
    assertThat(first.told).containsExactly("namespace updated", "account deleted");
    assertThat(second.told).isEqualTo(first.told);

    directory.stop(first);
    verify(accounts, times(0)).stop();
    onAccount.getValue().onAdd(new AwsAccount());
    assertThat(first.told).as("stopped: told nothing more").hasSize(2);
    assertThat(second.told).hasSize(3);
    directory.stop(second);
    verify(accounts).stop();
    verify(namespaces).stop();
    verify(accounts, times(1)).itemStore(any());
  }
}
