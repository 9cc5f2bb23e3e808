package io.ecsbridge.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamespaceSelectionTest {
  @Test
  void matchLabelsAndExpressionsAllHold() {
    LabelSelector selector = new LabelSelectorBuilder().addToMatchLabels("team", "a")
        .addNewMatchExpression().withKey("env").withOperator("In").withValues("prod", "stage").endMatchExpression()
        .addNewMatchExpression().withKey("frozen").withOperator("DoesNotExist").endMatchExpression()
        .build();
    assertThat(NamespaceSelection.matches(selector, Map.of("team", "a", "env", "prod"))).isTrue();
    assertThat(NamespaceSelection.matches(selector, Map.of("team", "a", "env", "dev"))).isFalse();
    assertThat(NamespaceSelection.matches(selector, Map.of("team", "b", "env", "prod"))).isFalse();
    assertThat(NamespaceSelection.matches(selector, Map.of("team", "a", "env", "prod", "frozen", ""))).isFalse();
    assertThat(NamespaceSelection.matches(selector, null)).isFalse();
  }

  @Test
  void notInAndExists() {
    LabelSelector selector = new LabelSelectorBuilder()
        .addNewMatchExpression().withKey("env").withOperator("NotIn").withValues("prod").endMatchExpression()
        .addNewMatchExpression().withKey("team").withOperator("Exists").endMatchExpression()
        .build();
    assertThat(NamespaceSelection.matches(selector, Map.of("team", "x"))).isTrue();
    assertThat(NamespaceSelection.matches(selector, Map.of("team", "x", "env", "prod"))).isFalse();
    assertThat(NamespaceSelection.matches(selector, Map.of("env", "dev"))).isFalse();
    assertThat(NamespaceSelection.matches(new LabelSelector(), Map.of())).as("empty selector: every namespace")
        .isTrue();
  }
}
