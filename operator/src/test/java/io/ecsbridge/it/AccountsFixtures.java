package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.aws.AwsCallMeter;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.AwsTestClients;
import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.CustomResource;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * Two tenants (the test's namespace and teamB), AwsAccounts selecting them by labels unique to the test, and AWS
 * read back per account: {@link #in(String)} are clients on credentials assumed in that account (moto keeps each
 * account's resources apart), the operator's own account being moto's default, 123456789012.
 */
abstract class AccountsFixtures extends OperatorIT {
  static final String OPERATOR_ACCOUNT = "123456789012";
  static final String FIRST = "111111111111";
  static final String SECOND = "222222222222";
  static final String THIRD = "333333333333";

  /** Unique to the test: AwsAccounts are cluster-scoped, their names and selectors must not meet another test's. */
  protected final String id = UUID.randomUUID().toString().substring(0, 6);
  /** The second tenant; the test's own {@code namespace} is the first. */
  protected String teamB;
  private final List<String> accounts = new ArrayList<>();
  private final Map<String, AwsTestClients> clients = new HashMap<>();

  /** Both tenants watched; a Stalled resource is looked at again after 1 s (the fault-lifted heals). */
  @Override
  protected void startOperator(Consumer<Map<String, String>> tweak) throws Exception {
    if (teamB == null) {
      teamB = newNamespace();
    }
    super.startOperator(s -> {
      s.put("ECSBRIDGE_WATCH_NAMESPACES", namespace + "," + teamB);
      s.put("ECSBRIDGE_STALLED_RECHECK", "1s");
      tweak.accept(s);
    });
  }

  @AfterEach
  void deleteAccounts() {
    env.moto().clearFaults();
    accounts.forEach(name -> k8s.resources(AwsAccount.class).withName(name).delete());
    eventually().until(() -> accounts.stream().allMatch(name -> account(name) == null));
  }

  static String role(String accountId, String name) {
    return "arn:aws:iam::" + accountId + ":role/" + name;
  }

  /** A namespace label key of this test; an account {@code letter} selects the namespaces that carry it. */
  String key(String letter) {
    return letter + "-" + id;
  }

  /**
   * Creates the AwsAccount {@code letter-<id>} assuming {@code roleArn}, selecting the namespaces labelled with
   * {@link #key}(letter), in the test region only; its name.
   */
  String account(String letter, String roleArn) {
    String name = letter + "-" + id;
    if (!accounts.contains(name)) {
      accounts.add(name);
    }
    k8s.resource(resource(AwsAccount.class, name, """
        roleArn: %s
        defaultRegion: us-east-1
        allowedRegions: [us-east-1]
        namespaceSelector:
          matchLabels: {%s: "on"}
        """.formatted(roleArn, key(letter)))).create();
    return name;
  }

  AwsAccount account(String name) {
    return k8s.resources(AwsAccount.class).withName(name).get();
  }

  AwsAccount awaitAccountReady(String name) {
    eventually().until(() -> isReady(account(name)));
    return account(name);
  }

  /** Labels the namespace with exactly these keys of the test ({@link #key}(letter) = on). */
  void label(String ns, String... letters) {
    Map<String, String> labels = Arrays.stream(letters).collect(Collectors.toMap(this::key, l -> "on"));
    k8s.namespaces().withName(ns).edit(n -> {
      n.getMetadata().setLabels(labels);
      return n;
    });
  }

  /** Clients acting in this account (the operator's own: the test's plain clients). */
  AwsTestClients in(String accountId) {
    if (OPERATOR_ACCOUNT.equals(accountId)) {
      return aws;
    }
    return clients.computeIfAbsent(accountId,
        a -> AwsTestClients.assumingRole(env.moto().endpoint(), role(a, "ecsbridge-it-reader")));
  }

  /** The repository of this name in the account, null when there is none. */
  Repository repository(String accountId, String name) {
    try {
      return in(accountId).ecr().describeRepositories(r -> r.repositoryNames(name)).repositories().get(0);
    } catch (RepositoryNotFoundException e) {
      return null;
    }
  }

  List<String> repositories(String accountId) {
    return in(accountId).ecr().describeRepositories(r -> {}).repositories().stream()
        .map(Repository::repositoryName).toList();
  }

  /**
   * STS AssumeRole of this role only fails with AWS's {@code code}/{@code message} until the faults are cleared
   * (src/test/moto/ecsbridge_faults.py, its roleArn rule): other roles, the test's own included, still work.
   */
  void roleCannotBeAssumed(String roleArn, String code, String message) throws Exception {
    fault("""
        {"operation": "AssumeRole", "roleArn": "%s", "code": "%s", "message": "%s", "status": 403}"""
        .formatted(roleArn, code, message));
  }

  /**
   * STS cannot say who the callers of this account are (GetCallerIdentity made with its credentials fails with a
   * 500, retryable) until the faults are cleared; every other call in it works.
   */
  void identityUnknownIn(String accountId) throws Exception {
    fault("""
        {"operation": "GetCallerIdentity", "account": "%s", "code": "InternalFailure", "status": 500}"""
        .formatted(accountId));
  }

  private void fault(String rule) throws Exception {
    HttpRequest post = HttpRequest.newBuilder(env.moto().endpoint().resolve("/ecsbridge/faults"))
        .POST(HttpRequest.BodyPublishers.ofString(rule)).build();
    HttpResponse<String> r = HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /** The ecs-bridge owner tag a resource of {@code ns/name} carries. */
  static String owner(String ns, String name) {
    return OWNER_INSTANCE + "/" + ns + "/" + name;
  }

  /** A status field of a custom resource of ours, read untyped (status.accountId is on every namespaced kind). */
  String statusField(Class<?> type, String ns, String name, String field) {
    GenericKubernetesResource r = k8s.genericKubernetesResources("ecsbridge.io/v1alpha1", type.getSimpleName())
        .inNamespace(ns).withName(name).get();
    if (r == null || !(r.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return null;
    }
    Object value = status.get(field);
    return value == null ? null : value.toString();
  }

  String accountIdOf(Class<?> type, String ns, String name) {
    return statusField(type, ns, name, "accountId");
  }

  /** Waits until the resource is Stalled for {@code reason} at its current generation, saying what it is if not. */
  void awaitStalled(Class<? extends CustomResource<?, ? extends AwsResourceStatus>> type, String ns, String name,
      String reason) {
    eventually().untilAsserted(() -> {
      var r = get(type, ns, name);
      assertThat(health(r)).as(type.getSimpleName() + " " + ns + "/" + name)
          .isEqualTo("Stalled " + reason + " at generation " + r.getMetadata().getGeneration());
    });
  }

  String stalledMessage(Class<? extends CustomResource<?, ? extends AwsResourceStatus>> type, String ns,
      String name) {
    return condition(get(type, ns, name), Conditions.STALLED).orElseThrow().getMessage();
  }

  /** The resource's verdict in one line: "Stalled <reason> at generation <n>", or its Ready condition. */
  static String health(CustomResource<?, ? extends AwsResourceStatus> r) {
    if (r == null || r.getStatus() == null) {
      return "no status";
    }
    if (isTrue(r, Conditions.STALLED)) {
      return "Stalled " + reason(r, Conditions.STALLED) + " at generation " + r.getStatus().getObservedGeneration();
    }
    var ready = condition(r, Conditions.READY);
    return "Ready=" + ready.map(c -> c.getStatus() + " " + c.getReason() + " (" + c.getMessage() + ")").orElse("?")
        + " at generation " + r.getStatus().getObservedGeneration();
  }

  /** Waits for a Warning Event of this reason on the resource; returns its message. */
  String awaitWarning(Class<?> type, String ns, String name, String reason) {
    eventually().until(() -> !warnings(type, ns, name, reason).isEmpty());
    return warnings(type, ns, name, reason).get(0).getMessage();
  }

  List<Event> warnings(Class<?> type, String ns, String name, String reason) {
    return k8s.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())
            && type.getSimpleName().equals(e.getInvolvedObject().getKind())
            && "Warning".equals(e.getType()) && reason.equals(e.getReason()))
        .toList();
  }

  <T extends CustomResource<?, ?>> T createIn(String ns, Class<T> type, String name, String spec) {
    T resource = resource(type, name, spec);
    resource.getMetadata().setNamespace(ns);
    return create(resource);
  }

  /**
   * The operator's AWS calls per value of the calls metric's account tag ("(untagged)" for a metric without one),
   * writes (anything but Describe/List/Get) or reads.
   */
  Map<String, Double> callsByAccount(boolean writes) {
    Map<String, Double> calls = new java.util.TreeMap<>();
    operator.registry().find(AwsCallMeter.CALLS).counters().forEach(c -> {
      String op = String.valueOf(c.getId().getTag("operation"));
      boolean write = !op.startsWith("Describe") && !op.startsWith("List") && !op.startsWith("Get");
      if (write == writes) {
        String account = c.getId().getTag("account");
        calls.merge(account == null ? "(untagged)" : account, c.count(), Double::sum);
      }
    });
    return calls;
  }

  /** The writes (anything but Describe/List/Get) among calls by operation. */
  static double writes(Map<String, Double> calls) {
    return calls.entrySet().stream().filter(e -> {
      String op = e.getKey().substring(e.getKey().indexOf(':') + 1);
      return !op.startsWith("Describe") && !op.startsWith("List") && !op.startsWith("Get");
    }).mapToDouble(Map.Entry::getValue).sum();
  }

  /**
   * AWS calls the operator made other than STS's (credentials and identity), by service and operation: calls into
   * the resources' AWS.
   */
  Map<String, Double> resourceCalls() {
    Map<String, Double> calls = new java.util.TreeMap<>();
    operator.registry().find(AwsCallMeter.CALLS).counters().forEach(c -> {
      String service = c.getId().getTag("service");
      if (!"sts".equals(service)) {
        calls.merge(service + ":" + c.getId().getTag("operation"), c.count(), Double::sum);
      }
    });
    return calls;
  }
}
