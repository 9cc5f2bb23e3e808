package io.ecsbridge.accounts;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.contract.AccountScopes;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Accounts per namespace for every namespaced kind ({@link AccountScopes}), from one AwsAccount informer and one
 * Namespace informer for the whole process ({@link AccountDirectory}: cluster-wide, also when the operator watches only
 * some namespaces: the chart's cluster-scoped ClusterRole grants both), which {@link AccountResolver} reads. Each kind's
 * controller follows them through an event source of its own ({@link AccountEvents}):
 * <ul>
 *   <li>an AwsAccount that changes what a resource's pass reads ({@link AccountUpdate}: created, deleted, its spec,
 *       its account id, its Ready or Stalled condition) reconciles the kind's resources in the namespaces it selects
 *       now or listed in its status (served until this change), those that name it in spec.accountRef and those
 *       that live in its account;</li>
 *   <li>a Namespace whose labels change reconciles the kind's resources in it.</li>
 * </ul>
 * A person's change (a Namespace's labels, an AwsAccount's spec, creation or deletion) runs those passes in the USER
 * lane: the resources are marked ({@link AccountChanges}) and the frame takes the mark ({@link #takeChanged}).
 */
public final class AccountWatches implements AccountScopes {
  static final String ACCOUNTS = "accounts";

  private final AccountResolver resolver;
  private final AccountDirectory directory = new AccountDirectory();
  private final AccountChanges changes = new AccountChanges(AccountChanges.CAPACITY);

  public AccountWatches(AccountResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public Resolution resolve(HasMetadata resource, AwsResourceSpec spec, AwsResourceStatus status) {
    try {
      return resolver.resolve(directory, resource.getMetadata().getNamespace(), spec, status);
    } catch (AwsException e) {
      if (e.retryable()) {
        throw e; // the operator's own account id: asked again on JOSDK's retry
      }
      return Resolution.refused(Health.stalled(e.reason(), e.getMessage()));
    }
  }

  @Override
  public boolean takeChanged(HasMetadata resource) {
    return changes.take(resource.getMetadata().getUid());
  }

  @Override
  public <R extends HasMetadata> List<EventSource<?, R>> eventSources(EventSourceContext<R> context) {
    IndexerResourceCache<R> primaries = context.getPrimaryCache();
    return List.of(new AccountEvents<>(ACCOUNTS, context, directory, account -> served(primaries, account),
        ns -> primaries.list(ns.getMetadata().getName()), changes));
  }

  /** The namespaces AwsAccounts select, for the AwsAccount reconciler: from the same Namespace informer. */
  NamespaceSelection namespaceSelection() {
    return new NamespaceSelection(directory);
  }

  /** The resources an AwsAccount serves or served: by namespace (now or per its status), by accountRef, by account. */
  private <R extends HasMetadata> Stream<R> served(IndexerResourceCache<R> primaries, AwsAccount account) {
    Set<String> namespaces = new HashSet<>();
    if (account.getSpec() != null && account.getSpec().namespaceSelector != null) {
      directory.namespaces(ns -> NamespaceSelection.matches(account.getSpec().namespaceSelector,
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
                && accountId.equals(status.getAccountId())));
  }
}
