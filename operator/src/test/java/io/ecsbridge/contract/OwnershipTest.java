package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.contract.Ownership.Action;
import io.ecsbridge.contract.Ownership.Claimant;
import io.ecsbridge.contract.Ownership.Decision;
import io.ecsbridge.contract.Ownership.Owner;
import io.ecsbridge.contract.Ownership.OwnerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tenancy rules in one table: what a custom resource (instance "op", namespace "a", name "me") may do with an AWS
 * resource that exists, by its owner tag, the tag's namespace, the managementPolicy and the cross-namespace setting.
 */
class OwnershipTest {
  private static final Owner SELF = new Owner("op", "a", "me");

  /** The owner tag of each case (the custom resource it names lives in namespace a or b). */
  private static String tag(String owner, String namespace) {
    return switch (owner) {
      case "none" -> null;
      case "ours" -> "op/a/me";
      case "alive", "gone", "unknown" -> "op/" + namespace + "/" + owner;
      case "other-instance" -> "elsewhere/" + namespace + "/them";
      case "malformed" -> "someone";
      default -> throw new IllegalArgumentException(owner);
    };
  }

  /** The look-up answers by the name the tag gives; it records what it was asked. */
  private static Ownership.Lookup lookup(List<Owner> asked) {
    return owner -> {
      asked.add(owner);
      return switch (owner.name()) {
        case "alive" -> OwnerState.ALIVE;
        case "gone" -> OwnerState.GONE;
        default -> OwnerState.unknown("forbidden");
      };
    };
  }

  @ParameterizedTest(name = "owner {0} in namespace {1}, {2}, cross-namespace {3}: {4}")
  @CsvSource(delimiter = '|', textBlock = """
      # owner tag    | tag's namespace | policy      | cross-namespace | expected
      none           | -               | Managed     | any             | REFUSE AlreadyExists
      none           | -               | Adopt       | any             | ADOPT
      none           | -               | ObserveOnly | any             | OBSERVE
      malformed      | -               | Managed     | any             | REFUSE AlreadyExists
      malformed      | -               | Adopt       | any             | ADOPT
      ours           | a               | Managed     | any             | MANAGE
      ours           | a               | Adopt       | any             | MANAGE
      ours           | a               | ObserveOnly | any             | OBSERVE
      alive          | a               | Managed     | any             | REFUSE OwnedByAnother
      alive          | a               | Adopt       | any             | REFUSE OwnedByAnother
      alive          | a               | ObserveOnly | any             | OBSERVE
      alive          | b               | Managed     | any             | REFUSE OwnedByAnother
      alive          | b               | Adopt       | any             | REFUSE OwnedByAnother
      alive          | b               | ObserveOnly | off             | REFUSE OwnedByAnotherNamespace
      alive          | b               | ObserveOnly | on              | OBSERVE
      unknown        | a               | Managed     | any             | REFUSE OwnedByAnother
      unknown        | a               | Adopt       | any             | REFUSE OwnedByAnother
      unknown        | a               | ObserveOnly | any             | OBSERVE
      unknown        | b               | Managed     | any             | REFUSE OwnedByAnother
      unknown        | b               | Adopt       | any             | REFUSE OwnedByAnother
      unknown        | b               | ObserveOnly | off             | REFUSE OwnedByAnotherNamespace
      unknown        | b               | ObserveOnly | on              | OBSERVE
      gone           | a               | Managed     | any             | REFUSE AlreadyExists
      gone           | a               | Adopt       | any             | ADOPT
      gone           | a               | ObserveOnly | any             | OBSERVE
      gone           | b               | Managed     | off             | REFUSE OwnedByAnotherNamespace
      gone           | b               | Managed     | on              | REFUSE AlreadyExists
      gone           | b               | Adopt       | off             | REFUSE OwnedByAnotherNamespace
      gone           | b               | Adopt       | on              | ADOPT
      gone           | b               | ObserveOnly | off             | REFUSE OwnedByAnotherNamespace
      gone           | b               | ObserveOnly | on              | OBSERVE
      other-instance | a               | Managed     | any             | REFUSE AlreadyExists
      other-instance | a               | Adopt       | any             | ADOPT
      other-instance | a               | ObserveOnly | any             | OBSERVE
      other-instance | b               | Managed     | off             | REFUSE OwnedByAnotherNamespace
      other-instance | b               | Managed     | on              | REFUSE AlreadyExists
      other-instance | b               | Adopt       | off             | REFUSE OwnedByAnotherNamespace
      other-instance | b               | Adopt       | on              | ADOPT
      other-instance | b               | ObserveOnly | off             | REFUSE OwnedByAnotherNamespace
      other-instance | b               | ObserveOnly | on              | OBSERVE
      """)
  void theMatrix(String owner, String namespace, ManagementPolicy policy, String crossNamespace, String expected) {
    for (boolean allow : crossNamespace.equals("any") ? List.of(false, true) : List.of(crossNamespace.equals("on"))) {
      List<Owner> asked = new ArrayList<>();
      String tag = tag(owner, namespace);
      Decision d = Ownership.decide(new Claimant("EcrRepository", "ECR repository shop/web", SELF, policy), tag, allow,
          lookup(asked));
      assertThat(d.action() + (d.refused() ? " " + d.reason() : "")).as("cross-namespace " + allow)
          .isEqualTo(expected);

      // the look-up is made only to judge a write over another custom resource's tag of this instance
      boolean looksUp = List.of("alive", "gone", "unknown").contains(owner) && policy != ManagementPolicy.ObserveOnly;
      assertThat(asked).as("owners looked up").hasSize(looksUp ? 1 : 0);
      if (!d.refused()) {
        continue;
      }
      assertThat(d.health().reason()).isEqualTo(d.reason());
      assertThat(d.message()).startsWith("ECR repository shop/web");
      if (tag != null) {
        assertThat(d.message()).as("names the owner").contains(tag);
      }
      if (tag != null && !owner.equals("malformed")) {
        assertThat(d.message()).as("names the owner").contains("EcrRepository " + namespace + "/");
      }
      if (owner.equals("other-instance")) {
        assertThat(d.message()).contains("operator instance elsewhere");
      }
      if (looksUp && owner.equals("unknown")) {
        assertThat(d.message()).contains("could not be checked (forbidden)", "treated as existing");
      }
      assertThat(d.message().contains("managementPolicy: Adopt")).as("suggests Adopt only where Adopt would work")
          .isEqualTo(d.reason().equals("AlreadyExists"));
      assertThat(d.message().contains(Ownership.SETTING)).as("names the setting where it would help")
          .isEqualTo(d.reason().equals("OwnedByAnotherNamespace"));
    }
  }

  @Test
  void anAdoptionSaysWhoseItWas() {
    Decision orphan = Ownership.decide(new Claimant("EcsCluster", "ECS cluster x", SELF, ManagementPolicy.Adopt),
        "op/a/old", false, owner -> OwnerState.GONE);
    assertThat(orphan.message()).isEqualTo("Adopted existing ECS cluster x (it was owned by EcsCluster a/old, which "
        + "no longer exists)");
    Decision outside = Ownership.decide(new Claimant("EcsCluster", "ECS cluster x", SELF, ManagementPolicy.Adopt),
        null, false, owner -> OwnerState.ALIVE);
    assertThat(outside.message()).isEqualTo("Adopted existing ECS cluster x");
  }

  @ParameterizedTest(name = "raw name reaching a resource tagged {0}, cross-namespace {1}: allowed {2}")
  @CsvSource(delimiter = '|', textBlock = """
      # owner tag       | cross-namespace | allowed
      -                 | off             | true
      someone           | off             | true
      op/a/x            | off             | true
      elsewhere/a/x     | off             | true
      op/b/x            | off             | false
      elsewhere/b/x     | off             | false
      op/b/x            | on              | true
      elsewhere/b/x     | on              | true
      """)
  void rawNames(String tag, String crossNamespace, boolean allowed) {
    String liveTag = tag.equals("-") ? null : tag;
    Optional<Decision> refusal = Ownership.rawUse("ECS cluster x", "EcsCluster", liveTag, "a",
        crossNamespace.equals("on"));
    assertThat(refusal.isEmpty()).isEqualTo(allowed);
    refusal.ifPresent(d -> {
      assertThat(d.reason()).isEqualTo("OwnedByAnotherNamespace");
      assertThat(d.message()).startsWith("ECS cluster x is managed by EcsCluster b/x (ecsbridge.io/owner=" + tag + ")")
          .contains(Ownership.SETTING);
    });
  }

  @Test
  void ownerTagsParseOnlyAsInstanceNamespaceName() {
    assertThat(Owner.parse("op/ns/name")).contains(new Owner("op", "ns", "name"));
    assertThat(Owner.parse("op/ns")).isEmpty();
    assertThat(Owner.parse("op/ns/name/extra")).isEmpty();
    assertThat(Owner.parse("op//name")).isEmpty();
    assertThat(Owner.parse(null)).isEmpty();
    assertThat(new Owner("op", "ns", "name")).hasToString("op/ns/name");
  }
}
