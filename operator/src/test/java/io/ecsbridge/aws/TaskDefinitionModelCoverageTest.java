package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionSpec;
import io.ecsbridge.kinds.ecs.TaskDefinitionContent;
import io.ecsbridge.kinds.ecs.TaskDefinitionContentTest;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

/**
 * A spec that sets every field of the model: each one has AWS's JSON name (the SDK knows it), survives the trip into
 * the RegisterTaskDefinition request and back, and normalizing is idempotent.
 */
public class TaskDefinitionModelCoverageTest {
  private static final Set<String> NOT_CONTENT = Set.of("family", "tags", "revisionHistoryLimit");

  public static final String EVERY_FIELD = """
      family: all
      region: eu-west-1
      managementPolicy: Managed
      deletionPolicy: Delete
      requiresCompatibilities: [EC2]
      networkMode: bridge
      cpu: "1 vCPU"
      memory: "2 GB"
      executionRoleArn: arn:aws:iam::123456789012:role/exec
      taskRoleArn: arn:aws:iam::123456789012:role/task
      pidMode: task
      ipcMode: none
      ephemeralStorage: {sizeInGiB: 30}
      runtimePlatform: {cpuArchitecture: X86_64, operatingSystemFamily: LINUX}
      placementConstraints: [{type: memberOf, expression: "attribute:ecs.os-type == linux"}]
      enableFaultInjection: false
      inferenceAccelerators: [{deviceName: acc, deviceType: eia2.medium}]
      proxyConfiguration: {type: APPMESH, containerName: envoy, properties: [{name: IgnoredUID, value: "1337"}]}
      volumes:
      - {name: host, host: {sourcePath: /var/data}}
      - name: efs
        efsVolumeConfiguration:
          fileSystemId: fs-1
          rootDirectory: /x
          transitEncryption: ENABLED
          transitEncryptionPort: 2049
          authorizationConfig: {accessPointId: fsap-1, iam: ENABLED}
      - name: docker
        dockerVolumeConfiguration: {scope: shared, autoprovision: true, driver: local, driverOpts: {a: b}, labels: {c: d}}
      - {name: ebs, configuredAtLaunch: true}
      tags: {team: all}
      revisionHistoryLimit: 3
      containerDefinitions:
      - name: app
        image: app:1
        cpu: 256
        memory: 512
        memoryReservation: 256
        essential: true
        command: [run]
        entryPoint: [/init]
        workingDirectory: /app
        environment: [{name: A, value: "1"}, {name: B, valueFrom: {configMapKeyRef: {name: cfg, key: b, optional: true, as: Environment}}}]
        environmentFrom: [{configMapRef: {name: cfg, optional: true, as: Environment}, prefix: CFG_}, {secretRef: {name: sec, optional: true}}]
        environmentFiles: [{value: "arn:aws:s3:::bucket/app.env", type: s3}]
        secrets: [{name: S, valueFrom: arn:aws:ssm:eu-west-1:123456789012:parameter/s},
                  {name: K, secretKeyRef: {name: sec, key: k, optional: true}}]
        portMappings: [{containerPort: 80, hostPort: 8080, protocol: tcp, name: http, appProtocol: http},
                       {containerPortRange: "9000-9010", protocol: udp}]
        mountPoints: [{sourceVolume: host, containerPath: /data, readOnly: true}]
        volumesFrom: [{sourceContainer: envoy, readOnly: true}]
        healthCheck: {command: [CMD, check], interval: 10, timeout: 3, retries: 2, startPeriod: 5}
        logConfiguration:
          logDriver: awslogs
          options: {awslogs-group: g}
          secretOptions: [{name: token, valueFrom: arn:aws:ssm:eu-west-1:123456789012:parameter/t}]
        dependsOn: [{containerName: envoy, condition: HEALTHY}]
        links: [envoy]
        user: "1000:1000"
        readonlyRootFilesystem: true
        privileged: true
        ulimits: [{name: nofile, softLimit: 1024, hardLimit: 2048}]
        linuxParameters:
          capabilities: {add: [SYS_PTRACE], drop: [NET_RAW]}
          initProcessEnabled: true
          sharedMemorySize: 64
          maxSwap: 128
          swappiness: 10
          devices: [{hostPath: /dev/fuse, containerPath: /dev/fuse, permissions: [write, read]}]
          tmpfs: [{containerPath: /run, size: 64, mountOptions: [nosuid, noexec]}]
        restartPolicy: {enabled: true, ignoredExitCodes: [2, 1], restartAttemptPeriod: 60}
        dockerSecurityOptions: ["label:type:container_t"]
        credentialSpecs: ["credentialspecdomainless:arn:aws:s3:::bucket/spec.json"]
        stopTimeout: 20
        startTimeout: 30
        dockerLabels: {l: v}
        repositoryCredentials: {credentialsParameter: arn:aws:secretsmanager:eu-west-1:123456789012:secret:r}
        resourceRequirements: [{type: GPU, value: "1"}]
        systemControls: [{namespace: net.core.somaxconn, value: "1024"}]
        extraHosts: [{hostname: db, ipAddress: 10.0.0.1}]
        dnsServers: [10.0.0.2]
        dnsSearchDomains: [corp]
        hostname: app
        disableNetworking: true
        interactive: true
        pseudoTerminal: true
        versionConsistency: disabled
      - name: envoy
        image: envoy:1
        memory: 128
        firelensConfiguration: {type: fluentbit, options: {enable-ecs-log-metadata: "true"}}
      """;

  /**
   * A container with imageFrom, added to {@link #EVERY_FIELD} here only: registered as written (EcsTaskDefinitionIT
   * registers EVERY_FIELD with the SDK) it would have no image, and it needs an EcrRepository.
   */
  private static final String WITH_IMAGE_FROM = EVERY_FIELD + """
      - name: pinned
        imageFrom: {ecrRepositoryRef: {name: app}, tag: v1, maxSeverity: HIGH}
        memory: 64
      """;

  @Test
  void theExampleSetsEveryFieldOfTheModel() {
    Set<String> all = new java.util.TreeSet<>();
    Set<String> set = new java.util.TreeSet<>();
    paths(EcsTaskDefinitionSpec.class, TaskDefinitionContentTest.specJson(WITH_IMAGE_FROM), "spec", all, set);
    all.removeAll(set);
    assertThat(all).as("model fields the example does not set").isEmpty();
  }

  @Test
  void everyFieldReachesTheSdkRequestAndComesBackTheSame() {
    ObjectNode content = TaskDefinitionContent.request(TaskDefinitionContentTest.specJson(EVERY_FIELD));
    JsonNode spec = TaskDefinitionContentTest.specJson(EVERY_FIELD);
    spec.fieldNames().forEachRemaining(f -> {
      boolean common = Set.of("region", "managementPolicy", "deletionPolicy", "accountRef").contains(f);
      assertThat(content.has(f)).as(f).isEqualTo(!common && !NOT_CONTENT.contains(f));
    });
    // Kubernetes-only: resolved by ecs-bridge into the plain environment, never sent to AWS as written
    JsonNode app = content.get("containerDefinitions").get(0);
    TaskDefinitionContent.KUBERNETES_ONLY_CONTAINER_FIELDS.forEach(f -> assertThat(app.has(f)).as(f).isFalse());
    assertThat(TaskDefinitionContent.request(TaskDefinitionContentTest.specJson(WITH_IMAGE_FROM))
        .get("containerDefinitions").get(2).has("imageFrom")).as("imageFrom").isFalse();
    assertThat(app.get("environment").findValues("valueFrom")).as("environment[].valueFrom").isEmpty();
    assertThat(app.get("secrets").findValues("secretKeyRef")).as("secrets[].secretKeyRef").isEmpty();
    RegisterTaskDefinitionRequest.Builder builder = RegisterTaskDefinitionRequest.builder();
    SdkJson.fill(builder, content); // throws on a name the SDK does not know
    ObjectNode back = SdkJson.toJson(builder.build());
    assertThat(TaskDefinitionContent.request(back).toString().length()).isPositive();
    assertThat(TaskDefinitionContent.canonical(back)).isEqualTo(TaskDefinitionContent.canonical(content));
    ObjectNode canonical = TaskDefinitionContent.canonical(content);
    assertThat(TaskDefinitionContent.canonical(canonical)).as("idempotent").isEqualTo(canonical);
  }

  /**
   * Every path of a public field of the model class (and its nested model classes) into {@code all}, and those the
   * JSON sets (in any element of a list) into {@code set}.
   */
  private static void paths(Class<?> type, JsonNode json, String path, Set<String> all, Set<String> set) {
    for (Class<?> c = type; c != null && c != Object.class && c != AwsResourceSpec.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) || !Modifier.isPublic(field.getModifiers())) {
          continue;
        }
        String name = path + "." + field.getName();
        all.add(name);
        JsonNode value = json == null ? null : json.get(field.getName());
        if (value != null) {
          set.add(name);
        }
        Class<?> element = elementType(field.getGenericType());
        if (element.getPackageName().equals(EcsTaskDefinitionSpec.class.getPackageName()) && !element.isEnum()) {
          if (value != null && value.isArray()) {
            value.forEach(item -> paths(element, item, name, all, set));
          }
          paths(element, value != null && value.isArray() ? null : value, name, all, set);
        }
      }
    }
  }

  private static Class<?> elementType(Type type) {
    if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
      return (Class<?>) p.getActualTypeArguments()[0];
    }
    return type instanceof Class<?> c ? c : Object.class;
  }
}
