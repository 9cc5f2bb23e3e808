package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Shape;

import static io.ecsbridge.contract.Shape.clean;
import static io.ecsbridge.contract.Shape.removeIfFalse;
import static io.ecsbridge.contract.Shape.sortBy;
import static io.ecsbridge.contract.Shape.sortStrings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content of a task definition in canonical form, and its hash: two task definitions that ECS treats as the same
 * have the same canonical form, whether it is a spec as a person wrote it or a revision as DescribeTaskDefinition
 * returns it (real ECS or moto). Pure functions on JSON in the RegisterTaskDefinition shape.
 *
 * <p>The rules (see ECS-NOTES.md): only content fields count (read-only fields of a revision, tags and
 * Kubernetes-only fields are dropped); nulls, empty lists, empty maps and empty objects equal absent; AWS defaults
 * are filled (container cpu 0, essential true, port protocol tcp, hostPort = containerPort under awsvpc and host,
 * hostPort 0 = absent under bridge, health check interval/timeout/retries 30/5/3, versionConsistency enabled,
 * networkMode bridge on Linux, EFS rootDirectory / with transit encryption and IAM DISABLED, Docker volume scope task
 * and driver local, restart attempt period 300, a disabled restart policy = none, false for flags that default to
 * false); lists ECS treats as sets are sorted by a stable key; command, entryPoint, healthCheck.command and the DNS
 * lists keep their order; task cpu and memory are converted to units and MiB ("1 vCPU" = "1024", "2GB" = "2048").
 * The rules every kind shares (absent = null = empty, sets sorted by a key) are {@link Shape}'s.
 */
public final class TaskDefinitionContent {
  /** Tag on each revision this operator registers: the hash of its canonical content. */
  public static final String HASH_TAG = "ecsbridge.io/content-hash";

  /** The content fields of RegisterTaskDefinition this operator manages (family and tags are not content). */
  public static final List<String> FIELDS = List.of("containerDefinitions", "cpu", "memory", "networkMode",
      "requiresCompatibilities", "executionRoleArn", "taskRoleArn", "volumes", "ephemeralStorage",
      "runtimePlatform", "placementConstraints", "pidMode", "ipcMode", "proxyConfiguration", "enableFaultInjection",
      "inferenceAccelerators");

  /**
   * Container fields that are Kubernetes-only: resolved by ecs-bridge ({@link TaskDefinitionReferences}) and never
   * sent to AWS. An environment entry with valueFrom is Kubernetes-only too: it reaches AWS only resolved.
   */
  public static final List<String> KUBERNETES_ONLY_CONTAINER_FIELDS = List.of("environmentFrom", "imageFrom");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern CPU = Pattern.compile("(?i)^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(vcpu)?\\s*$");
  private static final Pattern MEMORY = Pattern.compile("(?i)^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(gb|mb|mib|gib)?\\s*$");
  /** Container flags whose absence means false. */
  private static final List<String> FALSE_BY_DEFAULT = List.of("privileged", "readonlyRootFilesystem", "interactive",
      "pseudoTerminal", "disableNetworking");

  private TaskDefinitionContent() {}

  /**
   * The RegisterTaskDefinition content of a spec or a revision: the content fields only, nulls dropped, and the
   * Kubernetes-only container fields dropped (environmentFrom, environment entries not resolved into a value, secrets
   * entries with a secretKeyRef not resolved into a valueFrom: a spec
   * reaches AWS through {@link TaskDefinitionReferences#resolved}).
   */
  public static ObjectNode request(JsonNode taskDefinition) {
    ObjectNode out = NODES.objectNode();
    for (String field : FIELDS) {
      JsonNode value = taskDefinition.get(field);
      if (value != null && !value.isNull()) {
        out.set(field, value.deepCopy());
      }
    }
    if (out.get("containerDefinitions") instanceof ArrayNode containers) {
      for (JsonNode c : containers) {
        if (c instanceof ObjectNode container) {
          container.remove(KUBERNETES_ONLY_CONTAINER_FIELDS);
          if (container.get("environment") instanceof ArrayNode environment) {
            for (int i = environment.size() - 1; i >= 0; i--) {
              if (environment.get(i).has("valueFrom")) {
                environment.remove(i);
              }
            }
          }
          if (container.get("secrets") instanceof ArrayNode secrets) {
            for (int i = secrets.size() - 1; i >= 0; i--) {
              if (secrets.get(i).has("secretKeyRef")) {
                secrets.remove(i); // reaches AWS only resolved (TaskDefinitionSecrets)
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** The canonical form of a task definition (a spec's JSON, a request, or a DescribeTaskDefinition result). */
  public static ObjectNode canonical(JsonNode taskDefinition) {
    ObjectNode td = (ObjectNode) clean(request(taskDefinition));
    boolean windows = td.path("runtimePlatform").path("operatingSystemFamily").asText("").startsWith("WINDOWS");
    if (!td.has("networkMode") && !windows) {
      td.put("networkMode", "bridge");
    }
    String networkMode = td.path("networkMode").asText(null);
    if (td.has("cpu")) {
      td.put("cpu", cpuUnits(td.get("cpu").asText()));
    }
    if (td.has("memory")) {
      td.put("memory", memoryMib(td.get("memory").asText()));
    }
    if (td.get("containerDefinitions") instanceof ArrayNode containers) {
      containers.forEach(c -> container((ObjectNode) c, networkMode));
      sortBy(containers, "name");
    }
    sortStrings(td, "requiresCompatibilities");
    if (td.get("volumes") instanceof ArrayNode volumes) {
      volumes.forEach(v -> volume((ObjectNode) v));
      sortBy(volumes, "name");
    }
    sortBy(td.get("placementConstraints"), "type", "expression");
    sortBy(td.get("inferenceAccelerators"), "deviceName");
    removeIfFalse(td, "enableFaultInjection");
    if (td.get("proxyConfiguration") instanceof ObjectNode proxy) {
      proxy.putIfAbsent("type", NODES.textNode("APPMESH"));
      sortBy(proxy.get("properties"), "name");
    }
    return (ObjectNode) clean(td);
  }

  private static void container(ObjectNode c, String networkMode) {
    c.putIfAbsent("cpu", NODES.numberNode(0L));
    c.putIfAbsent("essential", NODES.booleanNode(true));
    c.putIfAbsent("versionConsistency", NODES.textNode("enabled"));
    FALSE_BY_DEFAULT.forEach(flag -> removeIfFalse(c, flag));
    sortBy(c.get("environment"), "name", "value");
    sortBy(c.get("secrets"), "name", "valueFrom");
    if (c.get("portMappings") instanceof ArrayNode ports) {
      for (JsonNode p : ports) {
        ObjectNode port = (ObjectNode) p;
        port.putIfAbsent("protocol", NODES.textNode("tcp"));
        boolean hostPortIsContainerPort = "awsvpc".equals(networkMode) || "host".equals(networkMode);
        if (hostPortIsContainerPort && !port.has("hostPort") && port.has("containerPort")) {
          port.set("hostPort", port.get("containerPort"));
        }
        if ("bridge".equals(networkMode) && port.path("hostPort").asLong(-1) == 0) {
          port.remove("hostPort");
        }
      }
      sortBy(ports, "containerPort", "containerPortRange", "protocol", "hostPort", "name");
    }
    if (c.get("mountPoints") instanceof ArrayNode mounts) {
      mounts.forEach(m -> removeIfFalse((ObjectNode) m, "readOnly"));
      sortBy(mounts, "containerPath", "sourceVolume");
    }
    if (c.get("volumesFrom") instanceof ArrayNode from) {
      from.forEach(m -> removeIfFalse((ObjectNode) m, "readOnly"));
      sortBy(from, "sourceContainer");
    }
    if (c.get("healthCheck") instanceof ObjectNode health && health.has("command")) {
      health.putIfAbsent("interval", NODES.numberNode(30L));
      health.putIfAbsent("timeout", NODES.numberNode(5L));
      health.putIfAbsent("retries", NODES.numberNode(3L));
      if (health.path("startPeriod").asLong(-1) == 0) {
        health.remove("startPeriod");
      }
    }
    if (c.get("restartPolicy") instanceof ObjectNode restart) {
      if (restart.path("enabled").asBoolean(false)) {
        restart.putIfAbsent("restartAttemptPeriod", NODES.numberNode(300L));
        if (restart.get("ignoredExitCodes") instanceof ArrayNode codes) {
          List<Long> sorted = new ArrayList<>();
          codes.forEach(code -> sorted.add(code.asLong()));
          sorted.sort(Comparator.naturalOrder());
          codes.removeAll();
          sorted.forEach(codes::add);
        }
      } else {
        c.remove("restartPolicy"); // disabled: the same as none
      }
    }
    if (c.get("logConfiguration") instanceof ObjectNode log) {
      sortBy(log.get("secretOptions"), "name", "valueFrom");
    }
    sortBy(c.get("ulimits"), "name");
    sortBy(c.get("extraHosts"), "hostname", "ipAddress");
    sortBy(c.get("dependsOn"), "containerName", "condition");
    sortBy(c.get("resourceRequirements"), "type", "value");
    sortBy(c.get("systemControls"), "namespace", "value");
    if (c.get("linuxParameters") instanceof ObjectNode linux) {
      removeIfFalse(linux, "initProcessEnabled");
      if (linux.get("capabilities") instanceof ObjectNode caps) {
        sortStrings(caps, "add");
        sortStrings(caps, "drop");
      }
      if (linux.get("devices") instanceof ArrayNode devices) {
        devices.forEach(d -> sortStrings((ObjectNode) d, "permissions"));
        sortBy(devices, "hostPath", "containerPath");
      }
      if (linux.get("tmpfs") instanceof ArrayNode tmpfs) {
        tmpfs.forEach(t -> sortStrings((ObjectNode) t, "mountOptions"));
        sortBy(tmpfs, "containerPath");
      }
    }
  }

  private static void volume(ObjectNode v) {
    removeIfFalse(v, "configuredAtLaunch");
    if (v.get("efsVolumeConfiguration") instanceof ObjectNode efs) {
      if ("/".equals(efs.path("rootDirectory").asText())) {
        efs.remove("rootDirectory");
      }
      if ("DISABLED".equals(efs.path("transitEncryption").asText())) {
        efs.remove("transitEncryption");
      }
      if (efs.get("authorizationConfig") instanceof ObjectNode auth && "DISABLED".equals(auth.path("iam").asText())) {
        auth.remove("iam");
      }
    }
    if (v.get("dockerVolumeConfiguration") instanceof ObjectNode docker) {
      docker.putIfAbsent("scope", NODES.textNode("task"));
      if ("local".equals(docker.path("driver").asText())) {
        docker.remove("driver");
      }
      removeIfFalse(docker, "autoprovision");
    }
  }

  /** Task CPU in units: "1 vCPU" and "1024" are both "1024"; an unknown spelling is returned trimmed. */
  public static String cpuUnits(String cpu) {
    Matcher m = CPU.matcher(cpu);
    if (!m.matches()) {
      return cpu.trim();
    }
    return scaled(m.group(1), m.group(2) != null);
  }

  /** Task memory in MiB: "2GB", "2 GB" and "2048" are all "2048"; an unknown spelling is returned trimmed. */
  public static String memoryMib(String memory) {
    Matcher m = MEMORY.matcher(memory);
    if (!m.matches()) {
      return memory.trim();
    }
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase();
    return scaled(m.group(1), unit.equals("gb") || unit.equals("gib"));
  }

  private static String scaled(String number, boolean times1024) {
    BigDecimal value = new BigDecimal(number);
    if (times1024) {
      value = value.multiply(BigDecimal.valueOf(1024));
    }
    return value.stripTrailingZeros().toPlainString();
  }

  /** SHA-256 of the canonical content, hex: the value of the {@link #HASH_TAG} tag. */
  public static String hash(JsonNode canonical) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(MAPPER.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Where two canonical task definitions differ, for people: top-level field names, and containerDefinitions[name]
   * or containerDefinitions[name].field for containers.
   */
  public static List<String> differences(JsonNode desired, JsonNode live) {
    List<String> out = new ArrayList<>();
    for (String field : FIELDS) {
      JsonNode a = desired.get(field);
      JsonNode b = live.get(field);
      if (Objects.equals(a, b)) {
        continue;
      }
      if (field.equals("containerDefinitions") && a != null && b != null) {
        Map<String, JsonNode> want = byName(a);
        Map<String, JsonNode> have = byName(b);
        TreeSet<String> names = new TreeSet<>(want.keySet());
        names.addAll(have.keySet());
        for (String name : names) {
          JsonNode x = want.get(name);
          JsonNode y = have.get(name);
          if (x == null || y == null) {
            out.add("containerDefinitions[" + name + "]");
          } else if (!x.equals(y)) {
            TreeSet<String> keys = new TreeSet<>();
            x.fieldNames().forEachRemaining(keys::add);
            y.fieldNames().forEachRemaining(keys::add);
            keys.stream().filter(k -> !Objects.equals(x.get(k), y.get(k)))
                .forEach(k -> out.add("containerDefinitions[" + name + "]." + k));
          }
        }
      } else {
        out.add(field);
      }
    }
    return out;
  }

  private static Map<String, JsonNode> byName(JsonNode containers) {
    Map<String, JsonNode> out = new TreeMap<>();
    containers.forEach(c -> out.put(c.path("name").asText(), c));
    return out;
  }
}
