package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.OperatorIT;
import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * AwsAccount against the real API server and moto's STS: the role assumed and the account reported, the namespaces
 * the selector matches (a label change reflected), no status write on an in-sync pass, Stalled with STS's message
 * and an Event while the role cannot be assumed, healed once it can, and a role change picked up.
 */
class AwsAccountIT extends OperatorIT {
  private final List<String> accounts = new ArrayList<>();
  private String team;

  @BeforeEach
  void startWithQuickRecheck() throws Exception {
    startOperator(settings -> settings.put("ECSBRIDGE_STALLED_RECHECK", "1s"));
    team = "t" + UUID.randomUUID().toString().substring(0, 6);
  }

  @AfterEach
  void deleteAccounts() {
    env.moto().clearFaults();
    accounts.forEach(name -> k8s.resources(AwsAccount.class).withName(name).delete());
    eventually().until(() -> accounts.stream().allMatch(name -> account(name) == null));
  }

  private AwsAccount create(String name, String roleArn) {
    String unique = name + "-" + team;
    accounts.add(unique);
    AwsAccount account = resource(AwsAccount.class, unique, """
        roleArn: %s
        defaultRegion: eu-west-1
        allowedRegions: [eu-west-1]
        namespaceSelector:
          matchLabels: {team: %s}
        """.formatted(roleArn, team));
    return k8s.resource(account).create();
  }

  private AwsAccount account(String name) {
    return k8s.resources(AwsAccount.class).withName(name).get();
  }

  private AwsAccount awaitAccountReady(String name) {
    eventually().until(() -> isReady(account(name)));
    return account(name);
  }

  private void label(String namespace, Map<String, String> labels) {
    k8s.namespaces().withName(namespace).edit(ns -> {
      ns.getMetadata().setLabels(labels);
      return ns;
    });
  }

  private List<Event> eventsOf(HasMetadata resource) {
    return k8s.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> resource.getMetadata().getName().equals(e.getInvolvedObject().getName())
            && "AwsAccount".equals(e.getInvolvedObject().getKind()))
        .toList();
  }

  @Test
  void assumesTheRoleReportsTheAccountAndItsNamespaces() {
    label(namespace, Map.of("team", team));
    String name = create("team-a", "arn:aws:iam::111111111111:role/team-a").getMetadata().getName();

    AwsAccount ready = awaitAccountReady(name);
    assertThat(ready.getStatus().accountId).isEqualTo("111111111111");
    assertThat(ready.getStatus().arn).startsWith("arn:aws:sts::111111111111:assumed-role/team-a/ecsbridge-it");
    assertThat(ready.getStatus().namespaces).containsExactly(namespace);
    assertThat(ready.getStatus().namespaceCount).isEqualTo(1);
    assertThat(awsCalls("STS", "AssumeRole")).isGreaterThanOrEqualTo(1);

    // the registry's credentials are the account's, in AWS (moto) too
    var credentials = operator.accounts().lookup(name).orElseThrow();
    try (StsClient sts = StsClient.builder().region(Region.of(TestEnvironment.REGION))
        .endpointOverride(env.moto().endpoint()).credentialsProvider(credentials).build()) {
      assertThat(sts.getCallerIdentity().account()).isEqualTo("111111111111");
    }

    // a namespace labelled for the team joins, one relabelled leaves
    String second = newNamespace();
    label(second, Map.of("team", team));
    eventually().until(() -> account(name).getStatus().namespaces.contains(second)
        && account(name).getStatus().namespaceCount == 2);
    label(namespace, Map.of("team", "other"));
    eventually().until(() -> List.of(second).equals(account(name).getStatus().namespaces));
  }

  @Test
  void anInSyncPassWritesNothing() {
    String name = create("quiet", "arn:aws:iam::111111111111:role/quiet").getMetadata().getName();
    String version = awaitAccountReady(name).getMetadata().getResourceVersion();
    double before = awsCalls("STS", "GetCallerIdentity");
    // every namespace label change reconciles every AwsAccount: an unrelated one, three times
    String unrelated = newNamespace();
    for (int i = 0; i < 3; i++) {
      label(unrelated, Map.of("unrelated", String.valueOf(i)));
      double calls = before + i + 1;
      eventually().until(() -> awsCalls("STS", "GetCallerIdentity") >= calls);
    }
    assertThat(account(name).getMetadata().getResourceVersion()).as("no status write").isEqualTo(version);
    assertThat(awsCalls("STS", "AssumeRole")).as("credentials reused").isEqualTo(1);
  }

  @Test
  void stalledWhileTheRoleCannotBeAssumedThenHeals() {
    String message = "User: arn:aws:sts::123456789012:assumed-role/ecs-bridge/it is not authorized to perform: "
        + "sts:AssumeRole on resource: arn:aws:iam::111111111111:role/locked";
    env.moto().fault("AssumeRole", "AccessDenied", message, 403, null);
    String name = create("locked", "arn:aws:iam::111111111111:role/locked").getMetadata().getName();

    eventually().until(() -> isTrue(account(name), Conditions.STALLED));
    AwsAccount stalled = account(name);
    assertThat(reason(stalled, Conditions.STALLED)).isEqualTo("AccessDenied");
    assertThat(condition(stalled, Conditions.STALLED).orElseThrow().getMessage()).contains(message);
    assertThat(isTrue(stalled, Conditions.READY)).isFalse();
    eventually().until(() -> eventsOf(stalled).stream()
        .anyMatch(e -> "Warning".equals(e.getType()) && e.getMessage().contains(message)));

    env.moto().clearFaults(); // the trust policy fixed
    AwsAccount healed = awaitAccountReady(name);
    assertThat(healed.getStatus().accountId).isEqualTo("111111111111");
    assertThat(isTrue(healed, Conditions.STALLED)).isFalse();
  }

  @Test
  void aRoleChangeIsPickedUpWithoutRestart() {
    String name = create("moving", "arn:aws:iam::111111111111:role/team-a").getMetadata().getName();
    assertThat(awaitAccountReady(name).getStatus().accountId).isEqualTo("111111111111");
    var first = operator.accounts().lookup(name).orElseThrow();

    k8s.resources(AwsAccount.class).withName(name).edit(a -> {
      a.getSpec().roleArn = "arn:aws:iam::222222222222:role/team-a";
      return a;
    });
    eventually().until(() -> isReady(account(name)) && "222222222222".equals(account(name).getStatus().accountId));
    assertThat(account(name).getStatus().arn).startsWith("arn:aws:sts::222222222222:assumed-role/team-a/");
    assertThat(operator.accounts().lookup(name).orElseThrow()).as("credentials replaced").isNotSameAs(first);
  }

  @Test
  void roleChainingAssumesTheSourceAccountFirst() {
    String hub = create("hub", "arn:aws:iam::333333333333:role/hub").getMetadata().getName();
    awaitAccountReady(hub);
    String spoke = "spoke-" + team;
    accounts.add(spoke);
    k8s.resource(resource(AwsAccount.class, spoke, """
        roleArn: arn:aws:iam::444444444444:role/spoke
        sourceAccountRef: {name: %s}
        """.formatted(hub))).create();
    AwsAccount ready = awaitAccountReady(spoke);
    assertThat(ready.getStatus().accountId).isEqualTo("444444444444");
    assertThat(awsCalls("STS", "AssumeRole")).isEqualTo(2);
    assertThat(ready.getStatus().namespaces).isEmpty();
  }
}
