package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every kind keeps, black-box: custom resources written as a user writes them (YAML) on the real API
 * server, AWS in moto read back with the SDK, nothing of the operator's internals but its AWS call meter. For each kind
 * ({@link KindFixture}), every cell of the policy matrix: {@code managementPolicy} Managed / Adopt / ObserveOnly x
 * {@code deletionPolicy} Delete / Retain x the AWS resource as the custom resource finds it ({@link Found}: absent,
 * this resource's own, another live custom resource's in this namespace or another, one whose owner no longer exists
 * in this namespace or another, made outside ecs-bridge). Each cell asserts the documented outcome (README "Custom
 * resources" and "Ownership and tenancy", API.md principles 5 to 7 and 13): the condition and its message, the
 * Events, what status shows of the AWS resource, zero AWS writes where nothing may be written, AWS's state, and what
 * deleting the custom resource does (Delete removes exactly what this resource owns; Retain, ObserveOnly and a refused
 * resource leave AWS alone, without a write).
 *
 * <p>One test per kind, its cells side by side in one namespace (each cell its own AWS name): first the cells that
 * may not write (their writes must add up to zero), then those that manage, then the deletions that may not write,
 * then those that delete.
 *
 * <p>Kinds owned by the identity recorded in status ({@link KindFixture#IDENTITY_KINDS}: pull through cache rules,
 * repository creation templates) run the same cells but those that need an owner held in AWS (ours, orphans): their
 * AWS resources take no tags, so the owner is the custom resource whose status.ownedIdentity names the resource, and
 * after a deletion that leaves the resource, only its existence is compared.
 */
class KindContractIT extends OperatorIT {

  private static final String API_VERSION = "ecsbridge.io/v1alpha1";
  private static final String OWNER_TAG = KindFixture.OWNER_TAG;

  /** The second tenant: the owners of the AWS resources of the "another namespace" cells live there. */
  private String otherNamespace;

  @Override
  protected void startOperator(Consumer<Map<String, String>> tweak) throws Exception {
    if (otherNamespace == null) {
      otherNamespace = newNamespace();
    }
    super.startOperator(s -> {
      s.put("ECSBRIDGE_WATCH_NAMESPACES", namespace + "," + otherNamespace);
      tweak.accept(s);
    });
  }

  static Stream<String> kinds() {
    return Stream.concat(KindFixture.KINDS.stream(), KindFixture.IDENTITY_KINDS.stream());
  }

  enum Policy { Managed, Adopt, ObserveOnly }

  enum Deletion { Delete, Retain }

  /** The AWS resource as the custom resource finds it when it is created. */
  enum Found {
    ABSENT("absent"),
    /** Tagged with this custom resource's own identity (for example: it was deleted with Retain and re-created). */
    OURS("ours"),
    /** Made by another custom resource of the same kind that exists, in this namespace. */
    ANOTHERS("another"),
    /** Made by a custom resource of the same kind and name that exists in the other namespace. */
    ANOTHER_NAMESPACES("another-ns"),
    /** Tagged by a custom resource of this namespace that no longer exists. */
    ORPHAN("orphan"),
    /** Tagged by a custom resource of the other namespace that no longer exists. */
    ANOTHER_NAMESPACES_ORPHAN("orphan-ns"),
    /** Made outside ecs-bridge: no owner tag. */
    FOREIGN("foreign");

    final String slug;

    Found(String slug) {
      this.slug = slug;
    }
  }

  /**
   * The documented outcome of each {@link Found} under Managed, Adopt and ObserveOnly (README "Ownership and
   * tenancy"): Created, Ours (managed, no Created or Adopted Event), Adopted or Observed are Ready; anything else is
   * the Stalled reason. What the fixture makes outside the operator (ours, orphans, foreign) differs from the spec, so
   * observing it is OutOfSync; another's was made by its owner from the same spec, so observing it is Ready. A live
   * owner in the other namespace is OwnedByAnother under Managed and Adopt (API.md principle 13: what another live
   * custom resource owns is never taken, whatever the policy, and the refusal names it).
   */
  private static final Map<Found, List<String>> OUTCOMES = new LinkedHashMap<>();

  static {
    OUTCOMES.put(Found.ABSENT, List.of("Created", "Created", "NotFound"));
    OUTCOMES.put(Found.OURS, List.of("Ours", "Ours", "OutOfSync"));
    OUTCOMES.put(Found.ANOTHERS, List.of("OwnedByAnother", "OwnedByAnother", "Observed"));
    OUTCOMES.put(Found.ANOTHER_NAMESPACES, List.of("OwnedByAnother", "OwnedByAnother", "OwnedByAnotherNamespace"));
    OUTCOMES.put(Found.ORPHAN, List.of("AlreadyExists", "Adopted", "OutOfSync"));
    OUTCOMES.put(Found.ANOTHER_NAMESPACES_ORPHAN,
        List.of("OwnedByAnotherNamespace", "OwnedByAnotherNamespace", "OwnedByAnotherNamespace"));
    OUTCOMES.put(Found.FOREIGN, List.of("AlreadyExists", "Adopted", "OutOfSync"));
  }

  private static final List<String> READY = List.of("Created", "Ours", "Adopted", "Observed");

  /** One cell: its custom resource and its AWS resource are both named {@link #name()}. */
  record Cell(Policy policy, Deletion deletion, Found found) {
    String name() {
      return (policy + "-" + deletion + "-" + found.slug).toLowerCase();
    }

    String label() {
      return policy + "/" + deletion + "/" + found.slug;
    }

    String outcome() {
      return OUTCOMES.get(found).get(policy.ordinal());
    }

    boolean ready() {
      return READY.contains(outcome());
    }

    /** Writes to AWS and owns the AWS resource afterwards. */
    boolean manages() {
      return ready() && policy != Policy.ObserveOnly;
    }

    /** The verdict {@link #verdict} must show. */
    String expectedVerdict() {
      return ready() ? "Ready" : "Stalled " + outcome();
    }
  }

  /**
   * Every cell; for a kind owned by the identity recorded in status, without those that need an owner held in AWS
   * (ours, orphans): nothing in AWS says who made such a resource, so each of them is foreign ({@link Found#FOREIGN}).
   */
  private static List<Cell> allCells(KindFixture kind) {
    List<Cell> cells = new ArrayList<>();
    for (Policy p : Policy.values()) {
      for (Deletion d : Deletion.values()) {
        for (Found f : Found.values()) {
          if (!kind.ownedByIdentity() || !EnumSet.of(Found.OURS, Found.ORPHAN, Found.ANOTHER_NAMESPACES_ORPHAN)
              .contains(f)) {
            cells.add(new Cell(p, d, f));
          }
        }
      }
    }
    return cells;
  }

  private String identity(String ns, String name) {
    return OWNER_INSTANCE + "/" + ns + "/" + name;
  }

  /** The custom resource that owns (or owned) the cell's AWS resource, as namespace/name; null when none. */
  private String ownerOf(Cell cell) {
    return switch (cell.found()) {
      case ABSENT, FOREIGN -> null;
      case OURS -> namespace + "/" + cell.name();
      case ANOTHERS -> namespace + "/o-" + cell.name();
      case ANOTHER_NAMESPACES, ANOTHER_NAMESPACES_ORPHAN -> otherNamespace + "/" + cell.name();
      case ORPHAN -> namespace + "/gone-" + cell.name();
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyCellOfThePolicyMatrix(String kindName) {
    long t0 = System.nanoTime();
    KindFixture kind = KindFixture.of(kindName, aws);
    List<Cell> cells = allCells(kind);
    kind.prepare();

    // AWS as each cell finds it: made outside the operator, or by live owners through the operator
    List<GenericKubernetesResource> owners = new ArrayList<>();
    for (Cell cell : cells) {
      switch (cell.found()) {
        case OURS, ORPHAN, ANOTHER_NAMESPACES_ORPHAN ->
            kind.createInAws(cell.name(), OWNER_INSTANCE + "/" + ownerOf(cell));
        case FOREIGN -> kind.createInAws(cell.name(), null);
        case ANOTHERS -> owners.add(createCr(kind, namespace, "o-" + cell.name(), cell.name(), "Managed", "Delete"));
        case ANOTHER_NAMESPACES -> owners.add(createCr(kind, otherNamespace, cell.name(), cell.name(), "Managed",
            "Delete"));
        default -> { }
      }
    }
    awaitVerdicts(allReady(owners));
    String desired = kind.state(cells.stream().filter(c -> c.found() == Found.ANOTHERS).findFirst().orElseThrow()
        .name());
    Map<Cell, String> statesBefore = new LinkedHashMap<>();
    Map<Cell, Map<String, String>> ownersBefore = new LinkedHashMap<>();
    for (Cell cell : cells) {
      statesBefore.put(cell, kind.state(cell.name()));
      ownersBefore.put(cell, owners(kind, cell.name()));
      if (cell.found() != Found.ABSENT && cell.found() != Found.ANOTHERS && cell.found() != Found.ANOTHER_NAMESPACES) {
        assertThat(statesBefore.get(cell)).as("%s: made outside, it differs from the spec", cell.label())
            .isNotNull().isNotEqualTo(desired);
      }
    }
    double setupSeconds = (System.nanoTime() - t0) / 1e9;

    // 1. the cells that may not write: every verdict reached, and not one AWS write
    List<Cell> readOnly = cells.stream().filter(c -> !c.manages()).toList();
    double writes = awsWrites();
    Map<Cell, GenericKubernetesResource> crs = new LinkedHashMap<>();
    readOnly.forEach(c -> crs.put(c, createCr(kind, namespace, c.name(), c.name(), c.policy().name(),
        c.deletion().name())));
    awaitVerdicts(readOnly, crs);
    eventually().untilAsserted(() -> assertThat(missingEvents(kind, readOnly)).isEmpty());
    assertThat(awsWrites()).as("AWS writes of the cells that may not write").isEqualTo(writes);
    for (Cell cell : readOnly) {
      assertThat(kind.state(cell.name())).as("%s: AWS state", cell.label()).isEqualTo(statesBefore.get(cell));
      assertThat(owners(kind, cell.name())).as("%s: AWS owner tags", cell.label()).isEqualTo(ownersBefore.get(cell));
      assertConditionAndStatus(kind, cell);
    }

    // 2. the cells that manage: Ready, this resource's owner tag, AWS as the spec says
    List<Cell> managing = cells.stream().filter(Cell::manages).toList();
    double writesBeforeManaging = awsWrites();
    managing.forEach(c -> crs.put(c, createCr(kind, namespace, c.name(), c.name(), c.policy().name(),
        c.deletion().name())));
    awaitVerdicts(managing, crs);
    eventually().untilAsserted(() -> assertThat(missingEvents(kind, managing)).isEmpty());
    double managingWrites = awsWrites() - writesBeforeManaging;
    for (Cell cell : managing) {
      assertThat(ownerTag(kind, cell.name())).as("%s: owner tag", cell.label())
          .isEqualTo(identity(namespace, cell.name()));
      assertThat(kind.state(cell.name())).as("%s: AWS state", cell.label()).isEqualTo(desired);
      assertConditionAndStatus(kind, cell);
    }
    for (Cell cell : readOnly) {
      assertThat(kind.state(cell.name())).as("%s: AWS state", cell.label()).isEqualTo(statesBefore.get(cell));
    }

    // 3. deletions that may not write: Retain, ObserveOnly, refused; AWS exactly as it was
    Map<Cell, Map<String, String>> ownersBeforeDelete = new LinkedHashMap<>();
    cells.forEach(c -> ownersBeforeDelete.put(c, owners(kind, c.name())));
    List<Cell> keeping = cells.stream().filter(c -> !(c.manages() && c.deletion() == Deletion.Delete)).toList();
    double writesBeforeDeleting = awsWrites();
    deleteAndAwaitGone(kind, keeping);
    assertThat(awsWrites()).as("AWS writes deleting Retain, ObserveOnly and refused resources")
        .isEqualTo(writesBeforeDeleting);
    Map<String, List<Event>> events = eventsByName(kind);
    for (Cell cell : keeping) {
      assertThat(kind.ownedByIdentity() ? owners(kind, cell.name()).keySet() : owners(kind, cell.name()))
          .as("%s: AWS after deletion (of a kind owned by identity: what exists; its owner was the deleted "
              + "resource)", cell.label()).isEqualTo(kind.ownedByIdentity() ? ownersBeforeDelete.get(cell).keySet()
              : ownersBeforeDelete.get(cell));
      List<String> reasons = reasons(events, cell.name());
      if (cell.deletion() == Deletion.Retain) {
        assertThat(reasons).as("%s: Events", cell.label()).contains("Retained").doesNotContain("Deleted");
      } else if (cell.policy() == Policy.ObserveOnly) {
        assertThat(reasons).as("%s: Events", cell.label()).doesNotContain("Deleted", "NotDeleted");
      } else {
        assertThat(reasons).as("%s: Events", cell.label()).contains("NotDeleted").doesNotContain("Deleted");
      }
    }

    // 4. deletions that remove exactly what this resource owns
    List<Cell> deleting = cells.stream().filter(c -> c.manages() && c.deletion() == Deletion.Delete).toList();
    double writesBeforeRemoving = awsWrites();
    deleteAndAwaitGone(kind, deleting);
    double deletingWrites = awsWrites() - writesBeforeRemoving;
    events = eventsByName(kind);
    for (Cell cell : deleting) {
      String self = identity(namespace, cell.name());
      Map<String, String> left = new LinkedHashMap<>(ownersBeforeDelete.get(cell));
      assertThat(left).as("%s: AWS before deletion", cell.label()).containsValue(self);
      left.values().removeIf(self::equals);
      assertThat(owners(kind, cell.name())).as("%s: AWS after deletion", cell.label()).isEqualTo(left);
      assertThat(reasons(events, cell.name())).as("%s: Events", cell.label()).contains("Deleted")
          .doesNotContain("NotDeleted");
    }

    // the owners of "another's" were never disturbed
    awaitVerdicts(allReady(owners));
    for (Cell cell : cells.stream().filter(c -> c.found() == Found.ANOTHERS || c.found() == Found.ANOTHER_NAMESPACES)
        .toList()) {
      assertThat(kind.state(cell.name())).as("%s: the owner's resource", cell.label()).isEqualTo(desired);
      assertThat(ownerTag(kind, cell.name())).as("%s: the owner's tag", cell.label())
          .isEqualTo(OWNER_INSTANCE + "/" + ownerOf(cell));
    }
    System.out.printf("KindContractIT %s: %d cells in %.1f s (set-up %.1f s); AWS writes: %.0f by the %d cells that "
        + "manage, %.0f deleting the %d that own what they delete, 0 by the others%n", kindName, cells.size(),
        (System.nanoTime() - t0) / 1e9, setupSeconds, managingWrites, managing.size(), deletingWrites,
        deleting.size());
  }

  // ---- owners: the owner tag, or for a kind owned by identity the custom resource that recorded it -----------------

  /** The AWS resource's parts with their owners ({@link KindFixture#owners}; of a kind owned by identity, the recorder). */
  private Map<String, String> owners(KindFixture kind, String awsName) {
    Map<String, String> owners = kind.owners(awsName);
    if (!kind.ownedByIdentity() || owners.isEmpty()) {
      return owners;
    }
    String recorder = recorder(kind, awsName);
    return Map.of(awsName, recorder == null ? "" : recorder);
  }

  /** The owner tag, or of a kind owned by identity the custom resource that recorded the AWS resource. */
  private String ownerTag(KindFixture kind, String awsName) {
    return kind.ownedByIdentity() ? (kind.owners(awsName).isEmpty() ? null : recorder(kind, awsName))
        : kind.ownerTag(awsName);
  }

  /**
   * The custom resource of the kind, in either namespace, whose status.ownedIdentity names the AWS resource
   * ({@code <registry>:<region>:<name>}), as an owner tag's value; null when none.
   */
  private String recorder(KindFixture kind, String awsName) {
    return Stream.of(namespace, otherNamespace)
        .flatMap(ns -> k8s.genericKubernetesResources(API_VERSION, kind.kind()).inNamespace(ns).list().getItems()
            .stream())
        .filter(cr -> String.valueOf(status(cr).get("ownedIdentity")).endsWith(":" + awsName))
        .map(cr -> identity(cr.getMetadata().getNamespace(), cr.getMetadata().getName()))
        .findFirst().orElse(null);
  }

  // ---- assertions --------------------------------------------------------------------------------------------------

  /** The condition's message and what status shows of the AWS resource (nothing of one it may not touch). */
  private void assertConditionAndStatus(KindFixture kind, Cell cell) {
    GenericKubernetesResource cr = getCr(kind, namespace, cell.name());
    Map<String, Object> status = status(cr);
    String arn = (String) status.get(kind.statusArnField());
    String outcome = cell.outcome();
    if (cell.ready() || outcome.equals("OutOfSync")) {
      assertThat(arn).as("%s: status.%s", cell.label(), kind.statusArnField()).isEqualTo(kind.arn(cell.name()));
    } else {
      assertThat(arn).as("%s: status.%s of a resource it may not touch", cell.label(), kind.statusArnField())
          .isNull();
    }
    if (cell.ready()) {
      assertThat(condition(cr, "Stalled")).as("%s: Stalled", cell.label()).containsEntry("status", "False");
      return;
    }
    assertThat(condition(cr, "Ready")).as("%s: Ready", cell.label()).containsEntry("status", "False");
    String message = (String) condition(cr, "Stalled").get("message");
    switch (outcome) {
      case "AlreadyExists" -> {
        assertThat(message).as("%s: message", cell.label()).contains("managementPolicy: Adopt");
        if (cell.found() == Found.ORPHAN) {
          assertThat(message).as("%s: message", cell.label()).contains(ownerOf(cell), "no longer exists");
        }
      }
      case "OwnedByAnother" -> assertThat(message).as("%s: message", cell.label()).contains(ownerOf(cell))
          .doesNotContain("managementPolicy: Adopt");
      case "OwnedByAnotherNamespace" -> assertThat(message).as("%s: message", cell.label())
          .contains(ownerOf(cell), "ECSBRIDGE_ALLOW_CROSS_NAMESPACE");
      case "OutOfSync" -> assertThat(message).as("%s: message", cell.label()).contains(kind.differingField());
      default -> { }
    }
  }

  /** The Events each cell must have and must not have so far; empty when all are as documented. */
  private List<String> missingEvents(KindFixture kind, List<Cell> cells) {
    Map<String, List<Event>> events = eventsByName(kind);
    List<String> wrong = new ArrayList<>();
    for (Cell cell : cells) {
      List<Event> mine = events.getOrDefault(cell.name(), List.of());
      List<String> reasons = mine.stream().map(Event::getReason).toList();
      String outcome = cell.outcome();
      boolean ok = switch (outcome) {
        case "Created" -> reasons.contains("Created") && !reasons.contains("Adopted");
        case "Adopted" -> reasons.contains("Adopted") && !reasons.contains("Created")
            && (cell.found() != Found.ORPHAN || mine.stream().anyMatch(e -> "Adopted".equals(e.getReason())
                && e.getMessage().contains(ownerOf(cell) + ", which no longer exists")));
        case "Ours", "Observed" -> !reasons.contains("Created") && !reasons.contains("Adopted");
        default -> !reasons.contains("Created") && !reasons.contains("Adopted")
            && mine.stream().anyMatch(e -> "Warning".equals(e.getType()) && outcome.equals(e.getReason())
                && (ownerOf(cell) == null || !outcome.startsWith("OwnedBy") || e.getMessage().contains(ownerOf(cell))));
      };
      if (!ok) {
        wrong.add(cell.label() + " (" + outcome + "): " + mine.stream().map(e -> e.getType() + " " + e.getReason()
            + ": " + e.getMessage()).toList());
      }
    }
    return wrong;
  }

  /** Waits until every cell shows its documented verdict at its generation; says which do not. */
  private void awaitVerdicts(List<Cell> cells, Map<Cell, GenericKubernetesResource> crs) {
    Map<GenericKubernetesResource, String> expected = new LinkedHashMap<>();
    cells.forEach(c -> expected.put(crs.get(c), c.expectedVerdict()));
    awaitVerdicts(expected);
  }

  private void awaitVerdicts(Map<GenericKubernetesResource, String> expected) {
    eventually().untilAsserted(() -> {
      List<String> wrong = new ArrayList<>();
      expected.forEach((cr, verdict) -> {
        String is = verdict(getCr(cr.getKind(), cr.getMetadata().getNamespace(), cr.getMetadata().getName()));
        if (!is.equals(verdict)) {
          wrong.add(cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName() + ": expected " + verdict
              + ", is " + is);
        }
      });
      assertThat(wrong).as("custom resources not at their documented verdict").isEmpty();
    });
  }

  /** "Ready", "Stalled <reason>", or what else the resource says, at its current generation. */
  private static String verdict(GenericKubernetesResource cr) {
    if (cr == null) {
      return "gone";
    }
    Map<String, Object> status = status(cr);
    Object observed = status.get("observedGeneration");
    if (observed == null || ((Number) observed).longValue() != cr.getMetadata().getGeneration()) {
      return "not observed at generation " + cr.getMetadata().getGeneration() + " (" + observed + ")";
    }
    if ("True".equals(condition(cr, "Stalled").get("status"))) {
      return "Stalled " + condition(cr, "Stalled").get("reason");
    }
    Map<String, Object> ready = condition(cr, "Ready");
    return "True".equals(ready.get("status")) ? "Ready"
        : "Ready=" + ready.get("status") + " " + ready.get("reason") + " (" + ready.get("message") + ")";
  }

  // ---- custom resources as a user writes them ----------------------------------------------------------------------

  private GenericKubernetesResource createCr(KindFixture kind, String ns, String name, String awsName, String policy,
      String deletion) {
    GenericKubernetesResource cr = k8s.getKubernetesSerialization().unmarshal("""
        apiVersion: %s
        kind: %s
        metadata:
          name: %s
          namespace: %s
        spec:
          managementPolicy: %s
          deletionPolicy: %s
        %s""".formatted(API_VERSION, kind.kind(), name, ns, policy, deletion, kind.spec(awsName).indent(2)),
        GenericKubernetesResource.class);
    return k8s.resource(cr).create();
  }

  private GenericKubernetesResource getCr(KindFixture kind, String ns, String name) {
    return getCr(kind.kind(), ns, name);
  }

  private GenericKubernetesResource getCr(String kind, String ns, String name) {
    return k8s.genericKubernetesResources(API_VERSION, kind).inNamespace(ns).withName(name).get();
  }

  private void deleteAndAwaitGone(KindFixture kind, List<Cell> cells) {
    cells.forEach(c -> k8s.genericKubernetesResources(API_VERSION, kind.kind()).inNamespace(namespace)
        .withName(c.name()).delete());
    eventually().untilAsserted(() -> assertThat(cells.stream()
        .filter(c -> getCr(kind, namespace, c.name()) != null)
        .map(c -> c.label() + ": " + verdict(getCr(kind, namespace, c.name()))).toList())
        .as("custom resources not deleted yet").isEmpty());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource cr) {
    Object status = cr.getAdditionalProperties().get("status");
    return status == null ? Map.of() : (Map<String, Object>) status;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> condition(GenericKubernetesResource cr, String type) {
    Object conditions = status(cr).get("conditions");
    if (conditions == null) {
      return Map.of();
    }
    return ((List<Map<String, Object>>) conditions).stream().filter(c -> type.equals(c.get("type"))).findFirst()
        .orElse(Map.of());
  }

  /** The Events of this test's namespace on custom resources of the kind, by the resource's name. */
  private Map<String, List<Event>> eventsByName(KindFixture kind) {
    Map<String, List<Event>> byName = new LinkedHashMap<>();
    for (Event e : k8s.v1().events().inNamespace(namespace).list().getItems()) {
      if (kind.kind().equals(e.getInvolvedObject().getKind())) {
        byName.computeIfAbsent(e.getInvolvedObject().getName(), n -> new ArrayList<>()).add(e);
      }
    }
    return byName;
  }

  private static List<String> reasons(Map<String, List<Event>> events, String name) {
    return events.getOrDefault(name, List.of()).stream().map(Event::getReason).toList();
  }

  private static Map<GenericKubernetesResource, String> allReady(List<GenericKubernetesResource> resources) {
    Map<GenericKubernetesResource, String> expected = new LinkedHashMap<>();
    resources.forEach(r -> expected.put(r, "Ready"));
    return expected;
  }
}
