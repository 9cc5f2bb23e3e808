package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.AdmissionIT;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The real API server rejects invalid EcsTaskDefinitions at admission, with the CRD's own message. */
class EcsTaskDefinitionValidationIT extends AdmissionIT {
  EcsTaskDefinitionValidationIT() {
    super("EcsTaskDefinition");
  }

  private static final String WEB = "containerDefinitions: [{name: web, image: nginx, memory: 512}]";

  private static String fargate(String cpu, String memory) {
    return """
        requiresCompatibilities: [FARGATE]
        networkMode: awsvpc
        cpu: "%s"
        memory: "%s"
        containerDefinitions: [{name: web, image: nginx}]
        """.formatted(cpu, memory);
  }

  @Test
  @SuppressWarnings("unchecked")
  void acceptsAFullValidSpecAndFillsDefaults() {
    GenericKubernetesResource r = apply("valid", """
        family: shop-web
        requiresCompatibilities: [FARGATE]
        networkMode: awsvpc
        cpu: "1 vCPU"
        memory: "2 GB"
        executionRoleArn: arn:aws:iam::123456789012:role/exec
        runtimePlatform: {cpuArchitecture: ARM64, operatingSystemFamily: LINUX}
        ephemeralStorage: {sizeInGiB: 30}
        volumes: [{name: data, efsVolumeConfiguration: {fileSystemId: fs-1, transitEncryption: ENABLED}}]
        containerDefinitions:
        - name: web
          image: nginx
          portMappings: [{containerPort: 80, protocol: tcp, name: http, appProtocol: http}]
          environment: [{name: A, value: "1"}]
          secrets: [{name: DB, valueFrom: arn:aws:ssm:eu-west-1:123456789012:parameter/db}]
          healthCheck: {command: [CMD-SHELL, "curl -f localhost"], interval: 10}
          logConfiguration: {logDriver: awslogs, options: {awslogs-group: /ecs/web}}
          linuxParameters: {initProcessEnabled: true, capabilities: {add: [SYS_PTRACE]}}
          dependsOn: [{containerName: sidecar, condition: START}]
          ulimits: [{name: nofile, softLimit: 1024, hardLimit: 4096}]
          versionConsistency: disabled
        - name: sidecar
          image: busybox
          essential: false
        tags: {team: web}
        """);
    Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("revisionHistoryLimit", 5).containsEntry("managementPolicy", "Managed");
    List<Map<String, Object>> containers = (List<Map<String, Object>>) spec.get("containerDefinitions");
    assertThat(containers.get(0)).containsEntry("essential", true);
    assertThat(containers.get(1)).containsEntry("essential", false);
  }

  @ParameterizedTest(name = "valid Fargate size {0}/{1}")
  @CsvSource({"256,512", "256,2048", "512,4096", "1024,2048", "0.5 vCPU,1GB", "1 vCPU,8 GB", "2048,16384",
      "4096,30720", "8192,61440", "8192,16384", "16384,122880", "16384,40960", "4 vCPU,8192"})
  void acceptsEveryFargateSizeKind(String cpu, String memory) {
    apply("size-" + UUID.randomUUID().toString().substring(0, 6), fargate(cpu, memory));
  }

  @ParameterizedTest(name = "invalid Fargate size {0}/{1}")
  @CsvSource({"256,4096", "512,512", "512,1536", "1024,9216", "2048,2048", "4096,31744", "8192,18432",
      "16384,36864", "3 vCPU,6GB", "128,512", "1 vCPU,1GB"})
  void rejectsInvalidFargateSizes(String cpu, String memory) {
    rejected("bad-size", fargate(cpu, memory), "cpu and memory are not a valid Fargate size");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      host   | host: {sourcePath: /data}
      efs    | efsVolumeConfiguration: {fileSystemId: fs-1}
      docker | dockerVolumeConfiguration: {scope: task}
      """)
  void rejectsAVolumeConfiguredAtLaunchWithAnotherSource(String what, String source) {
    rejected("launch-" + what, "containerDefinitions: [{name: web, image: a, memory: 64}]\nvolumes: [{name: data, "
        + "configuredAtLaunch: true, " + source + "}]", "a volume configuredAtLaunch takes its configuration from the "
        + "service");
  }

  @Test
  void acceptsAVolumeConfiguredAtLaunchAndOneThatIsNot() {
    apply("launch-ok", "containerDefinitions: [{name: web, image: a, memory: 64}]\nvolumes: [{name: data, "
        + "configuredAtLaunch: true}, {name: efs, configuredAtLaunch: false, efsVolumeConfiguration: "
        + "{fileSystemId: fs-1}}]");
  }

  @Test
  void rejectsFargateWithoutAwsvpc() {
    rejected("fargate-bridge", """
        requiresCompatibilities: [FARGATE]
        networkMode: bridge
        cpu: "256"
        memory: "512"
        containerDefinitions: [{name: web, image: nginx}]
        """, "requiresCompatibilities FARGATE needs networkMode: awsvpc");
  }

  @Test
  void rejectsFargateWithoutTaskCpuAndMemory() {
    rejected("fargate-nosize", """
        requiresCompatibilities: [EC2, FARGATE]
        networkMode: awsvpc
        containerDefinitions: [{name: web, image: nginx, memory: 512}]
        """, "requiresCompatibilities FARGATE needs task-level cpu and memory");
  }

  @ParameterizedTest(name = "environment entry {0}")
  @CsvSource(delimiter = '|', textBlock = """
      both    | {name: A, value: x, valueFrom: {configMapKeyRef: {name: cfg, key: a}}}
      """)
  void rejectsAnEnvironmentEntryWithBothValueAndValueFrom(String what, String entry) {
    rejected("env-" + what, "containerDefinitions: [{name: web, image: a, memory: 64, environment: [" + entry + "]}]",
        "value and valueFrom are exclusive");
  }

  @ParameterizedTest(name = "image and imageFrom: {0}")
  @CsvSource(delimiter = '|', textBlock = """
      both    | image: a, imageFrom: {ecrRepositoryRef: {name: app}, tag: v1}
      neither | command: [run]
      """)
  void rejectsAContainerWithoutExactlyOneOfImageAndImageFrom(String what, String fields) {
    rejected("image-" + what, "containerDefinitions: [{name: web, memory: 64, " + fields + "}]",
        "give exactly one of image and imageFrom");
  }

  @Test
  void rejectsAnUnknownMaxSeverity() {
    rejected("severity", "containerDefinitions: [{name: web, memory: 64, imageFrom: {ecrRepositoryRef: {name: app}, "
        + "tag: v1, maxSeverity: SEVERE}}]", "maxSeverity");
  }

  @Test
  void acceptsImageFrom() {
    apply("image-from", """
        containerDefinitions:
        - {name: web, memory: 64, imageFrom: {ecrRepositoryRef: {name: app}, tag: v1, maxSeverity: HIGH}}
        - {name: sidecar, memory: 64, image: busybox, essential: false}
        """);
  }

  @ParameterizedTest(name = "secrets entry {0}")
  @CsvSource(delimiter = '|', textBlock = """
      both    | {name: S, valueFrom: arn:aws:ssm:eu-west-1:123456789012:parameter/s, secretKeyRef: {name: db, key: k}}
      neither | {name: S}
      """)
  void rejectsASecretsEntryWithoutExactlyOneOfValueFromAndSecretKeyRef(String what, String entry) {
    rejected("secret-" + what, "containerDefinitions: [{name: web, image: a, memory: 64, secrets: [" + entry + "]}]",
        "give exactly one of valueFrom");
  }

  @ParameterizedTest(name = "environmentFrom entry {0}")
  @CsvSource(delimiter = '|', textBlock = """
      both    | {configMapRef: {name: cfg}, secretRef: {name: db}}
      neither | {prefix: P_}
      """)
  void rejectsAnEnvironmentFromEntryWithoutExactlyOneSource(String what, String entry) {
    rejected("envfrom-" + what, "containerDefinitions: [{name: web, image: a, memory: 64, environmentFrom: [" + entry
        + "]}]", "give exactly one of configMapRef and secretRef");
  }

  @Test
  void acceptsSecretKeyRefAndSecretRef() {
    apply("secret-refs", "containerDefinitions: [{name: web, image: a, memory: 64, "
        + "secrets: [{name: S, secretKeyRef: {name: db, key: k, optional: true}}], "
        + "environmentFrom: [{secretRef: {name: db}, prefix: DB_}]}]");
  }

  @Test
  void acceptsAnEnvironmentEntryWithANameAlone() {
    apply("env-name-only", "containerDefinitions: [{name: web, image: a, memory: 64, environment: [{name: A}]}]");
  }

  @Test
  void acceptsConfigMapReferences() {
    apply("configmaps", """
        containerDefinitions:
        - name: web
          image: nginx
          memory: 64
          environment: [{name: A, valueFrom: {configMapKeyRef: {name: cfg, key: a, optional: true}}}]
          environmentFrom: [{configMapRef: {name: cfg}, prefix: CFG_}]
        """);
  }

  @Test
  void acceptsConfigMapReferencesAsParameterOrEnvironmentAndRejectsAnotherDestination() {
    apply("configmaps-as", """
        containerDefinitions:
        - name: web
          image: nginx
          memory: 64
          environment: [{name: A, valueFrom: {configMapKeyRef: {name: cfg, key: a, as: Parameter}}}]
          environmentFrom: [{configMapRef: {name: cfg, as: Parameter}}, {configMapRef: {name: b, as: Environment}}]
        """);
    rejected("configmaps-as-bad", "containerDefinitions: [{name: web, image: a, memory: 64, environment: [{name: A, "
        + "valueFrom: {configMapKeyRef: {name: cfg, key: a, as: SecureString}}}]}]", "as");
  }

  @Test
  void rejectsDuplicateContainerNames() {
    rejected("dup", "containerDefinitions: [{name: web, image: a, memory: 64}, {name: web, image: b, memory: 64}]",
        "container names must be unique");
  }

  @Test
  void rejectsNoEssentialContainer() {
    rejected("noessential", "containerDefinitions: [{name: web, image: a, memory: 64, essential: false}]",
        "at least one container must be essential");
  }

  @Test
  void rejectsContainersWithoutMemory() {
    rejected("nomemory", "containerDefinitions: [{name: web, image: a, memory: 64}, {name: side, image: b}]",
        "without task-level memory, every container needs memory or memoryReservation");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      bad-network     | networkMode: nat                                                         | Unsupported value
      bad-compat      | requiresCompatibilities: [LAMBDA]                                        | Unsupported value
      bad-protocol    | containerDefinitions: [{name: w, image: a, memory: 64, portMappings: [{containerPort: 80, protocol: sctp}]}] | Unsupported value
      bad-cpu-spelling| cpu: "1 core"                                                            | should match
      bad-mem-spelling| memory: "2 TB"                                                           | should match
      bad-storage     | ephemeralStorage: {sizeInGiB: 20}                                        | should be greater than or equal to 21
      big-storage     | ephemeralStorage: {sizeInGiB: 201}                                       | should be less than or equal to 200
      bad-limit       | revisionHistoryLimit: -1                                                 | should be greater than or equal to 0
      bad-family      | family: 'my family'                                                      | should match
      bad-pid         | pidMode: container                                                       | Unsupported value
      bad-consistency | containerDefinitions: [{name: w, image: a, memory: 64, versionConsistency: sometimes}] | Unsupported value
      reserved-tag    | tags: {'ecsbridge.io/content-hash': x}                                   | tag keys starting with ecsbridge.io/ or aws: are reserved
      no-containers   | containerDefinitions: []                                                 | should have at least 1 items
      """)
  void rejectsInvalidFields(String name, String spec, String message) {
    String full = spec.startsWith("containerDefinitions") ? spec : WEB + "\n" + spec;
    rejected(name, full, message);
  }

  @Test
  void familyIsImmutable() {
    apply("rename", "family: first\n" + WEB);
    rejected("rename", "family: second\n" + WEB, "family is immutable");
  }

  @Test
  void familyCannotBeAddedLater() {
    apply("add-family", WEB);
    rejected("add-family", "family: other\n" + WEB, "family is immutable");
  }

  @Test
  void regionIsImmutable() {
    apply("region", "region: eu-west-1\n" + WEB);
    rejected("region", "region: us-east-2\n" + WEB, "region is immutable");
  }

  @Test
  void regionCannotBeAddedLater() {
    apply("region-add", WEB);
    rejected("region-add", "region: us-east-2\n" + WEB, "region is immutable");
  }

  private static String container(String fields) {
    return "containerDefinitions: [{name: web, image: nginx, memory: 512, %s}]".formatted(fields);
  }

  static final String EXECUTION_ROLE = "executionRoleArn must be an IAM role ARN";
  static final String TASK_ROLE = "taskRoleArn must be an IAM role ARN";

  static Stream<Arguments> arnsThatAreNotArns() {
    return Stream.of(
        Arguments.of("exec-name", "executionRoleArn: ecsTaskExecutionRole\n" + WEB, EXECUTION_ROLE),
        Arguments.of("exec-user", "executionRoleArn: 'arn:aws:iam::123456789012:user/exec'\n" + WEB, EXECUTION_ROLE),
        Arguments.of("exec-account", "executionRoleArn: 'arn:aws:iam::12345:role/exec'\n" + WEB, EXECUTION_ROLE),
        Arguments.of("exec-service", "executionRoleArn: 'arn:aws:s3:::bucket/role/exec'\n" + WEB, EXECUTION_ROLE),
        Arguments.of("exec-empty-name", "executionRoleArn: 'arn:aws:iam::123456789012:role/'\n" + WEB,
            EXECUTION_ROLE),
        Arguments.of("task-policy", "taskRoleArn: 'arn:aws:iam::123456789012:policy/app'\n" + WEB, TASK_ROLE),
        Arguments.of("task-spaces", "taskRoleArn: 'my task role'\n" + WEB, TASK_ROLE),
        Arguments.of("secret-s3", container("secrets: [{name: A, valueFrom: 'arn:aws:s3:::bucket/secret'}]"),
            "should match"),
        Arguments.of("secret-spaces", container("secrets: [{name: A, valueFrom: 'my secret'}]"), "should match"),
        Arguments.of("log-secret-s3", container("logConfiguration: {logDriver: awsfirelens, secretOptions: "
            + "[{name: A, valueFrom: 'arn:aws:kms:eu-west-1:123456789012:key/k'}]}"), "should match"),
        Arguments.of("credentials-ssm", container("repositoryCredentials: {credentialsParameter: "
            + "'arn:aws:ssm:eu-west-1:123456789012:parameter/registry'}"), "should match"),
        Arguments.of("env-file-s3-url", container("environmentFiles: [{value: 's3://bucket/app.env', type: s3}]"),
            "should match"),
        Arguments.of("env-file-bucket", container("environmentFiles: [{value: 'arn:aws:s3:::bucket', type: s3}]"),
            "should match"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("arnsThatAreNotArns")
  void arnsThatAreNotArnsAreRefused(String name, String spec, String message) {
    rejected(name, spec, message);
  }

  @Test
  void everyFormAwsDocumentsIsAccepted() {
    apply("arn-forms", """
        executionRoleArn: 'arn:aws-us-gov:iam::123456789012:role/service-role/exec+=,.@-_1'
        taskRoleArn: app-task
        containerDefinitions:
        - name: web
          image: nginx
          memory: 512
          secrets:
          - {name: A, valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/shop/db'}
          - {name: B, valueFrom: /shop/db}
          - {name: C, valueFrom: shop.db-password_1}
          - {name: D, valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf:password::'}
          - {name: E, valueFrom: shop/db+=@}
          repositoryCredentials: {credentialsParameter: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:reg-1'}
          environmentFiles: [{value: 'arn:aws:s3:::my.Legacy_bucket/env/app.env', type: s3}]
        - name: side
          image: nginx
          memory: 64
          repositoryCredentials: {credentialsParameter: registry/dockerhub}
        """);
    apply("arn-task-role-arn", "taskRoleArn: 'arn:aws:iam::123456789012:role/app-task'\n" + WEB);
  }

  @Test
  void tagsAtAwsLimitsAreAccepted() {
    assertThat(apply("tags-at-limits", WEB + "\n" + tagsAtAwsLimits(true)).getMetadata().getUid()).isNotBlank();
  }

  static Stream<Arguments> tagsAwsRefuses() {
    return AdmissionIT.tagsAwsRefuses(true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tagsAwsRefuses")
  void rejectsTagsAwsRefuses(String name, String tags, String message) {
    rejected(name, WEB + "\n" + tags, message);
  }
}
