package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Normalization and hashing of task definition content: what must be equal is, what must differ does. */
public class TaskDefinitionContentTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  /** A Fargate web service as a person writes it. */
  public static final String SPEC = """
      family: web
      requiresCompatibilities: [FARGATE, EC2]
      networkMode: awsvpc
      cpu: "1 vCPU"
      memory: "2GB"
      executionRoleArn: arn:aws:iam::123456789012:role/exec
      taskRoleArn: arn:aws:iam::123456789012:role/task
      runtimePlatform: {cpuArchitecture: ARM64, operatingSystemFamily: LINUX}
      volumes:
      - {name: tmp}
      - {name: data, efsVolumeConfiguration: {fileSystemId: fs-1, transitEncryption: ENABLED}}
      placementConstraints:
      - {type: memberOf, expression: "attribute:ecs.os-type == linux"}
      - {type: memberOf, expression: "attribute:ecs.availability-zone in [eu-west-1a]"}
      containerDefinitions:
      - name: web
        image: nginx:1.27
        command: [nginx, -g, "daemon off;"]
        entryPoint: [/docker-entrypoint.sh]
        environment: [{name: B, value: "2"}, {name: A, value: "1"}]
        secrets: [{name: Z, valueFrom: arn:aws:ssm:eu-west-1:123456789012:parameter/z}, {name: Y, valueFrom: arn:aws:ssm:eu-west-1:123456789012:parameter/y}]
        portMappings: [{containerPort: 8080, name: admin}, {containerPort: 80, name: http, appProtocol: http}]
        mountPoints: [{sourceVolume: tmp, containerPath: /tmp}, {sourceVolume: data, containerPath: /data, readOnly: true}]
        volumesFrom: [{sourceContainer: side}]
        healthCheck: {command: [CMD-SHELL, "curl -f localhost || exit 1"], startPeriod: 10}
        logConfiguration: {logDriver: awslogs, options: {awslogs-group: /ecs/web, awslogs-region: eu-west-1}}
        dependsOn: [{containerName: side, condition: START}, {containerName: init, condition: SUCCESS}]
        ulimits: [{name: nproc, softLimit: 10, hardLimit: 20}, {name: nofile, softLimit: 1024, hardLimit: 4096}]
        linuxParameters: {initProcessEnabled: true, capabilities: {add: [SYS_PTRACE, NET_ADMIN], drop: [MKNOD, ALL]}}
        dockerLabels: {b: "2", a: "1"}
        readonlyRootFilesystem: true
        stopTimeout: 30
      - name: side
        image: busybox
        essential: false
        memoryReservation: 64
      - name: init
        image: busybox
        essential: false
      tags: {team: web}
      revisionHistoryLimit: 3
      """;

  public static ObjectNode specJson(String yaml) {
    return MAPPER.valueToTree(YAML.unmarshal(yaml, EcsTaskDefinitionSpec.class));
  }

  static ObjectNode canonical(String yaml) {
    return TaskDefinitionContent.canonical(specJson(yaml));
  }

  static String hash(String yaml) {
    return TaskDefinitionContent.hash(canonical(yaml));
  }

  @Test
  void theHashIsStableAndHex() {
    assertThat(hash(SPEC)).hasSize(64).matches("[0-9a-f]+").isEqualTo(hash(SPEC));
  }

  @Test
  void theSameSpecInAnotherOrderHasTheSameHash() {
    String reordered = """
        family: web
        revisionHistoryLimit: 3
        memory: "2GB"
        cpu: "1 vCPU"
        networkMode: awsvpc
        requiresCompatibilities: [EC2, FARGATE]
        taskRoleArn: arn:aws:iam::123456789012:role/task
        executionRoleArn: arn:aws:iam::123456789012:role/exec
        runtimePlatform: {operatingSystemFamily: LINUX, cpuArchitecture: ARM64}
        volumes:
        - {name: data, efsVolumeConfiguration: {transitEncryption: ENABLED, fileSystemId: fs-1}}
        - {name: tmp}
        placementConstraints:
        - {type: memberOf, expression: "attribute:ecs.availability-zone in [eu-west-1a]"}
        - {type: memberOf, expression: "attribute:ecs.os-type == linux"}
        containerDefinitions:
        - name: init
          image: busybox
          essential: false
        - name: side
          memoryReservation: 64
          image: busybox
          essential: false
        - name: web
          image: nginx:1.27
          stopTimeout: 30
          readonlyRootFilesystem: true
          dockerLabels: {a: "1", b: "2"}
          linuxParameters: {capabilities: {drop: [ALL, MKNOD], add: [NET_ADMIN, SYS_PTRACE]}, initProcessEnabled: true}
          ulimits: [{name: nofile, softLimit: 1024, hardLimit: 4096}, {name: nproc, softLimit: 10, hardLimit: 20}]
          dependsOn: [{containerName: init, condition: SUCCESS}, {containerName: side, condition: START}]
          logConfiguration: {options: {awslogs-region: eu-west-1, awslogs-group: /ecs/web}, logDriver: awslogs}
          healthCheck: {startPeriod: 10, command: [CMD-SHELL, "curl -f localhost || exit 1"]}
          volumesFrom: [{sourceContainer: side}]
          mountPoints: [{sourceVolume: data, containerPath: /data, readOnly: true}, {containerPath: /tmp, sourceVolume: tmp}]
          portMappings: [{containerPort: 80, name: http, appProtocol: http}, {name: admin, containerPort: 8080}]
          secrets: [{name: Y, valueFrom: arn:aws:ssm:eu-west-1:123456789012:parameter/y}, {name: Z, valueFrom: arn:aws:ssm:eu-west-1:123456789012:parameter/z}]
          environment: [{name: A, value: "1"}, {name: B, value: "2"}]
          entryPoint: [/docker-entrypoint.sh]
          command: [nginx, -g, "daemon off;"]
        tags: {team: web}
        """;
    assertThat(canonical(reordered)).isEqualTo(canonical(SPEC));
    assertThat(hash(reordered)).isEqualTo(hash(SPEC));
  }

  @Test
  void defaultsSpelledOutAndUnitsSpelledDifferentlyHaveTheSameHash() {
    String explicit = SPEC
        .replace("cpu: \"1 vCPU\"", "cpu: \"1024\"")
        .replace("memory: \"2GB\"", "memory: \"2 GB\"")
        .replace("{containerPort: 8080, name: admin}",
            "{containerPort: 8080, hostPort: 8080, protocol: tcp, name: admin}")
        .replace("startPeriod: 10}", "startPeriod: 10, interval: 30, timeout: 5, retries: 3}")
        .replace("{sourceVolume: tmp, containerPath: /tmp}", "{sourceVolume: tmp, containerPath: /tmp, readOnly: false}")
        .replace("volumesFrom: [{sourceContainer: side}]", "volumesFrom: [{sourceContainer: side, readOnly: false}]")
        .replace("stopTimeout: 30", "stopTimeout: 30\n  cpu: 0\n  essential: true\n  privileged: false\n"
            + "  versionConsistency: enabled\n  links: []\n  systemControls: []\n  dnsServers: []")
        .replace("{fileSystemId: fs-1, transitEncryption: ENABLED}",
            "{fileSystemId: fs-1, transitEncryption: ENABLED, rootDirectory: /}");
    assertThat(explicit).isNotEqualTo(SPEC);
    assertThat(TaskDefinitionContent.differences(canonical(SPEC), canonical(explicit))).isEmpty();
    assertThat(hash(explicit)).isEqualTo(hash(SPEC));
  }

  @Test
  void thingsThatAreNotContentDoNotChangeTheHash() {
    String other = SPEC.replace("tags: {team: web}", "tags: {team: payments, cost: x}")
        .replace("revisionHistoryLimit: 3", "revisionHistoryLimit: 9\nregion: us-east-2\nmanagementPolicy: Adopt\n"
            + "deletionPolicy: Retain")
        .replace("family: web", "family: other");
    assertThat(hash(other)).isEqualTo(hash(SPEC));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"256,256", "1 vCPU,1024", "1vcpu,1024", "0.5 vCPU,512", "0.25 vCPU,256", "2 vCPU,2048",
      "16 vCPU,16384", " 512 ,512"})
  void cpuUnits(String spelled, String units) {
    assertThat(TaskDefinitionContent.cpuUnits(spelled)).isEqualTo(units);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"512,512", "1GB,1024", "2 GB,2048", "2gb,2048", "0.5GB,512", "30 GB,30720", "120GB,122880",
      "3072,3072"})
  void memoryMib(String spelled, String mib) {
    assertThat(TaskDefinitionContent.memoryMib(spelled)).isEqualTo(mib);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "image: nginx:1.27 => image: nginx:1.28",
      "{name: B, value: \"2\"} => {name: B, value: \"3\"}",
      "cpu: \"1 vCPU\" => cpu: \"2 vCPU\"",
      "memory: \"2GB\" => memory: \"3GB\"",
      "role/task => role/other",
      "command: [nginx, -g, \"daemon off;\"] => command: [-g, nginx, \"daemon off;\"]",
      "entryPoint: [/docker-entrypoint.sh] => entryPoint: [/docker-entrypoint.sh, -x]",
      "[CMD-SHELL, \"curl -f localhost || exit 1\"] => [\"curl -f localhost || exit 1\", CMD-SHELL]",
      "{containerPort: 8080, name: admin} => {containerPort: 8080, name: admin, protocol: udp}",
      "{containerPort: 8080, name: admin} => {containerPort: 8080, hostPort: 9090, name: admin}",
      "{sourceVolume: tmp, containerPath: /tmp} => {sourceVolume: tmp, containerPath: /tmp, readOnly: true}",
      "startPeriod: 10} => startPeriod: 10, retries: 4}",
      "essential: false\n  memoryReservation: 64 => essential: true\n  memoryReservation: 64",
      "readonlyRootFilesystem: true => readonlyRootFilesystem: false",
      "initProcessEnabled: true => initProcessEnabled: false",
      "add: [SYS_PTRACE, NET_ADMIN] => add: [SYS_PTRACE]",
      "dockerLabels: {b: \"2\", a: \"1\"} => dockerLabels: {b: \"2\", a: \"x\"}",
      "stopTimeout: 30 => stopTimeout: 30\n  versionConsistency: disabled",
      "- {name: tmp} => - {name: tmp2}",
      "ENABLED}} => ENABLED, rootDirectory: /x}}",
      "[eu-west-1a] => [eu-west-1b]",
      "cpuArchitecture: ARM64 => cpuArchitecture: X86_64",
      "networkMode: awsvpc\n => networkMode: awsvpc\npidMode: task\n",
  })
  void aRealChangeChangesTheHash(String change) {
    String[] fromTo = change.split(" => ");
    assertThat(SPEC).contains(fromTo[0]);
    String changed = SPEC.replace(fromTo[0], fromTo[1]);
    assertThat(hash(changed)).isNotEqualTo(hash(SPEC));
    assertThat(TaskDefinitionContent.differences(canonical(changed), canonical(SPEC))).isNotEmpty();
  }

  @Test
  void underBridgeHostPortZeroIsAbsentButUnderAwsvpcAbsentIsTheContainerPort() {
    String bridge = "containerDefinitions: [{name: w, image: a, memory: 64, portMappings: [{containerPort: 80%s}]}]";
    assertThat(hash(bridge.formatted(", hostPort: 0"))).isEqualTo(hash(bridge.formatted("")));
    assertThat(hash(bridge.formatted(", hostPort: 80"))).isNotEqualTo(hash(bridge.formatted("")));
    assertThat(hash("networkMode: bridge\n" + bridge.formatted(""))).isEqualTo(hash(bridge.formatted("")));

    String awsvpc = "networkMode: awsvpc\n" + bridge;
    assertThat(hash(awsvpc.formatted(", hostPort: 80"))).isEqualTo(hash(awsvpc.formatted("")));
    String host = "networkMode: host\n" + bridge;
    assertThat(hash(host.formatted(", hostPort: 80"))).isEqualTo(hash(host.formatted("")));
  }

  @Test
  void newerFieldsFollowTheSameRules() {
    String base = """
        containerDefinitions:
        - name: w
          image: a
          memory: 64
          restartPolicy: {enabled: true, ignoredExitCodes: [3, 1]}
          linuxParameters: {devices: [{hostPath: /dev/b, permissions: [write, read]}, {hostPath: /dev/a}]}
        volumes: [{name: d, dockerVolumeConfiguration: {scope: shared}}]
        """;
    String same = """
        enableFaultInjection: false
        volumes: [{name: d, dockerVolumeConfiguration: {scope: shared, driver: local, autoprovision: false}}]
        containerDefinitions:
        - name: w
          image: a
          memory: 64
          restartPolicy: {enabled: true, ignoredExitCodes: [1, 3], restartAttemptPeriod: 300}
          linuxParameters: {devices: [{hostPath: /dev/a}, {hostPath: /dev/b, permissions: [read, write]}]}
        """;
    assertThat(hash(same)).isEqualTo(hash(base));
    assertThat(hash(base.replace("enabled: true, ignoredExitCodes: [3, 1]", "enabled: false")))
        .isEqualTo(hash(base.replace("  restartPolicy: {enabled: true, ignoredExitCodes: [3, 1]}\n", "")));
    assertThat(hash(base.replace("[3, 1]", "[3, 2]"))).isNotEqualTo(hash(base));
    assertThat(hash("enableFaultInjection: true\n" + base)).isNotEqualTo(hash(base));
  }

  @Test
  void differencesNameTheFieldsForPeople() {
    String changed = SPEC.replace("image: nginx:1.27", "image: nginx:1.28").replace("role/task", "role/other")
        .replace("- name: init\n  image: busybox\n  essential: false\n", "");
    assertThat(TaskDefinitionContent.differences(canonical(changed), canonical(SPEC)))
        .containsExactly("containerDefinitions[init]", "containerDefinitions[web].image", "taskRoleArn");
  }

  /** What real ECS returns for SPEC: defaults filled, lists reordered, units converted, read-only fields added. */
  public static final String REAL_ECS_DESCRIBE = """
      {
        "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7",
        "containerDefinitions": [
          {"name": "side", "image": "busybox", "cpu": 0, "memoryReservation": 64, "portMappings": [],
           "essential": false, "environment": [], "mountPoints": [], "volumesFrom": [], "systemControls": []},
          {"name": "web", "image": "nginx:1.27", "cpu": 0,
           "portMappings": [
             {"containerPort": 8080, "hostPort": 8080, "protocol": "tcp", "name": "admin"},
             {"containerPort": 80, "hostPort": 80, "protocol": "tcp", "name": "http", "appProtocol": "http"}],
           "essential": true, "entryPoint": ["/docker-entrypoint.sh"], "command": ["nginx", "-g", "daemon off;"],
           "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
           "environmentFiles": [],
           "mountPoints": [{"sourceVolume": "data", "containerPath": "/data", "readOnly": true},
             {"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": false}],
           "volumesFrom": [{"sourceContainer": "side", "readOnly": false}],
           "linuxParameters": {"capabilities": {"add": ["NET_ADMIN", "SYS_PTRACE"], "drop": ["ALL", "MKNOD"]},
             "initProcessEnabled": true, "devices": [], "tmpfs": []},
           "secrets": [{"name": "Y", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/y"},
             {"name": "Z", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/z"}],
           "dependsOn": [{"containerName": "side", "condition": "START"}, {"containerName": "init", "condition": "SUCCESS"}],
           "stopTimeout": 30, "readonlyRootFilesystem": true, "dockerLabels": {"a": "1", "b": "2"},
           "ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096},
             {"name": "nproc", "softLimit": 10, "hardLimit": 20}],
           "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web",
             "awslogs-region": "eu-west-1"}, "secretOptions": []},
           "healthCheck": {"command": ["CMD-SHELL", "curl -f localhost || exit 1"], "interval": 30, "timeout": 5,
             "retries": 3, "startPeriod": 10},
           "systemControls": [], "versionConsistency": "enabled"},
          {"name": "init", "image": "busybox", "cpu": 0, "portMappings": [], "essential": false, "environment": [],
           "mountPoints": [], "volumesFrom": [], "systemControls": []}
        ],
        "family": "web",
        "taskRoleArn": "arn:aws:iam::123456789012:role/task",
        "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
        "networkMode": "awsvpc",
        "revision": 7,
        "volumes": [
          {"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-1", "rootDirectory": "/",
            "transitEncryption": "ENABLED"}},
          {"name": "tmp", "host": {}}],
        "status": "ACTIVE",
        "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.logging-driver.awslogs"},
          {"name": "ecs.capability.execution-role-awslogs"}, {"name": "ecs.capability.efsAuth"},
          {"name": "com.amazonaws.ecs.capability.task-iam-role"}],
        "placementConstraints": [
          {"type": "memberOf", "expression": "attribute:ecs.availability-zone in [eu-west-1a]"},
          {"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}],
        "compatibilities": ["EC2", "FARGATE"],
        "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        "requiresCompatibilities": ["EC2", "FARGATE"],
        "cpu": "1024",
        "memory": "2048",
        "registeredAt": "2026-11-20T10:15:30.123Z",
        "registeredBy": "arn:aws:sts::123456789012:assumed-role/ci/session",
        "enableFaultInjection": false
      }
      """;

  public static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void aRealEcsDescribeResponseNormalizesToTheSpec() {
    ObjectNode live = TaskDefinitionContent.canonical(json(REAL_ECS_DESCRIBE));
    assertThat(TaskDefinitionContent.differences(canonical(SPEC), live)).isEmpty();
    assertThat(live).isEqualTo(canonical(SPEC));
    assertThat(TaskDefinitionContent.hash(live)).isEqualTo(hash(SPEC));
  }

  /** What moto 5.2.1 returns for SPEC: units as sent, its own few defaults (cpu 0, empty lists, EFS root /). */
  @Test
  void aMotoDescribeResponseNormalizesToTheSpec() {
    ObjectNode moto = (ObjectNode) json(REAL_ECS_DESCRIBE);
    moto.put("cpu", "1 vCPU").put("memory", "2GB");
    moto.remove(java.util.List.of("requiresAttributes", "registeredAt", "registeredBy", "enableFaultInjection"));
    ObjectNode web = (ObjectNode) moto.get("containerDefinitions").get(1);
    web.remove("versionConsistency");
    ((ObjectNode) web.get("healthCheck")).remove(java.util.List.of("interval", "timeout", "retries"));
    web.get("portMappings").forEach(p -> ((ObjectNode) p).remove(java.util.List.of("hostPort", "protocol")));
    web.set("environment", json("[{\"name\": \"B\", \"value\": \"2\"}, {\"name\": \"A\", \"value\": \"1\"}]"));
    assertThat(TaskDefinitionContent.canonical(moto)).isEqualTo(canonical(SPEC));
  }

  @Test
  void anEc2TaskWithoutNetworkModeEqualsItsBridgeRevision() {
    String spec = "containerDefinitions: [{name: w, image: a, memory: 64, portMappings: [{containerPort: 80}]}]";
    String live = """
        {"family": "w", "networkMode": "bridge", "compatibilities": ["EC2"], "placementConstraints": [], "volumes": [],
         "containerDefinitions": [{"name": "w", "image": "a", "memory": 64, "cpu": 0, "essential": true,
           "portMappings": [{"containerPort": 80, "hostPort": 0, "protocol": "tcp"}], "environment": [],
           "mountPoints": [], "volumesFrom": []}]}
        """;
    assertThat(TaskDefinitionContent.canonical(json(live))).isEqualTo(canonical(spec));
  }

  @Test
  void aFieldTheSpecDoesNotModelStillCountsInsideContainers() {
    ObjectNode live = (ObjectNode) json(REAL_ECS_DESCRIBE);
    ((ObjectNode) live.get("containerDefinitions").get(1)).put("hostname", "x").put("privileged", true);
    assertThat(TaskDefinitionContent.differences(canonical(SPEC), TaskDefinitionContent.canonical(live)))
        .containsExactly("containerDefinitions[web].hostname", "containerDefinitions[web].privileged");
  }
}
