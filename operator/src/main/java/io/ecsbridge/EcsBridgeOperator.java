package io.ecsbridge;

import io.ecsbridge.aws.AwsCallMeter;
import io.ecsbridge.aws.AwsClients;
import io.ecsbridge.aws.SdkAutoScalingGateway;
import io.ecsbridge.aws.SdkClusterGateway;
import io.ecsbridge.aws.SdkEcrGateway;
import io.ecsbridge.aws.SdkServiceGateway;
import io.ecsbridge.aws.SdkTaskDefinitionGateway;
import io.ecsbridge.aws.TokenBucket;
import io.ecsbridge.config.OperatorConfig;
import io.ecsbridge.metrics.HealthAndMetricsServer;
import io.ecsbridge.reconciler.AwsResourceReconciler;
import io.ecsbridge.reconciler.EcrRepositoryReconciler;
import io.ecsbridge.reconciler.EcsClusterReconciler;
import io.ecsbridge.reconciler.EcsServiceReconciler;
import io.ecsbridge.reconciler.EcsTaskDefinitionReconciler;
import io.ecsbridge.reconciler.OperatorContext;
import io.ecsbridge.reconciler.OwnerLookup;
import io.ecsbridge.reconciler.RevisionsInUse;
import io.ecsbridge.status.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** The operator process: wires configuration, AWS clients, reconcilers, metrics and probes in one place. */
public final class EcsBridgeOperator implements AutoCloseable {
  public static final String REDEPLOY_REQUESTED_AT = "ecsbridge.io/redeploy-requested-at";

  private final OperatorConfig config;
  private final KubernetesClient client;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AwsClients aws;
  private final Operator operator;
  private final String defaultRegion;
  private HealthAndMetricsServer http;
  private volatile boolean stopping;

  /**
   * @param credentials AWS credentials, or null for the SDK's default provider chain (IRSA, Pod Identity, env, ...)
   */
  public EcsBridgeOperator(OperatorConfig config, KubernetesClient client, AwsCredentialsProvider credentials) {
    this(config, client, credentials, false);
  }

  /**
   * @param exitOnLostLeadership exit the process when leadership is lost (the process then restarts as a follower);
   *     true for the real process, false when embedded (tests)
   */
  public EcsBridgeOperator(OperatorConfig config, KubernetesClient client, AwsCredentialsProvider credentials,
      boolean exitOnLostLeadership) {
    this.config = config;
    this.client = client;
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.defaultRegion = config.awsRegion() != null ? config.awsRegion() : regionFromSdkChain();
    TokenBucket bucket = new TokenBucket(config.awsRateLimit(), (int) Math.max(1, config.awsRateLimit() * 2));
    this.aws = new AwsClients(defaultRegion, config.awsEndpointUrl(), credentials, new AwsCallMeter(registry, bucket));

    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
          .withConcurrentReconciliationThreads(config.reconcileConcurrency())
          .withCloseClientOnStop(false);
      if (config.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaseName(),
            config.leaseNamespace(), LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, config.podName(), null, exitOnLostLeadership));
      }
    });
    OperatorContext context = new OperatorContext(
        new EventRecorder(client, "ecs-bridge", config.podName(), Clock.systemUTC()), Clock.systemUTC(),
        config.instanceId(), config.resyncPeriod(), config.allowCrossNamespace(), OwnerLookup.kubernetes(client));
    Function<String, String> regions = aws::region;
    register(new EcrRepositoryReconciler(context, new SdkEcrGateway(aws), regions));
    register(new EcsClusterReconciler(context, new SdkClusterGateway(aws), regions));
    register(new EcsTaskDefinitionReconciler(context, new SdkTaskDefinitionGateway(aws), regions,
        RevisionsInUse.ecsServices(client)));
    register(new EcsServiceReconciler(context, new SdkServiceGateway(aws), new SdkAutoScalingGateway(aws), regions));
  }

  private static String regionFromSdkChain() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private <R extends HasMetadata> void register(Reconciler<R> reconciler) {
    operator.register(reconciler, (ControllerConfigurationOverrider<R> o) -> {
      if (config.watchNamespaces().isEmpty()) {
        o.watchingAllNamespaces();
      } else {
        o.settingNamespaces(config.watchNamespaces());
      }
      o.withGenerationAware(false)
          .withOnUpdateFilter(relevantChange())
          .withReconciliationMaxInterval(config.resyncPeriod())
          .withRetry(new GenericRetry().setInitialInterval(Duration.ofSeconds(2)).setIntervalMultiplier(2)
              .setMaxInterval(Duration.ofMinutes(5).toMillis()).withoutMaxAttempts());
    });
  }

  /**
   * Reconcile on a spec change (generation), on the reconcile or redeploy annotation, on deletion and on finalizer
   * changes; never on our own status writes.
   */
  static <R extends HasMetadata> OnUpdateFilter<R> relevantChange() {
    return (newer, older) -> !Objects.equals(newer.getMetadata().getGeneration(), older.getMetadata().getGeneration())
        || !Objects.equals(annotation(newer, AwsResourceReconciler.RECONCILE_REQUESTED_AT),
            annotation(older, AwsResourceReconciler.RECONCILE_REQUESTED_AT))
        || !Objects.equals(annotation(newer, REDEPLOY_REQUESTED_AT), annotation(older, REDEPLOY_REQUESTED_AT))
        || newer.isMarkedForDeletion()
        || !Objects.equals(newer.getMetadata().getFinalizers(), older.getMetadata().getFinalizers());
  }

  private static String annotation(HasMetadata resource, String key) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  public EcsBridgeOperator start() throws IOException {
    http = new HealthAndMetricsServer(config.httpPort(), registry, () -> !stopping,
        () -> !stopping && operator.getRuntimeInfo().isStarted()
            && operator.getRuntimeInfo().allEventSourcesAreHealthy());
    operator.start();
    LoggerFactory.getLogger(EcsBridgeOperator.class).info(
        "ecs-bridge started region={} endpoint={} namespaces={} resync={} instance={} crossNamespace={} http={}",
        defaultRegion, config.awsEndpointUrl() == null ? "aws" : config.awsEndpointUrl(),
        config.watchNamespaces().isEmpty() ? "all" : config.watchNamespaces(), config.resyncPeriod(),
        config.instanceId(), config.allowCrossNamespace(), http.port());
    return this;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public int httpPort() {
    return http.port();
  }

  @Override
  public void close() {
    stopping = true;
    operator.stop();
    if (http != null) {
      http.close();
    }
    aws.close();
  }

  public static void main(String[] args) throws Exception {
    OperatorConfig config;
    try {
      config = OperatorConfig.load(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if ("json".equals(config.logFormat())) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
    Logger log = LoggerFactory.getLogger(EcsBridgeOperator.class);
    KubernetesClient client = new KubernetesClientBuilder().build();
    EcsBridgeOperator app = new EcsBridgeOperator(config, client, null, true);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      app.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    app.start();
    stopped.await();
  }
}
