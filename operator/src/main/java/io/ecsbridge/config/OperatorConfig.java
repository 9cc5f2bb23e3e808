package io.ecsbridge.config;

import io.ecsbridge.aws.AwsBudgets;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operator settings. Each has an environment variable and an equivalent command-line flag (the flag wins). Each of
 * {@link #SETTINGS} is a row of the README's configuration table (OperatorConfigTest checks) and a line of --help.
 */
public record OperatorConfig(
    String awsRegion,
    URI awsEndpointUrl,
    Set<String> watchNamespaces,
    Duration resyncPeriod,
    int reconcileConcurrency,
    String instanceId,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    String podName,
    int httpPort,
    String httpAddress,
    Map<String, AwsBudgets.Limit> awsRateLimits,
    String logFormat,
    String logLevel,
    Duration stalledRecheck,
    boolean allowCrossNamespace,
    boolean secretReferences,
    Duration imageTagPoll,
    boolean requireAccount,
    Sharding sharding) {

  /** One setting: its environment variable, its flag, its default and what it means. */
  public record Setting(String env, String flag, String defaultValue, String description) {}

  /** A namespace's name: a DNS-1123 label. */
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public static final List<Setting> SETTINGS = List.of(
      new Setting("AWS_REGION", "--aws-region", "the AWS SDK's region provider chain",
          "Default AWS region; spec.region overrides it per resource."),
      new Setting("AWS_ENDPOINT_URL", "--aws-endpoint-url", "none (real AWS)",
          "Send every AWS call to this endpoint (an emulator such as moto). The AWS SDK's standard variable."),
      new Setting("ECSBRIDGE_WATCH_NAMESPACES", "--watch-namespaces", "all namespaces",
          "Comma-separated namespaces to watch (their names; anything else is refused at start)."),
      new Setting("ECSBRIDGE_RESYNC_PERIOD", "--resync-period", "10m",
          "How often every resource is reconciled even without a change (drift correction), e.g. 30s, 10m, 1h."),
      new Setting("ECSBRIDGE_RECONCILE_CONCURRENCY", "--reconcile-concurrency", "10",
          "How many resources are reconciled at once (two threads more are kept for people's changes while all are "
              + "busy)."),
      new Setting("ECSBRIDGE_INSTANCE_ID", "--instance-id", "ecs-bridge",
          "This operator installation's id (letters, digits, '.', '_', '-'), written into the ecsbridge.io/owner tag "
              + "of AWS resources."),
      new Setting("ECSBRIDGE_ALLOW_CROSS_NAMESPACE", "--allow-cross-namespace", "false",
          "Let a custom resource reach AWS resources owned in another namespace: Adopt or ObserveOnly of one whose "
              + "owner no longer exists or belongs to another installation, and raw names (cluster, "
              + "taskDefinition) of one owned there. Off: namespaces are tenants kept apart."),
      new Setting("ECSBRIDGE_SECRET_REFERENCES", "--secret-references", "false",
          "Let EcsTaskDefinitions reference Kubernetes Secrets (secretKeyRef, environmentFrom secretRef): the operator "
              + "watches Secrets (it needs get, list, watch on them) and copies the referenced values into Secrets "
              + "Manager. false: no Secret is read; such a reference is Stalled SecretReferencesDisabled."),
      new Setting("ECSBRIDGE_IMAGE_TAG_POLL", "--image-tag-poll", "1m",
          "How often an EcsTaskDefinition with imageFrom looks at the digest of its tags (one DescribeImages per "
              + "repository and tag): a tag pushed again rolls out within this delay, since ECR sends no event. 0s: "
              + "only on the resync period."),
      new Setting("ECSBRIDGE_REQUIRE_ACCOUNT", "--require-account", "false",
          "Every namespaced resource must live in an AwsAccount that admits its namespace: one that no AwsAccount "
              + "admits is Stalled AccountRequired instead of using the operator's own identity."),
      new Setting("ECSBRIDGE_LEADER_ELECTION", "--leader-election", "false",
          "Elect a leader through a Lease so that only one replica reconciles."),
      new Setting("ECSBRIDGE_LEASE_NAME", "--lease-name", "ecs-bridge-leader", "Name of the leader-election Lease."),
      new Setting("ECSBRIDGE_LEASE_NAMESPACE", "--lease-namespace", "POD_NAMESPACE, else the service account's",
          "Namespace of the leader-election Lease."),
      new Setting("ECSBRIDGE_SHARDS", "--shards", "1",
          "How many shards (Deployments) share the custom resources; each runs with its own ECSBRIDGE_SHARD and "
              + "elects its leader through its own Lease, ECSBRIDGE_LEASE_NAME-shard-<k>."),
      new Setting("ECSBRIDGE_SHARD", "--shard", "0",
          "This process's shard, 0 to ECSBRIDGE_SHARDS - 1: shard k > 0 reconciles the custom resources labelled "
              + "ecsbridge.io/shard=k; shard 0 all others (unlabelled, or any other value) and the account-wide "
              + "kinds (AwsAccount, EcrRegistry, EcrPullThroughCacheRule, EcrRepositoryCreationTemplate)."),
      new Setting("POD_NAME", "--pod-name", "the host name", "Identity of this replica in leader election."),
      new Setting("ECSBRIDGE_HTTP_PORT", "--http-port", "8080",
          "Port of /healthz, /readyz and /metrics (0 picks a free port)."),
      new Setting("ECSBRIDGE_HTTP_ADDRESS", "--http-address", "all interfaces",
          "Address /healthz, /readyz and /metrics listen on, e.g. 127.0.0.1 for this machine only."),
      new Setting("ECSBRIDGE_AWS_RATE_LIMIT", "--aws-rate-limit", "none: each service's own",
          "Client-side budget of AWS requests per second (bursts of twice that) of every service, in each account and "
              + "region, instead of each service's default; ECSBRIDGE_AWS_RATE_LIMITS still wins for the services it "
              + "names."),
      new Setting("ECSBRIDGE_AWS_RATE_LIMITS", "--aws-rate-limits", AwsRateLimits.defaults(),
          "Client-side budgets per service, in each account and region: service=rate[:burst] separated by commas "
              + "(requests per second; the burst defaults to twice the rate), e.g. ecs=20:40,ecr=10. Services: ecs, "
              + "ecr, application-autoscaling, secretsmanager, ssm, sts; those not named keep their default."),
      new Setting("ECSBRIDGE_LOG_FORMAT", "--log-format", "text", "text, or json for one JSON object per line."),
      new Setting("ECSBRIDGE_LOG_LEVEL", "--log-level", "info",
          "Level of the operator's own log lines: error, warn, info, debug or trace (libraries stay at warn/info)."),
      new Setting("ECSBRIDGE_STALLED_RECHECK", "--stalled-recheck", "1m",
          "How long a Stalled resource waits before it is looked at again by itself (one read first); the wait"
              + " doubles after each look, up to the resync period."));

  /** The values of ECSBRIDGE_LOG_LEVEL, logback's level names in lower case. */
  public static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");

  public static OperatorConfig load(Map<String, String> env, String... args) {
    Map<String, String> values = new HashMap<>();
    for (Setting s : SETTINGS) {
      String v = env.get(s.env());
      if (v != null && !v.isBlank()) {
        values.put(s.env(), v.trim());
      }
    }
    Map<String, String> byFlag = new LinkedHashMap<>();
    SETTINGS.forEach(s -> byFlag.put(s.flag(), s.env()));
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    for (int i = 0; i < rest.size(); i++) {
      String arg = rest.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new IllegalArgumentException(usage());
      }
      String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String envName = byFlag.get(flag);
      if (envName == null) {
        throw new IllegalArgumentException("unknown flag " + flag + "\n" + usage());
      }
      String value;
      if (arg.contains("=")) {
        value = arg.substring(arg.indexOf('=') + 1);
      } else if (i + 1 < rest.size() && !rest.get(i + 1).startsWith("--")) {
        value = rest.get(++i);
      } else {
        value = "true";
      }
      values.put(envName, value.trim());
    }
    String namespaces = values.getOrDefault("ECSBRIDGE_WATCH_NAMESPACES", "");
    Set<String> watch = new TreeSet<>();
    for (String ns : namespaces.split(",")) {
      if (!ns.isBlank()) {
        if (!NAMESPACE.matcher(ns.trim()).matches()) {
          throw new IllegalArgumentException("ECSBRIDGE_WATCH_NAMESPACES must name namespaces separated by commas "
              + "(lower-case letters, digits and '-', at most 63), not '" + ns.trim() + "'");
        }
        watch.add(ns.trim());
      }
    }
    String endpoint = values.get("AWS_ENDPOINT_URL");
    String podName = values.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", "ecs-bridge-local"));
    String leaseNs = values.getOrDefault("ECSBRIDGE_LEASE_NAMESPACE", env.get("POD_NAMESPACE"));
    String format = values.getOrDefault("ECSBRIDGE_LOG_FORMAT", "text");
    String instanceId = values.getOrDefault("ECSBRIDGE_INSTANCE_ID", "ecs-bridge");
    if (!instanceId.matches("[A-Za-z0-9._-]{1,64}")) {
      // it is the first part of the owner tag instance/namespace/name
      throw new IllegalArgumentException("ECSBRIDGE_INSTANCE_ID must be 1 to 64 letters, digits, '.', '_' or '-', not "
          + instanceId);
    }
    Sharding sharding = new Sharding(wholeNumber("ECSBRIDGE_SHARD", values.getOrDefault("ECSBRIDGE_SHARD", "0")),
        wholeNumber("ECSBRIDGE_SHARDS", values.getOrDefault("ECSBRIDGE_SHARDS", "1")));
    String level = values.getOrDefault("ECSBRIDGE_LOG_LEVEL", "info").toLowerCase(java.util.Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw new IllegalArgumentException("ECSBRIDGE_LOG_LEVEL must be one of " + String.join(", ", LOG_LEVELS)
          + ", not " + values.get("ECSBRIDGE_LOG_LEVEL"));
    }
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException("ECSBRIDGE_LOG_FORMAT must be text or json, not " + format);
    }
    return new OperatorConfig(
        values.get("AWS_REGION"),
        endpoint == null ? null : URI.create(endpoint),
        watch,
        atLeast("ECSBRIDGE_RESYNC_PERIOD", values.getOrDefault("ECSBRIDGE_RESYNC_PERIOD", "10m"), Duration.ofSeconds(1)),
        positiveInt("ECSBRIDGE_RECONCILE_CONCURRENCY", values.getOrDefault("ECSBRIDGE_RECONCILE_CONCURRENCY", "10")),
        instanceId,
        Boolean.parseBoolean(values.getOrDefault("ECSBRIDGE_LEADER_ELECTION", "false")),
        sharding.leaseName(values.getOrDefault("ECSBRIDGE_LEASE_NAME", "ecs-bridge-leader")),
        leaseNs,
        podName,
        Integer.parseInt(values.getOrDefault("ECSBRIDGE_HTTP_PORT", "8080")),
        values.get("ECSBRIDGE_HTTP_ADDRESS"),
        AwsRateLimits.parse(values.get(AwsRateLimits.EVERY), values.get(AwsRateLimits.PER_SERVICE)),
        format,
        level,
        atLeast("ECSBRIDGE_STALLED_RECHECK", values.getOrDefault("ECSBRIDGE_STALLED_RECHECK", "1m"),
            Duration.ofSeconds(1)),
        strictBoolean("ECSBRIDGE_ALLOW_CROSS_NAMESPACE", values.getOrDefault("ECSBRIDGE_ALLOW_CROSS_NAMESPACE",
            "false")),
        strictBoolean("ECSBRIDGE_SECRET_REFERENCES", values.getOrDefault("ECSBRIDGE_SECRET_REFERENCES", "false")),
        offOrAtLeastASecond("ECSBRIDGE_IMAGE_TAG_POLL", values.getOrDefault("ECSBRIDGE_IMAGE_TAG_POLL", "1m")),
        strictBoolean("ECSBRIDGE_REQUIRE_ACCOUNT", values.getOrDefault("ECSBRIDGE_REQUIRE_ACCOUNT", "false")),
        sharding);
  }

  /**
   * A duration setting no shorter than {@code min}: a resync period of 0 would reschedule every resource at once,
   * forever (a hot loop), and a negative one fails every pass.
   */
  private static Duration atLeast(String name, String value, Duration min) {
    Duration d;
    try {
      d = parseDuration(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be a duration such as 30s, 10m or PT1H, not " + value);
    }
    if (d.compareTo(min) < 0) {
      throw new IllegalArgumentException(name + " must be at least " + (min.isZero() ? "0s" : min.toSeconds() + "s")
          + ", not " + value);
    }
    return d;
  }

  /** 0s (off) or at least 1 s: a shorter poll would read every image-tag task definition's tags many times a second. */
  private static Duration offOrAtLeastASecond(String name, String value) {
    Duration d = atLeast(name, value, Duration.ZERO);
    if (!d.isZero() && d.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(name + " must be 0s (off) or at least 1s, not " + value);
    }
    return d;
  }

  private static boolean strictBoolean(String name, String value) {
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(name + " must be true or false, not " + value);
    }
    return Boolean.parseBoolean(value);
  }

  private static int positiveInt(String name, String value) {
    int n = Integer.parseInt(value);
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be at least 1");
    }
    return n;
  }

  private static int wholeNumber(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not " + value);
    }
  }

  /** 30s, 10m, 1h, 500ms, or ISO-8601 (PT10M). */
  public static Duration parseDuration(String text) {
    Matcher m = java.util.regex.Pattern.compile("^(\\d+)(ms|s|m|h)$").matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    return Duration.parse(text.trim());
  }

  public static String usage() {
    StringBuilder sb = new StringBuilder("Usage: java -jar ecs-bridge.jar [flags]          run the operator\n"
        + "       java -jar ecs-bridge.jar trace KIND/NAME [-n NAMESPACE]   show a resource, what it references "
        + "and their conditions and Events as a tree; exit code 0 when all are Ready, 1 otherwise (trace --help)\n"
        + "Flags:\n");
    for (Setting s : SETTINGS) {
      sb.append(String.format("  %-28s %-32s %s (default: %s)%n", s.flag(), "(" + s.env() + ")", s.description(),
          s.defaultValue()));
    }
    return sb.toString();
  }
}
