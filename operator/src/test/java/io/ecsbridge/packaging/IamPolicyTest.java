package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecsbridge.testing.IamPolicy;
import io.ecsbridge.testing.Repo;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * docs/iam-policy.json (generated from the AWS actions of each kind in io.ecsbridge.kinds.Kinds, kept current by
 * GeneratedFilesUpToDateTest) against the code: it parses, allows no wildcard, names only real operations, and
 * allows every operation the aws/ package calls (a source scan: SDK client methods called in each file that uses
 * that client). OperatorIT checks the other side at run time: every call an IT's operator made is allowed.
 */
class IamPolicyTest {
  /** IAM prefix -> SDK client interface, and how a source file shows it uses that client. */
  private static final Map<String, Class<?>> CLIENTS = new LinkedHashMap<>();
  private static final Map<String, Pattern> USES = Map.of(
      "ecr", Pattern.compile("\\bEcrClient\\b|\\.ecr\\("),
      "ecs", Pattern.compile("\\bEcsClient\\b|\\.ecs\\("),
      "application-autoscaling", Pattern.compile("\\bApplicationAutoScalingClient\\b|\\.autoScaling\\("),
      "secretsmanager", Pattern.compile("\\bSecretsManagerClient\\b|\\.secretsManager\\("),
      "ssm", Pattern.compile("\\bSsmClient\\b|\\.ssm\\("),
      "sts", Pattern.compile("\\bStsClient\\b"));

  static {
    CLIENTS.put("ecr", EcrClient.class);
    CLIENTS.put("ecs", EcsClient.class);
    CLIENTS.put("application-autoscaling", ApplicationAutoScalingClient.class);
    CLIENTS.put("secretsmanager", SecretsManagerClient.class);
    CLIENTS.put("ssm", SsmClient.class);
    CLIENTS.put("sts", software.amazon.awssdk.services.sts.StsClient.class);
  }

  /** The operations of a client: its request-taking methods, paginators named by their operation. */
  private static Set<String> operations(Class<?> client) {
    return Arrays.stream(client.getMethods())
        .filter(m -> m.getParameterCount() == 1 && m.getParameterTypes()[0].getSimpleName().endsWith("Request"))
        .map(Method::getName).map(n -> n.replaceAll("Paginator$", "")).map(IamPolicyTest::capitalize)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** IAM actions (prefix:Operation) the aws/ package's sources call. */
  static Set<String> actionsCalledInSources() throws IOException {
    Set<String> actions = new TreeSet<>();
    Path dir = Repo.root().resolve("operator/src/main/java/io/ecsbridge/aws");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    Pattern invocation = Pattern.compile("\\.([a-z][A-Za-z0-9]*)\\(");
    for (Path file : files) {
      String source = Files.readString(file);
      Set<String> called = new TreeSet<>();
      Matcher m = invocation.matcher(source);
      while (m.find()) {
        called.add(capitalize(m.group(1).replaceAll("Paginator$", "")));
      }
      CLIENTS.forEach((prefix, client) -> {
        if (USES.get(prefix).matcher(source).find()) {
          called.stream().filter(operations(client)::contains).forEach(op -> actions.add(prefix + ":" + op));
        }
      });
    }
    return actions;
  }

  @Test
  void parsesAsAnIamPolicyWithoutWildcards() {
    JsonNode policy = IamPolicy.document();
    assertThat(policy.get("Version").asText()).isEqualTo("2012-10-17");
    assertThat(policy.get("Statement")).isNotEmpty();
    policy.get("Statement").forEach(s -> assertThat(s.get("Effect").asText()).isEqualTo("Allow"));
    assertThat(IamPolicy.allowedActions()).isNotEmpty().allSatisfy(a -> assertThat(a).doesNotContain("*", "?")
        .matches("[a-z-]+:[A-Z][A-Za-z]+"));
    assertThat(IamPolicy.allowedActions()).doesNotHaveDuplicates();
  }

  @Test
  void allowsEveryOperationTheAwsLayerCalls() throws IOException {
    Set<String> called = actionsCalledInSources();
    assertThat(called).as("the scan finds the calls").contains("ecr:CreateRepository", "ecr:DescribeRepositories",
        "ecs:DescribeClusters", "ecs:ListServices");
    assertThat(called.stream().filter(a -> !IamPolicy.allows(a)).toList())
        .as("operations called in operator/src/main/java/io/ecsbridge/aws but missing from docs/iam-policy.json: "
            + "list them in their kind's entry of io.ecsbridge.kinds.Kinds and run `make crds`")
        .isEmpty();
  }

  @Test
  void namesOnlyRealOperations() {
    for (String action : IamPolicy.allowedActions()) {
      String prefix = action.substring(0, action.indexOf(':'));
      if (CLIENTS.containsKey(prefix)) {
        assertThat(operations(CLIENTS.get(prefix))).as("an operation of " + prefix).contains(
            action.substring(prefix.length() + 1));
      } else {
        assertThat(prefix).as("only ECR, ECS, Application Auto Scaling, Secrets Manager, SSM, STS and IAM").isEqualTo("iam");
      }
    }
  }

  @Test
  void passesRolesOnlyToEcsItsTasksAndEcrAndCreatesOnlyTheServiceLinkedRolesItNeeds() {
    for (JsonNode statement : IamPolicy.document().get("Statement")) {
      String action = statement.get("Action").toString();
      if (action.contains("iam:PassRole")) {
        assertThat(statement.at("/Condition/StringEquals/iam:PassedToService").toString())
            .isEqualTo("[\"ecs-tasks.amazonaws.com\",\"ecs.amazonaws.com\",\"ecr.amazonaws.com\"]");
      }
      if (action.contains("iam:CreateServiceLinkedRole")) {
        assertThat(statement.at("/Condition/StringEquals/iam:AWSServiceName").toString())
            .contains("ecs.application-autoscaling.amazonaws.com");
      }
    }
  }
}
