package io.ecsbridge.accounts;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The namespaces an AwsAccount's selector matches, from the process's one Namespace informer ({@link AccountDirectory},
 * shared with the namespaced kinds' account watches): a namespace that appears, goes or changes its labels reconciles
 * every AwsAccount (few of them), which lists its namespaces again.
 */
final class NamespaceSelection {
  private final AccountDirectory directory;

  NamespaceSelection(AccountDirectory directory) {
    this.directory = directory;
  }

  /** The AwsAccount controller's event source on the shared Namespace informer. */
  AccountEvents<AwsAccount> eventSource(EventSourceContext<AwsAccount> context) {
    return new AccountEvents<>("awsaccount-namespaces", context, directory, null, ns -> context.getPrimaryCache().list(),
        null);
  }

  /** The names of the namespaces the selector matches now, sorted; none for no selector. */
  List<String> matching(LabelSelector selector) {
    if (selector == null) {
      return List.of();
    }
    return directory.namespaces(ns -> matches(selector, ns.getMetadata().getLabels()))
        .map(ns -> ns.getMetadata().getName()).sorted().toList();
  }

  /** Kubernetes' label selector semantics: every matchLabels entry and every matchExpressions requirement holds. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> have = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null && !selector.getMatchLabels().entrySet().stream()
        .allMatch(e -> e.getValue().equals(have.get(e.getKey())))) {
      return false;
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        Set<String> values = r.getValues() == null ? Set.of() : Set.copyOf(r.getValues());
        boolean holds = switch (r.getOperator()) {
          case "In" -> have.containsKey(r.getKey()) && values.contains(have.get(r.getKey()));
          case "NotIn" -> !have.containsKey(r.getKey()) || !values.contains(have.get(r.getKey()));
          case "Exists" -> have.containsKey(r.getKey());
          case "DoesNotExist" -> !have.containsKey(r.getKey());
          default -> false;
        };
        if (!holds) {
          return false;
        }
      }
    }
    return true;
  }
}
