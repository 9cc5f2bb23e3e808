package io.ecsbridge.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts and times every AWS API call by account, region, service, operation and outcome (ok, not_found, throttled,
 * client_error, server_error, network_error; failed calls also by AWS's error code; not_found is a NotFound answer to
 * a read or a delete, which the operator expects and handles, so that client_error counts real errors only), and
 * spends the call's (account, region, service) budget ({@link AwsBudgets}) on every HTTP attempt, SDK retries
 * included. These figures are how we prove the operator's AWS economy.
 *
 * <p>The budget is spent by the lane of the pass on the thread ({@link Lanes}): a change's call waits for its token; a
 * resync pass is admitted to a budget at its first call there with the tokens such a pass costs, taken only above
 * the budget's reserve, else that call throws {@link ResyncDeferred} before anything is sent (counted in
 * {@code ecsbridge_resync_deferred_total} by kind and service, not as a call); an admitted pass spends its tokens,
 * then waits for more above the reserve, behind changes ({@link AwsBudgets#acquireAboveReserve}); the first write a
 * resync pass sends makes the rest of the pass a change's.
 */
public class AwsCallMeter implements ExecutionInterceptor {
  public static final String CALLS = "ecsbridge.aws.api.calls";
  public static final String DURATION = "ecsbridge.aws.api.call.duration";
  public static final String THROTTLE_WAIT = "ecsbridge.aws.client.ratelimit.wait";
  /** Resync passes waiting for their budget: deferred, or asked for later by a read ahead (one gauge per budget). */
  public static final String RESYNC_WAITING = "ecsbridge.resync.waiting";
  public static final String RESYNC_DEFERRED = "ecsbridge.resync.deferred";

  /** Whose budget a client's calls spend: put on each client by {@link AwsClients}. */
  public static final ExecutionAttribute<AwsBudgets.Key> BUDGET = new ExecutionAttribute<>("ecsbridge.budget");

  /** Beyond this many distinct AWS error codes, further ones are counted as "other" (bounded cardinality). */
  static final int MAX_ERROR_CODES = 64;

  private static final ExecutionAttribute<Long> START = new ExecutionAttribute<>("ecsbridge.start");
  /** The nanoseconds a call's attempts waited for the client-side budget: not part of its duration. */
  private static final ExecutionAttribute<Long> WAITED = new ExecutionAttribute<>("ecsbridge.waited");

  private final MeterRegistry registry;
  private final AwsBudgets budgets;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<AwsBudgets.Key, Timer> waits = new ConcurrentHashMap<>();
  private final Map<AwsBudgets.Key, Gauge> waiting = new ConcurrentHashMap<>();
  private final Map<String, Counter> deferrals = new ConcurrentHashMap<>();
  private final Set<String> errorCodes = ConcurrentHashMap.newKeySet();

  /** @param budgets the client-side budgets, or null for none (tests) */
  public AwsCallMeter(MeterRegistry registry, AwsBudgets budgets) {
    this.registry = registry;
    this.budgets = budgets;
  }

  /** The budgets this meter spends, or null. */
  public AwsBudgets budgets() {
    return budgets;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    attributes.putAttribute(START, System.nanoTime());
  }

  /**
   * Admits this thread's RESYNC pass to the key's budget before any call (a read ahead placing its companions in the
   * budget's queue, {@link AwsClients#resyncSlots}), or defers it as its first call would.
   *
   * @return whether this thread's pass holds tokens of the budget already (admitted now or before); false for a pass
   *     that is not a resync (its calls take their tokens as they go)
   */
  boolean admitBeforeCall(AwsBudgets.Key key) {
    Lanes.Pass pass = Lanes.pass();
    if (budgets == null || pass == null || pass.lane != Lanes.Lane.RESYNC) {
      return false;
    }
    if (!pass.admitted(key)) {
      admitOrDefer(pass, key, 0);
    }
    return true;
  }

  /** Admits a RESYNC pass with a pass's tokens, {@code spent} of them for the call being made, or defers it. */
  private void admitOrDefer(Lanes.Pass pass, AwsBudgets.Key key, long spent) {
    waitingGauge(key);
    long cost = budgets.resyncCost(key);
    if (!budgets.tryAdmit(key, cost, pass.id)) {
      Lanes.deferred();
      deferrals.computeIfAbsent(pass.kind + "|" + key.service(), k -> Counter.builder(RESYNC_DEFERRED)
          .description("Resync passes deferred because their AWS call budget kept its reserve for changes")
          .tag("kind", pass.kind).tag("service", key.service()).register(registry)).increment();
      throw new ResyncDeferred(key, budgets.deferral(key, pass.id));
    }
    pass.admit(budgets, key, cost, spent);
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    if (budgets == null) {
      return;
    }
    AwsBudgets.Key key = key(attributes);
    Lanes.Pass pass = Lanes.pass();
    long waited = 0;
    long budgetStart = System.nanoTime();
    try {
      if (pass != null && pass.spendCredit(key)) {
        // a token the pass took when it was admitted
      } else if (pass != null && pass.lane == Lanes.Lane.RESYNC && !pass.admitted(key)) {
        admitOrDefer(pass, key, 1);
      } else {
        try {
          // a resync pass's call beyond the tokens it was admitted with waits above the reserve, behind changes
          waited = pass != null && pass.lane == Lanes.Lane.RESYNC ? budgets.acquireAboveReserve(key)
              : budgets.acquire(key);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw AbortedException.builder().message("interrupted while waiting for the AWS call budget of " + key)
              .cause(e).build();
        }
      }
    } finally {
      // the time spent here (the wait for tokens, parking's oversleep) is not the call's: it leaves the duration,
      // an interrupted wait's too (that call is still recorded, as failed)
      Long before = attributes.getAttribute(WAITED);
      attributes.putAttribute(WAITED, (before == null ? 0 : before) + System.nanoTime() - budgetStart);
    }
    Lanes.took(budgets, key);
    if (!isRead(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
      Lanes.wrote();
    }
    // one timer per budget in use (there from its first call, so that dashboards show 0 rather than nothing)
    waitingGauge(key);
    Timer timer = waits.computeIfAbsent(key, k -> Timer.builder(THROTTLE_WAIT)
        .description("Time AWS requests waited for their (account, region, service) client-side budget")
        .tag("account", k.account()).tag("region", k.region()).tag("service", k.service())
        .register(registry));
    if (waited > 0) {
      timer.record(Duration.ofNanos(waited));
    }
  }

  /** The budget's queue length as a gauge, from its first use (dashboards show 0 rather than nothing). */
  private void waitingGauge(AwsBudgets.Key key) {
    waiting.computeIfAbsent(key, k -> Gauge.builder(RESYNC_WAITING, budgets, b -> b.waiting(k))
        .description("Resync passes waiting for their AWS call budget: deferred, or asked for later by a read ahead")
        .tag("account", k.account()).tag("region", k.region()).tag("service", k.service()).strongReference(true)
        .register(registry));
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    record(attributes, "ok", "none");
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    if (ResyncDeferred.in(context.exception()) != null) {
      return; // not sent: not a call
    }
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    record(attributes, AwsErrors.outcome(operation, context.exception()), errorCode(context.exception()));
  }

  private void record(ExecutionAttributes attributes, String outcome, String errorCode) {
    AwsBudgets.Key key = key(attributes);
    String operation = String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    String id = key.account() + "|" + key.region() + "|" + key.service() + "|" + operation + "|" + outcome;
    counters.computeIfAbsent(id + "|" + errorCode, k -> Counter.builder(CALLS)
        .description("AWS API calls made by the operator")
        .tag("account", key.account()).tag("region", key.region())
        .tag("service", key.service()).tag("operation", operation)
        .tag("outcome", outcome).tag("error_code", errorCode).register(registry)).increment();
    Long start = attributes.getAttribute(START);
    if (start != null) {
      // AWS's answer (and the SDK's retries), not the wait for the client-side budget: that is THROTTLE_WAIT's
      Long waited = attributes.getAttribute(WAITED);
      long nanos = Math.max(0, System.nanoTime() - start - (waited == null ? 0 : waited));
      timers.computeIfAbsent(id, k -> Timer.builder(DURATION)
          .description("Duration of AWS API calls, SDK retries included, the wait for the client-side budget not")
          .tag("account", key.account()).tag("region", key.region())
          .tag("service", key.service()).tag("operation", operation)
          .tag("outcome", outcome).register(registry)).record(Duration.ofNanos(nanos));
    }
  }

  /**
   * Whether an operation only reads (Describe, List, Get, BatchGet, BatchCheck): anything else counts as a write,
   * which makes the rest of a resync pass a change's ({@link Lanes#wrote}).
   */
  static boolean isRead(String operation) {
    return operation != null && (operation.startsWith("Describe") || operation.startsWith("List")
        || operation.startsWith("Get") || operation.startsWith("BatchGet") || operation.startsWith("BatchCheck"));
  }

  /** The client's budget key; a client built elsewhere (none in the operator) spends an "unknown" account's. */
  private static AwsBudgets.Key key(ExecutionAttributes attributes) {
    AwsBudgets.Key key = attributes.getAttribute(BUDGET);
    if (key != null) {
      return key;
    }
    var region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
    return new AwsBudgets.Key("unknown", region == null ? "unknown" : region.id(),
        iamPrefix(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)));
  }

  /** AWS's error code of a failed call ("none" when AWS did not answer one); at most MAX_ERROR_CODES distinct. */
  String errorCode(Throwable failure) {
    Throwable t = failure;
    while (t != null && !(t instanceof AwsServiceException)) {
      t = t.getCause();
    }
    if (t == null || ((AwsServiceException) t).awsErrorDetails() == null) {
      return "none";
    }
    String code = ((AwsServiceException) t).awsErrorDetails().errorCode();
    if (code == null || !code.matches("[A-Za-z0-9._:-]{1,64}")) {
      return "none";
    }
    if (errorCodes.contains(code)) {
      return code;
    }
    synchronized (errorCodes) {
      if (errorCodes.size() < MAX_ERROR_CODES) {
        errorCodes.add(code);
        return code;
      }
    }
    return errorCodes.contains(code) ? code : "other";
  }

  /** The service as IAM names it (ecr, ecs, application-autoscaling): the same label in metrics and policies. */
  static String iamPrefix(String sdkServiceName) {
    if (sdkServiceName == null) {
      return "unknown";
    }
    String key = sdkServiceName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return switch (key) {
      case "applicationautoscaling" -> "application-autoscaling";
      default -> key;
    };
  }

  /** Total calls so far, optionally only those of one service/operation/outcome (null = any); tests, benchmarks. */
  public static double count(MeterRegistry registry, String service, String operation, String outcome) {
    return count(registry, null, service, operation, outcome);
  }

  /** Total calls so far of one account (its label: the account id when known, else the AwsAccount's name). */
  public static double count(MeterRegistry registry, String account, String service, String operation,
      String outcome) {
    String label = service == null ? null : iamPrefix(service);
    return registry.find(CALLS).counters().stream()
        .filter(c -> account == null || account.equals(c.getId().getTag("account")))
        .filter(c -> label == null || label.equals(c.getId().getTag("service")))
        .filter(c -> operation == null || operation.equals(c.getId().getTag("operation")))
        .filter(c -> outcome == null || outcome.equals(c.getId().getTag("outcome")))
        .mapToDouble(Counter::count).sum();
  }
}
