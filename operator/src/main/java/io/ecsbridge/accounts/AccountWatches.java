package io.ecsbridge.accounts;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.contract.AccountScopes;
import io.ecsbridge.contract.StartupAdds;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Accounts per namespace for every namespaced kind ({@link AccountScopes}): each kind's controller watches
 * AwsAccounts and Namespaces (cluster-wide, also when the operator watches only some namespaces: the chart's
 * cluster-scoped ClusterRole grants both), and {@link AccountResolver} decides from those caches.
 * <ul>
 *   <li>an AwsAccount that changes (spec or status, created, deleted) reconciles the kind's resources in the
 *       namespaces it selects now or listed in its status (served until this change), those that name it in
 *       spec.accountRef and those that live in its account;</li>
 *   <li>a Namespace whose labels change reconciles the kind's resources in it.</li>
 * </ul>
 */
public final class AccountWatches implements AccountScopes {
  static final String ACCOUNTS = "accounts";
  static final String NAMESPACES = "account-namespaces";

  private final AccountResolver resolver;
  private final Map<Class<?>, Caches> byKind = new ConcurrentHashMap<>();

  public AccountWatches(AccountResolver resolver) {
    this.resolver = resolver;
  }

  /** The informers of one kind's controller, read as the resolver's directory. */
  private record Caches(InformerEventSource<AwsAccount, ?> accountCache,
      InformerEventSource<Namespace, ?> namespaceCache) implements AccountResolver.Directory {
    @Override
    public List<AwsAccount> accounts() {
      return accountCache.list().toList();
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
      return namespaceCache.get(new ResourceID(namespace)).map(ns -> ns.getMetadata().getLabels())
          .filter(Objects::nonNull).orElse(Map.of());
    }
  }

  @Override
  public Resolution resolve(HasMetadata resource, AwsResourceSpec spec, AwsResourceStatus status) {
    Caches caches = byKind.get(resource.getClass());
    if (caches == null) {
      throw new IllegalStateException("no account watches for " + resource.getKind());
    }
    try {
      return resolver.resolve(caches, resource.getMetadata().getNamespace(), spec, status);
    } catch (AwsException e) {
      if (e.retryable()) {
        throw e; // the operator's own account id: asked again on JOSDK's retry
      }
      return Resolution.refused(Health.stalled(e.reason(), e.getMessage()));
    }
  }

  @Override
  public <R extends HasMetadata> List<EventSource<?, R>> eventSources(EventSourceContext<R> context) {
    IndexerResourceCache<R> primaries = context.getPrimaryCache();
    Class<R> kind = context.getPrimaryResourceClass();
    InformerEventSource<Namespace, R> namespaces = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Namespace.class, kind)
            .withName(NAMESPACES)
            .withWatchAllNamespaces()
            .withFollowControllerNamespacesChanges(false)
            .withSecondaryToPrimaryMapper(ns -> primaries.list(ns.getMetadata().getName())
                .map(ResourceID::fromResource).collect(Collectors.toSet()))
            .withOnAddFilter(StartupAdds.newerThanStart())
            .withOnUpdateFilter((newer, older) -> !Objects.equals(newer.getMetadata().getLabels(),
                older.getMetadata().getLabels()))
            .build(), context);
    InformerEventSource<AwsAccount, R> accounts = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(AwsAccount.class, kind)
            .withName(ACCOUNTS)
            .withWatchAllNamespaces()
            .withFollowControllerNamespacesChanges(false)
            .withSecondaryToPrimaryMapper(account -> served(primaries, account, namespaces))
            .withOnAddFilter(StartupAdds.newerThanStart())
            .build(), context);
    byKind.put(kind, new Caches(accounts, namespaces));
    return List.of(namespaces, accounts);
  }

  /** The resources an AwsAccount serves or served: by namespace (now or per its status), by accountRef, by account. */
  private static <R extends HasMetadata> Set<ResourceID> served(IndexerResourceCache<R> primaries, AwsAccount account,
      InformerEventSource<Namespace, R> namespaceCache) {
    Set<String> namespaces = new HashSet<>();
    if (account.getSpec() != null && account.getSpec().namespaceSelector != null) {
      namespaceCache.list(ns -> NamespaceSelection.matches(account.getSpec().namespaceSelector,
          ns.getMetadata().getLabels())).forEach(ns -> namespaces.add(ns.getMetadata().getName()));
    }
    String accountId = account.getStatus() == null ? null : account.getStatus().getAccountId();
    if (account.getStatus() != null && account.getStatus().namespaces != null) {
      namespaces.addAll(account.getStatus().namespaces);
    }
    String name = account.getMetadata().getName();
    return primaries.list().filter(p -> namespaces.contains(p.getMetadata().getNamespace())
            || p instanceof CustomResource<?, ?> cr && (cr.getSpec() instanceof AwsResourceSpec spec
                && name.equals(spec.accountName())
            || accountId != null && cr.getStatus() instanceof AwsResourceStatus status
                && accountId.equals(status.getAccountId())))
        .map(ResourceID::fromResource).collect(Collectors.toSet());
  }
}
