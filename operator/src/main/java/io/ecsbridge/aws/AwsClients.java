package io.ecsbridge.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * SDK clients, one per identity ({@link AwsScope}: the operator's own or an AwsAccount's), service and region,
 * sharing one HTTP connection pool and the metering interceptor. Each client carries its (account, region, service)
 * key ({@link AwsCallMeter#BUDGET}): the budget its calls spend and the labels of their metrics. Every client uses
 * the SDK's adaptive retry mode (ADAPTIVE_V2): on real throttling it backs off and slows that client down. An
 * endpoint override (for emulators) applies to every service. Which identity a client calls as is the one bound on
 * the calling thread.
 */
public class AwsClients implements AutoCloseable {
  private final String defaultRegion;
  private final URI endpoint;
  private final AwsCredentialsProvider credentials;
  private final AwsCallMeter meter;
  private final SdkHttpClient http;
  private record Key(AwsIdentity identity, String service, String region) {}

  /** The SDK's retry mode of every client: adaptive (token bucket engaged by throttling responses), version 2. */
  static final RetryMode RETRY_MODE = RetryMode.ADAPTIVE_V2;

  /** The budget label of STS calls made with an AwsAccount's (or its source account's) credentials. */
  static final String STS_AS_ACCOUNT = "aws-account-sts";

  private final Map<Key, AutoCloseable> clients = new ConcurrentHashMap<>();
  /** The operator's one batcher of DescribeClusters, shared by the EcsCluster and EcsService kinds. */
  private final BatchingClusterGateway clusters;

  public AwsClients(String defaultRegion, URI endpoint, AwsCredentialsProvider credentials, AwsCallMeter meter) {
    this.defaultRegion = defaultRegion;
    this.endpoint = endpoint;
    this.credentials = credentials;
    this.meter = meter;
    this.http = ApacheHttpClient.builder()
        .maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(5))
        .socketTimeout(Duration.ofSeconds(30))
        .build();
    this.clusters = BatchingClusterGateway.of(new SdkClusterGateway(this));
  }

  /**
   * The ECS clusters, their DescribeClusters batched per identity and region for every kind that reads them (the
   * EcsClusters, the raw-cluster check of the EcsServices): one instance, so a write of one kind is seen by the other.
   */
  public BatchingClusterGateway clusters() {
    return clusters;
  }

  /**
   * The region a resource works in: its own ({@code override}), else the default region of the identity bound on
   * this thread (an AwsAccount's), else the operator's.
   */
  public String region(String override) {
    if (override != null && !override.isBlank()) {
      return override;
    }
    AwsIdentity identity = AwsScope.bound();
    return identity != null && identity.defaultRegion() != null ? identity.defaultRegion() : defaultRegion;
  }

  public EcrClient ecr(String region) {
    return client("ecr", region, EcrClient.builder());
  }

  public EcsClient ecs(String region) {
    return client("ecs", region, EcsClient.builder());
  }

  public ApplicationAutoScalingClient autoScaling(String region) {
    return client("application-autoscaling", region, ApplicationAutoScalingClient.builder());
  }

  public SecretsManagerClient secretsManager(String region) {
    return client("secretsmanager", region, SecretsManagerClient.builder());
  }

  public SsmClient ssm(String region) {
    return client("ssm", region, SsmClient.builder());
  }

  /**
   * A new STS client (not shared: the caller closes it) calling with {@code as}, or with the operator's own
   * credentials when null; in the default region (us-east-1 when there is none: STS answers from every region).
   */
  public StsClient newSts(AwsCredentialsProvider as) {
    String resolved = defaultRegion != null ? defaultRegion : "us-east-1";
    // STS calls are made before an account's id is known (AssumeRole, then GetCallerIdentity as the role): they
    // spend the operator's budget, or one shared by the AwsAccounts' own STS calls
    String account = as == null ? AwsIdentity.OPERATOR.label() : STS_AS_ACCOUNT;
    StsClientBuilder builder = StsClient.builder().region(Region.of(resolved))
        .httpClient(http)
        .overrideConfiguration(overrides(new AwsBudgets.Key(account, resolved, "sts")));
    AwsCredentialsProvider provider = as != null ? as : credentials;
    if (provider != null) {
      builder.credentialsProvider(provider);
    }
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  @SuppressWarnings("unchecked")
  private <C extends AutoCloseable, B extends AwsClientBuilder<B, C>> C client(String service, String region,
      B builder) {
    String resolved = region(region);
    AwsIdentity identity = AwsScope.current();
    return (C) clients.computeIfAbsent(new Key(identity, service, resolved), k -> {
      if (resolved == null) {
        throw AwsErrors.noRegion();
      }
      builder.region(Region.of(resolved))
          .overrideConfiguration(overrides(new AwsBudgets.Key(identity.label(), resolved, service)));
      AwsCredentialsProvider as = identity.operator() ? credentials : identity.credentials();
      if (as != null) {
        builder.credentialsProvider(as);
      }
      if (endpoint != null) {
        builder.endpointOverride(endpoint);
      }
      if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
        sync.httpClient(http);
      }
      return builder.build();
    });
  }

  /**
   * When the resync passes of {@code passes} (resources' uids), asked for at once by a read ahead on this thread,
   * could be admitted to the budget of {@code service} in {@code region} (resolved as a client's) of the identity bound
   * here ({@link AwsScope}): {@link AwsBudgets#resyncSlots}. A RESYNC pass on this thread is admitted to that budget
   * first, or deferred ({@link ResyncDeferred}, as its first call would be), so that companions are placed only for a
   * read that will be made. All asked at once when calls have no budget.
   */
  public List<AwsBudgets.Slot> resyncSlots(String service, String region, List<String> passes, Duration within) {
    String resolved = region(region);
    if (meter.budgets() == null || resolved == null) {
      return AwsBudgets.Slot.allNow(passes.size());
    }
    AwsBudgets.Key key = new AwsBudgets.Key(AwsScope.current().label(), resolved, service);
    boolean admitted = meter.admitBeforeCall(key);
    return meter.budgets().resyncSlots(key, !admitted, passes, within);
  }

  /**
   * Admits a RESYNC pass on this thread to the budget of {@code service} in {@code region} of the identity bound here
   * before a batched read, or defers it ({@link ResyncDeferred}, as its first call would be): a deferral inside the
   * call would fail it for every pass coalesced in it ({@link BatchedReads}), each then read alone. Nothing for a pass
   * that is not a resync, or when calls have no budget.
   */
  public void admitResync(String service, String region) {
    String resolved = region(region);
    if (meter.budgets() != null && resolved != null) {
      meter.admitBeforeCall(new AwsBudgets.Key(AwsScope.current().label(), resolved, service));
    }
  }

  /** The passes of {@code passes} were given places by {@link #resyncSlots} and not asked for after all. */
  public void releaseSlots(String service, String region, List<String> passes) {
    String resolved = region(region);
    if (meter.budgets() != null && resolved != null && !passes.isEmpty()) {
      meter.budgets().release(new AwsBudgets.Key(AwsScope.current().label(), resolved, service), passes);
    }
  }

  /** Of {@code passes}, those waiting in the queue of this identity's budget: {@link AwsBudgets#waitingFor}. */
  public java.util.Map<String, Long> waitingFor(String service, String region, java.util.Collection<String> passes) {
    String resolved = region(region);
    if (meter.budgets() == null || resolved == null || passes.isEmpty()) {
      return java.util.Map.of();
    }
    return meter.budgets().waitingFor(new AwsBudgets.Key(AwsScope.current().label(), resolved, service), passes);
  }

  /**
   * Closes the clients of this AwsAccount (deleted, or its role changed: its next calls build clients on its new
   * credentials), and drops the budgets of its label (its AWS account id) unless another AwsAccount's clients still
   * spend them: budgets are per AWS account, shared by every AwsAccount in it, and AWS's throttling does not change
   * with one of them.
   */
  public void forget(String account) {
    java.util.Set<String> labels = new java.util.HashSet<>();
    clients.entrySet().removeIf(e -> {
      if (account.equals(e.getKey().identity().account())) {
        labels.add(e.getKey().identity().label());
        closeQuietly(e.getValue());
        return true;
      }
      return false;
    });
    if (meter.budgets() != null) {
      clients.keySet().forEach(k -> labels.remove(k.identity().label()));
      labels.forEach(meter.budgets()::forget);
    }
  }

  /**
   * Every client's overrides: the metering interceptor, its budget key, the SDK's adaptive retry (it backs off and
   * slows this client down once AWS throttles; the budget keeps us from being throttled in the first place).
   */
  private ClientOverrideConfiguration overrides(AwsBudgets.Key key) {
    return ClientOverrideConfiguration.builder()
        .addExecutionInterceptor(meter)
        .putExecutionAttribute(AwsCallMeter.BUDGET, key)
        .retryStrategy(RETRY_MODE)
        .apiCallTimeout(Duration.ofSeconds(60))
        .build();
  }

  /** How many clients are open (for tests and benchmarks). */
  public int openClients() {
    return clients.size();
  }

  @Override
  public void close() {
    clients.values().forEach(AwsClients::closeQuietly);
    clients.clear();
    http.close();
  }

  private static void closeQuietly(AutoCloseable client) {
    try {
      client.close();
    } catch (Exception ignored) {
      // a client closed on shutdown or after its account went: nothing to do about it
    }
  }
}
