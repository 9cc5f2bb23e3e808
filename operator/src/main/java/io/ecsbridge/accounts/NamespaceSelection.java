package io.ecsbridge.accounts;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The namespaces an AwsAccount's selector matches, from an informer on Namespaces: a namespace that appears, goes or
 * changes its labels reconciles every AwsAccount (few of them), which lists its namespaces again.
 */
final class NamespaceSelection {
  private volatile InformerEventSource<Namespace, AwsAccount> informer;

  InformerEventSource<Namespace, AwsAccount> eventSource(EventSourceContext<AwsAccount> context) {
    informer = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Namespace.class, AwsAccount.class)
            .withName("awsaccount-namespaces")
            .withSecondaryToPrimaryMapper(ns -> context.getPrimaryCache().list().map(ResourceID::fromResource)
                .collect(Collectors.toSet()))
            .withOnUpdateFilter((newer, older) -> !Objects.equals(newer.getMetadata().getLabels(),
                older.getMetadata().getLabels()))
            .build(), context);
    return informer;
  }

  /** The names of the namespaces the selector matches now, sorted; none for no selector. */
  List<String> matching(LabelSelector selector) {
    if (selector == null || informer == null) {
      return List.of();
    }
    return informer.list(ns -> matches(selector, ns.getMetadata().getLabels()))
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
