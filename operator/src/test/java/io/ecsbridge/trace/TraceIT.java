package io.ecsbridge.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code trace} on a real tree (the real API server, the operator reconciling it against moto): an EcsService on an
 * EcsCluster and an EcsTaskDefinition whose container reads a Kubernetes Secret, in a namespace an AwsAccount
 * selects. The printed tree names each with its condition and Events, and the exit code says whether all are Ready.
 */
class TraceIT extends OperatorIT {
  private String account;

  private record Run(int exitCode, String out, String err) {}

  @Override
  protected Map<String, String> operatorSettings(String namespaces) {
    Map<String, String> settings = super.operatorSettings(namespaces);
    settings.put("ECSBRIDGE_SECRET_REFERENCES", "true");
    return settings;
  }

  @AfterEach
  void deleteAccount() {
    if (account != null) {
      k8s.resources(AwsAccount.class).withName(account).delete();
    }
  }

  private Run trace(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TraceCommand.run(k8s, args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    Run run = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    System.out.println("$ trace " + String.join(" ", args) + "\n" + run.out() + run.err() + "exit " + code);
    return run;
  }

  @Test
  void aServiceItsClusterTaskDefinitionSecretAndAccountAsATreeExitingZeroWhenAllAreReady() {
    k8s.namespaces().withName(namespace).edit(ns -> {
      ns.getMetadata().setLabels(Map.of("trace-team", namespace));
      return ns;
    });
    account = "trace-" + namespace;
    k8s.resource(resource(AwsAccount.class, account, """
        roleArn: arn:aws:iam::123456789012:role/trace
        namespaceSelector:
          matchLabels: {trace-team: %s}
        """.formatted(namespace))).create();
    k8s.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("db")
        .withNamespace(namespace).endMetadata().withStringData(Map.of("password", "s3cret-value")).build()).create();
    serviceOnTaskDefinitionWeb("""
        containerDefinitions:
        - name: web
          image: nginx:1.27
          memory: 128
          secrets:
          - {name: DB_PASSWORD, secretKeyRef: {name: db, key: password}}
        """);
    eventually().until(() -> isReady(k8s.resources(AwsAccount.class).withName(account).get()));

    Run run = trace("ecsservice/web", "-n", namespace);

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).matches("NAME +READY +REASON +MESSAGE");
    assertThat(lines).as("the resources' lines: NAME READY REASON")
        .filteredOn(l -> !l.matches("^[│ ]*(Normal|Warning)  .*")).map(TraceIT::threeColumns)
        .containsExactly("NAME  READY  REASON",
            "EcsService/web  True  " + reason(get(EcsService.class, "web"), "Ready"),
            "├─ EcsCluster/prod  True  " + reason(get(EcsCluster.class, "prod"), "Ready"),
            "├─ EcsTaskDefinition/web  True  " + reason(get(EcsTaskDefinition.class, "web"), "Ready"),
            "│  └─ Secret/db  True  Found",
            "└─ AwsAccount/" + account + "  True  RoleAssumed");
    assertThat(run.out()).as("the last Events of each").contains("Normal  Created (")
        .contains("Normal  RoleAssumed (").doesNotContain("s3cret-value");
    Run shortName = trace("ecssvc", "web", "-n", namespace);
    assertThat(shortName.exitCode()).as("a short name, the name apart").isZero();
    assertThat(shortName.out()).contains("EcsService/web", "Secret/db");
  }

  /** The tree prefix and the columns NAME, READY, REASON, each set apart by two spaces. */
  private static String threeColumns(String line) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([│├└─ ]*)(.*)$").matcher(line);
    m.matches();
    String[] columns = m.group(2).split(" {2,}");
    return m.group(1) + String.join("  ", java.util.Arrays.copyOf(columns, Math.min(3, columns.length)));
  }

  @Test
  void aMissingReferenceIsShownAndTheExitCodeIsOne() {
    create(resource(EcsService.class, "lost", """
        clusterRef: {name: nowhere}
        taskDefinition: web:1
        desiredCount: 1
        """));
    eventually().until(() -> "ReferenceNotReady".equals(reason(get(EcsService.class, "lost"), "Reconciling")));

    Run run = trace("ecsservices/lost", "--namespace", namespace, "--events", "0");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out().lines().map(l -> l.replaceAll(" {2,}", "  ")))
        .contains("└─ EcsCluster/nowhere  False  NotFound  EcsCluster nowhere does not exist in namespace "
            + namespace)
        .anyMatch(l -> l.startsWith("EcsService/lost  False  ReferenceNotReady"));
  }

  @Test
  void badArgumentsExitTwoWithAMessage() {
    assertThat(trace("nosuchkind/x", "-n", namespace)).satisfies(r -> {
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("unknown kind nosuchkind", "ecsservice");
    });
    assertThat(trace("ecsservice").exitCode()).isEqualTo(2);
    Run help = trace("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Exit codes:", "0", "every resource in the tree is Ready", "-n, --namespace");
  }
}
