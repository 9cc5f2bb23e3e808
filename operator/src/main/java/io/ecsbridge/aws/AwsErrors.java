package io.ecsbridge.aws;

import io.ecsbridge.aws.AwsException.Kind;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** The one place that decides what an AWS failure means: retry, not found, or a person must act. */
public final class AwsErrors {
  /** ECR's refusal of a CreateRepository whose name exists (the refusal changes nothing). */
  public static final String REPOSITORY_EXISTS = "RepositoryAlreadyExistsException";

  private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "ThrottledException",
      "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled",
      "SlowDown", "ProvisionedThroughputExceededException", "PriorRequestNotComplete", "EC2ThrottledException",
      "TransactionInProgressException", "ConcurrentUpdateException");

  private static final Set<String> RETRYABLE_CODES = Set.of("ServerException", "ServiceUnavailable",
      "ServiceUnavailableException", "InternalFailure", "InternalServerError", "InternalError",
      "RequestTimeout", "RequestTimeoutException", "ServerError");

  /**
   * Codes that say "not now" rather than "no": a conflicting operation still in progress, a resource busy, AWS not yet
   * consistent after a change made a moment ago. They end by themselves, so they are retried, never Stalled.
   * <ul>
   *   <li>UpdateInProgressException, ResourceInUseException: ECS PutClusterCapacityProviders / UpdateCluster /
   *       DeleteCapacityProvider while a previous change to the cluster or provider is being applied;</li>
   *   <li>ServiceNotActiveException: UpdateService on a service ECS is still creating or draining;</li>
   *   <li>ClusterContainsTasksException, ClusterContainsServicesException...: deleting a cluster still draining
   *       (handled as a wait by the cluster's delete; retried anywhere else);</li>
   *   <li>LimitExceededException is not here: it is a quota a person must raise (Stalled, looked at again).</li>
   * </ul>
   */
  private static final Set<String> TRANSIENT_CODES = Set.of("UpdateInProgressException", "ResourceInUseException",
      "ServiceNotActiveException", "ClusterContainsTasksException", "ClusterContainsServicesException",
      "ClusterContainsContainerInstancesException", "ClusterContainsCapacityProviderException",
      "ConflictException", "TooManyRequests");

  /**
   * Messages of generic client errors (ECS answers ClientException / InvalidParameterException for these) that are
   * transient: concurrent revisions of one family, and IAM's eventual consistency right after a role was made.
   */
  private static final List<String> TRANSIENT_MESSAGES = List.of(
      "Too many concurrent attempts to create a new revision",
      "Unable to assume the service linked role",
      "Please verify that the ECS service linked role exists");

  private static final Set<String> NOT_FOUND = Set.of("RepositoryNotFoundException",
      "LifecyclePolicyNotFoundException", "RepositoryPolicyNotFoundException", "ClusterNotFoundException",
      "ServiceNotFoundException", "ObjectNotFoundException", "ResourceNotFoundException", "NotFoundException",
      "PullThroughCacheRuleNotFoundException", "TemplateNotFoundException");

  private AwsErrors() {}

  /** Runs one AWS call, turning any SDK failure into a classified {@link AwsException}. */
  public static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      ResyncDeferred deferred = ResyncDeferred.in(e);
      if (deferred != null) {
        throw deferred; // not a failure: the frame ends the pass and comes back later
      }
      throw classify(e);
    }
  }

  public static void run(Runnable call) {
    call(() -> {
      call.run();
      return null;
    });
  }

  public static AwsException classify(Throwable error) {
    if (error instanceof AwsException aws) {
      return aws;
    }
    if (error instanceof AwsServiceException service) {
      String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      String message = service.awsErrorDetails() != null && service.awsErrorDetails().errorMessage() != null
          ? service.awsErrorDetails().errorMessage() : service.getMessage();
      int status = service.statusCode();
      Kind kind;
      if (service.isThrottlingException() || (code != null && THROTTLING.contains(code)) || status == 429) {
        kind = Kind.RETRYABLE;
      } else if (status >= 500 || (code != null && (RETRYABLE_CODES.contains(code) || TRANSIENT_CODES.contains(code)))
          || (message != null && TRANSIENT_MESSAGES.stream().anyMatch(message::contains))) {
        kind = Kind.RETRYABLE;
      } else if (code != null && NOT_FOUND.contains(code)) {
        kind = Kind.NOT_FOUND;
      } else {
        kind = Kind.TERMINAL;
      }
      return new AwsException(kind, code, status, message, service);
    }
    if (error instanceof SdkClientException client) {
      AwsException configuration = configurationError(client);
      if (configuration != null) {
        return configuration;
      }
      // no answer from AWS at all: connection refused, timeouts. The network will come back.
      return new AwsException(Kind.RETRYABLE, "ClientError", 0, client.getMessage(), client);
    }
    if (error instanceof SdkException sdk) {
      return new AwsException(Kind.RETRYABLE, "SdkError", 0, sdk.getMessage(), sdk);
    }
    return new AwsException(Kind.RETRYABLE, "Unexpected", 0, String.valueOf(error.getMessage()), error);
  }

  /**
   * A failure that no retry can cure because the operator itself is set up wrong: no region, no credentials, an
   * endpoint whose host name does not resolve. Terminal (Stalled, looked at again on the slow backoff, so fixing the
   * setting and restarting heals it), with a message that names the setting to fix.
   */
  static AwsException configurationError(SdkClientException client) {
    String message = String.valueOf(client.getMessage());
    if (message.contains("Unable to load region")) {
      return noRegion();
    }
    if (message.contains("Unable to load credentials") || message.contains("Unable to load an AWS credentials")) {
      return new AwsException(Kind.TERMINAL, "NoCredentials", 0, "The operator has no AWS credentials: give its pod"
          + " an IAM role (IRSA: the ServiceAccount annotation eks.amazonaws.com/role-arn, Helm value"
          + " serviceAccount.annotations; or EKS Pod Identity), or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY. The AWS"
          + " SDK said: " + message, client);
    }
    for (Throwable cause = client; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnknownHostException) {
        return new AwsException(Kind.TERMINAL, "EndpointUnreachable", 0, "The AWS endpoint's host name does not"
            + " resolve (" + cause.getMessage() + "): check the operator's AWS_ENDPOINT_URL (--aws-endpoint-url) and"
            + " the region (AWS_REGION, spec.region), and the pod's DNS and egress", client);
      }
    }
    return null;
  }

  /** No region for a resource: neither the operator's default nor spec.region. */
  public static AwsException noRegion() {
    return new AwsException(Kind.TERMINAL, "NoRegion", 0, "No AWS region for this resource: set the operator's"
        + " AWS_REGION (--aws-region, Helm value aws.region) or spec.region", null);
  }

  /**
   * AWS's answers that something does not exist. On a read or a delete the operator expects them (it looks before it
   * creates, and a delete of what is already gone is done), so the metrics count them apart from errors. A superset
   * of {@link #NOT_FOUND} (the codes classified {@code NOT_FOUND}): the ECR image, registry policy and SSM parameter
   * codes are handled by their gateways.
   */
  private static final Set<String> EXPECTED_NOT_FOUND = Stream.concat(NOT_FOUND.stream(),
      Stream.of("ImageNotFoundException", "RegistryPolicyNotFoundException",
          "ScanNotFoundException", "ParameterNotFound", "ParameterVersionNotFound"))
      .collect(Collectors.toUnmodifiableSet());

  /** Operations whose NotFound answer is an outcome, not an error: reads, and deletes (already gone is done). */
  private static final Pattern READ_OR_DELETE = Pattern.compile(
      "(Describe|Get|List|BatchGet|Delete|Deregister).*");

  /** Metric outcome label of a failed call of any operation. */
  public static String outcome(Throwable error) {
    return outcome(null, error);
  }

  /**
   * Metric outcome label of a failed call: {@code not_found} for a NotFound code answered to a read or a delete,
   * {@code exists} for CreateRepository answered RepositoryAlreadyExistsException (a new repository is created before it
   * is read: the answer is expected and changed nothing) ({@code operation} null: not known, neither), else throttled,
   * server_error, network_error or client_error.
   */
  public static String outcome(String operation, Throwable error) {
    AwsException e = classify(error);
    if (e.retryable()) {
      if (e.statusCode() == 0) {
        return "network_error";
      }
      return e.statusCode() >= 500 ? "server_error" : "throttled";
    }
    if (operation != null && READ_OR_DELETE.matcher(operation).matches() && e.errorCode() != null
        && EXPECTED_NOT_FOUND.contains(e.errorCode())) {
      return "not_found";
    }
    if ("CreateRepository".equals(operation) && REPOSITORY_EXISTS.equals(e.errorCode())) {
      return "exists";
    }
    return "client_error";
  }

  /** A reconcile thread is interrupted only when JOSDK stops its executor (the operator stops). */
  public static boolean interruptedByStop(Throwable e) {
    if (Thread.currentThread().isInterrupted()) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      // (not InterruptedIOException's subclasses: SocketTimeoutException and connect timeouts are network failures)
      if (t instanceof InterruptedException || t.getClass() == java.io.InterruptedIOException.class
          || t instanceof java.nio.channels.ClosedByInterruptException
          || t instanceof software.amazon.awssdk.core.exception.AbortedException) {
        return true;
      }
    }
    return false;
  }
}
