package io.ecsbridge;

import static io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT;
import static io.ecsbridge.api.v1alpha1.Annotations.REDEPLOY_REQUESTED_AT;

import io.ecsbridge.accounts.AccountCredentials;
import io.ecsbridge.aws.AwsBudgets;
import io.ecsbridge.accounts.AccountResolver;
import io.ecsbridge.accounts.AccountWatches;
import io.ecsbridge.accounts.OperatorAccount;
import io.ecsbridge.aws.AwsCallMeter;
import io.ecsbridge.aws.AwsClients;
import io.ecsbridge.cache.LeanItemStore;
import io.ecsbridge.config.OperatorConfig;
import io.ecsbridge.logging.LogSetup;
import io.ecsbridge.kinds.Kinds;
import io.ecsbridge.metrics.HealthAndMetricsServer;
import io.ecsbridge.metrics.OperatorState;
import io.ecsbridge.metrics.ResourceConditions;
import io.ecsbridge.trace.TraceCommand;
import io.ecsbridge.contract.StartupAdds;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.ReconcileQueue;
import io.ecsbridge.contract.OwnerLookup;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.StatusWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.Controller;
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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The operator process: wires configuration, AWS clients, the reconcilers of every kind ({@link Kinds}), metrics and
 * probes in one place.
 */
public final class EcsBridgeOperator implements AutoCloseable {
  /** Leader election's timing: client-go's and JOSDK's defaults. */
  static final Duration LEASE_DURATION = LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE;
  static final Duration RENEW_DEADLINE = LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE;
  static final Duration RETRY_PERIOD = LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE;

  private final OperatorConfig config;
  private final KubernetesClient client;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AwsClients aws;
  private final AccountCredentials accounts;
  private final ReconcileQueue reconciles;
  private final Operator operator;
  private final String defaultRegion;
  /**
   * How long in-flight reconciles may finish when the operator stops, before their threads are interrupted. Well
   * inside the pod's grace period (30 s), and shorter than the Lease (15 s) minus a retry period (2 s): the Lease,
   * no longer renewed while stopping, cannot expire (and a new leader start) while a reconcile of ours still runs.
   */
  static final Duration RECONCILE_TERMINATION_TIMEOUT = Duration.ofSeconds(10);
  // not static: main chooses the log format before the first logger exists
  private final Logger log = LoggerFactory.getLogger(EcsBridgeOperator.class);

  private final Runnable onLostLeadership;
  private final ResourceConditions resourceConditions = new ResourceConditions(registry);
  /** This replica holds the Lease (with leader election). */
  private volatile boolean leading;
  private HealthAndMetricsServer http;
  private volatile boolean stopping;
  private volatile boolean started;
  /** The API server's checks, begun by the constructor ({@link StartupCheck#begin}). */
  private final CompletableFuture<StartupException> apiCheck;
  /** The latest revision the check's lists were read at (-1: none): the start's, for {@link StartupAdds}. */
  private final LongAccumulator listedAt = new LongAccumulator(Math::max, -1);
  private boolean closed;

  /**
   * @param credentials AWS credentials, or null for the SDK's default provider chain (IRSA, Pod Identity, env, ...)
   */
  public EcsBridgeOperator(OperatorConfig config, KubernetesClient client, AwsCredentialsProvider credentials) {
    this(config, client, credentials, null);
  }

  /**
   * @param onLostLeadership what to do when this replica loses the Lease while running (JOSDK cannot pause a
   *     leader's reconcilers): the process exits to restart as a follower; null (embedded, tests) stops this
   *     operator
   */
  public EcsBridgeOperator(OperatorConfig config, KubernetesClient client, AwsCredentialsProvider credentials,
      Runnable onLostLeadership) {
    this.config = config;
    this.client = client;
    // under way while the rest is built: its first TLS handshake and round trips overlap the construction below
    this.apiCheck = StartupCheck.begin(client, config.watchNamespaces(), listedAt::accumulate);
    this.onLostLeadership = onLostLeadership != null ? onLostLeadership
        : () -> new Thread(this::close, "lost-leadership").start();
    if (config.sharding().sharded()) {
      registry.config().commonTags("shard", String.valueOf(config.sharding().index())); // every series, per shard
    }
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    BuildInfo.current().register(registry);
    this.defaultRegion = config.awsRegion() != null ? config.awsRegion() : regionFromSdkChain();
    AwsBudgets budgets = new AwsBudgets(config.awsRateLimits());
    this.aws = new AwsClients(defaultRegion, config.awsEndpointUrl(), credentials, new AwsCallMeter(registry, budgets));

    this.reconciles = new ReconcileQueue(config.reconcileConcurrency()); // a person's change first
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withMetrics(reconciles.metrics(MicrometerMetrics.withoutPerResourceMetrics(registry)))
          .withExecutorService(reconciles)
          .withConcurrentReconciliationThreads(config.reconcileConcurrency())
          .withReconciliationTerminationTimeout(RECONCILE_TERMINATION_TIMEOUT)
          .withCloseClientOnStop(false);
      if (config.leaderElection()) {
        // JOSDK's own exit on lost leadership (System.exit) deadlocks when it happens in a shutdown: ours is a
        // callback that the process turns into an orderly stop
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaseName(),
            config.leaseNamespace(), LEASE_DURATION, RENEW_DEADLINE, RETRY_PERIOD, config.podName(),
            new LeaderCallbacks(() -> {
              leading = true;
              log.info("leading (Lease {})", config.leaseName());
            }, this::lostLeadership,
                leader -> {}), false));
      }
    });
    OperatorContext context = new OperatorContext(
        new EventRecorder(client, "ecs-bridge", config.podName(), Clock.systemUTC()), Clock.systemUTC(),
        config.instanceId(), config.resyncPeriod(), config.stalledRecheck(),
        Shards.fenced(StatusWriter.CACHED, config.sharding()),
        config.allowCrossNamespace(), OwnerLookup.kubernetes(client));
    this.accounts = new AccountCredentials(aws::newSts, config.instanceId(), aws::forget);
    context = context.withAccounts(new AccountWatches(new AccountResolver(accounts::lookup,
        accounts::asked, new OperatorAccount(() -> aws.newSts(null)),
        config.requireAccount(), defaultRegion)));
    Kinds.Wiring wiring = new Kinds.Wiring(context, aws, client, config.secretReferences(),
        config.imageTagPoll(), accounts);
    Kinds.ALL.forEach(kind -> register(kind, wiring));
    OperatorState.register(registry, () -> started && !stopping && (!config.leaderElection() || leading),
        this::ready);
  }

  private static String regionFromSdkChain() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void lostLeadership() {
    if (stopping) {
      return; // our own stop cancelled the election
    }
    log.warn("lost the Lease {}: stopping this replica", config.leaseName());
    leading = false;
    stopping = true;
    // another replica may lead already: interrupt our reconciles now instead of giving them the stop's grace period
    operator.getConfigurationService().getExecutorServiceManager().reconcileExecutorService().shutdownNow();
    onLostLeadership.run();
  }

  @SuppressWarnings("unchecked") // JOSDK's register returns its Controller as a RegisteredController
  private <R extends CustomResource<?, ?>> void register(Kinds.Kind<R> kind, Kinds.Wiring wiring) {
    Reconciler<R> reconciler = Shards.reconciler(kind, wiring, config.sharding());
    if (reconciler == null) {
      return; // an account-wide kind: shard 0's
    }
    RegisteredController<R> registered = operator.register(reconciler,
        (ControllerConfigurationOverrider<R> o) -> {
      o.withName(kind.controllerName());
      boolean allNamespaces = config.watchNamespaces().isEmpty() || kind.clusterScoped();
      if (allNamespaces) {
        o.watchingAllNamespaces();
      } else {
        o.settingNamespaces(config.watchNamespaces());
      }
      if (config.sharding().sharded() && !Shards.accountWide(kind)) {
        o.withLabelSelector(config.sharding().labelSelector());
      }
      o.withGenerationAware(false)
          // the cache without managedFields and last-applied (JOSDK's own store for several namespaces)
          .withItemStore(LeanItemStore.create(allNamespaces ? null : Set.copyOf(config.watchNamespaces())))
          .withOnUpdateFilter(Shards.updateFilter(reconciler, relevantChange()))
          .withReconciliationMaxInterval(config.resyncPeriod())
          .withRetry(new GenericRetry().setInitialInterval(Duration.ofSeconds(2)).setIntervalMultiplier(2)
              .setMaxInterval(Duration.ofMinutes(5).toMillis()).withoutMaxAttempts());
    });
    if (!Shards.accountWide(kind) || config.sharding().ownsAccountWide()) {
      // the controller's informer cache, read when /metrics is scraped (a follower's AwsAccounts are shard 0's)
      resourceConditions.add(kind.kind(),
          () -> ((Controller<R>) registered).getEventSourceManager().getControllerEventSource().list());
    }
  }

  /**
   * Reconcile on a spec change (generation), on the reconcile or redeploy annotation, on deletion and on finalizer
   * changes; never on our own status writes.
   */
  static <R extends HasMetadata> OnUpdateFilter<R> relevantChange() {
    return (newer, older) -> !Objects.equals(newer.getMetadata().getGeneration(), older.getMetadata().getGeneration())
        || !Objects.equals(annotation(newer, RECONCILE_REQUESTED_AT), annotation(older, RECONCILE_REQUESTED_AT))
        || !Objects.equals(annotation(newer, REDEPLOY_REQUESTED_AT), annotation(older, REDEPLOY_REQUESTED_AT))
        || newer.isMarkedForDeletion()
        || !Objects.equals(newer.getMetadata().getFinalizers(), older.getMetadata().getFinalizers());
  }

  private static String annotation(HasMetadata resource, String key) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  /**
   * Starts the probes, checks that the API server answers and serves our custom resources ({@link StartupCheck}),
   * then starts the operator.
   *
   * @throws StartupException when it cannot start, with a one-line reason
   */
  public EcsBridgeOperator start() {
    try {
      http = new HealthAndMetricsServer(config.httpAddress(), config.httpPort(), () -> {
        resourceConditions.refresh();
        return registry.scrape();
      }, () -> !stopping, this::ready);
    } catch (IOException e) {
      throw new StartupException(e.getMessage() != null && e.getMessage().contains(String.valueOf(config.httpPort()))
          ? e.getMessage() : "cannot serve /healthz, /readyz and /metrics on port " + config.httpPort()
          + " (ECSBRIDGE_HTTP_PORT): " + e);
    }
    StartupCheck.await(client, apiCheck);
    if (listedAt.get() >= 0) {
      StartupAdds.startedAt(listedAt.get()); // read before the informers start, as the filter needs
    } else {
      StartupAdds.starting(client);
    }
    operator.start();
    IdleThreads.shorten(operator.getConfigurationService().getExecutorServiceManager().cachingExecutorService());
    started = true;
    log.info("ecs-bridge started version={} revision={} region={} endpoint={} credentials={} namespaces={} resync={} instance={} "
        + "crossNamespace={} http={} shard={}",
        BuildInfo.current().version(), BuildInfo.current().revision(), defaultRegion, config.awsEndpointUrl() == null ? "aws" : config.awsEndpointUrl(),
        StartupCheck.credentialsSource(System.getenv()),
        config.watchNamespaces().isEmpty() ? "all" : config.watchNamespaces(), config.resyncPeriod(),
        config.instanceId(), config.allowCrossNamespace(), http.port(), config.sharding());
    return this;
  }

  private boolean ready() {
    return !stopping && operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  /** The default AWS region, or null when neither the setting nor the SDK's chain gives one. */
  public String defaultRegion() {
    return defaultRegion;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** JOSDK's reconcile executor: a person's change first (tests). */
  public ReconcileQueue reconciles() {
    return reconciles;
  }

  /** The credentials of each AwsAccount, by name. */
  public AccountCredentials accounts() {
    return accounts;
  }

  public int httpPort() {
    return http.port();
  }

  /**
   * Stops in order: not ready; no new reconciles, in-flight ones finish (interrupted after
   * {@link #RECONCILE_TERMINATION_TIMEOUT}); the Lease released so that a follower takes over at once; probes and
   * AWS clients closed. Safe to call more than once and from several threads.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopping = true;
    try {
      operator.stop();
      if (config.leaderElection() && started) {
        releaseLease();
      }
    } finally {
      if (http != null) {
        http.close();
      }
      accounts.close();
      aws.close();
    }
  }

  /**
   * Gives the Lease up if this replica holds it, as client-go's ReleaseOnCancel does (holder cleared, duration 1 s):
   * JOSDK 5.2.3 does not ask fabric8 for it, and fabric8's own release, a JSON merge patch, leaves the holder. An
   * update, so that a Lease changed meanwhile (another holder) is left alone (409). Called once our reconcilers
   * have stopped.
   */
  private void releaseLease() {
    String namespace = config.leaseNamespace() != null ? config.leaseNamespace() : client.getNamespace();
    if (namespace == null) {
      return;
    }
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(config.leaseName()).get();
      if (lease == null || lease.getSpec() == null
          || !config.podName().equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setAcquireTime(now);
      lease.getSpec().setRenewTime(now);
      client.leases().resource(lease).update();
      log.info("released the Lease {}/{}", namespace, config.leaseName());
    } catch (KubernetesClientException e) {
      log.warn("could not release the Lease {}/{} (it expires by itself): {}", namespace, config.leaseName(),
          e.getMessage());
    }
  }

  public static void main(String[] args) {
    CommonPool.configure(); // before any CompletableFuture: not a thread per Kubernetes API response on 1 or 2 CPUs
    if (BuildInfo.current().printIfAsked(args, System.out)) {
      return;
    }
    if (args.length > 0 && args[0].equals("trace")) {
      System.setProperty(LogSetup.FORMAT, "trace"); // stdout is the tree
      System.exit(TraceCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.load(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    // before the first logger exists: the flag wins over the environment variable logback would read
    System.setProperty("ECSBRIDGE_LOG_LEVEL", config.logLevel());
    System.setProperty(LogSetup.FORMAT, config.logFormat());
    OperatorProcess.run(config);
  }
}
