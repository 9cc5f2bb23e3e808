package io.ecsbridge.aws;

import io.ecsbridge.aws.AwsException.Kind;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** The one place that decides what an AWS failure means: retry, not found, or a person must act. */
public final class AwsErrors {

  private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "ThrottledException",
      "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled",
      "SlowDown", "ProvisionedThroughputExceededException", "PriorRequestNotComplete", "EC2ThrottledException",
      "TransactionInProgressException", "ConcurrentUpdateException");

  private static final Set<String> RETRYABLE_CODES = Set.of("ServerException", "ServiceUnavailable",
      "ServiceUnavailableException", "InternalFailure", "InternalServerError", "InternalError",
      "RequestTimeout", "RequestTimeoutException", "ServerError");

  private static final Set<String> NOT_FOUND = Set.of("RepositoryNotFoundException",
      "LifecyclePolicyNotFoundException", "RepositoryPolicyNotFoundException", "ClusterNotFoundException",
      "ServiceNotFoundException", "ObjectNotFoundException", "ResourceNotFoundException", "NotFoundException");

  private AwsErrors() {}

  /** Runs one AWS call, turning any SDK failure into a classified {@link AwsException}. */
  public static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
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
      } else if (status >= 500 || (code != null && RETRYABLE_CODES.contains(code))) {
        kind = Kind.RETRYABLE;
      } else if (code != null && NOT_FOUND.contains(code)) {
        kind = Kind.NOT_FOUND;
      } else {
        kind = Kind.TERMINAL;
      }
      return new AwsException(kind, code, status, message, service);
    }
    if (error instanceof SdkClientException client) {
      // no answer from AWS at all: connection refused, timeouts, DNS. The network will come back.
      return new AwsException(Kind.RETRYABLE, "ClientError", 0, client.getMessage(), client);
    }
    if (error instanceof SdkException sdk) {
      return new AwsException(Kind.RETRYABLE, "SdkError", 0, sdk.getMessage(), sdk);
    }
    return new AwsException(Kind.RETRYABLE, "Unexpected", 0, String.valueOf(error.getMessage()), error);
  }

  /** Metric outcome label of a failed call. */
  public static String outcome(Throwable error) {
    AwsException e = classify(error);
    if (e.retryable()) {
      if (e.statusCode() == 0) {
        return "network_error";
      }
      return e.statusCode() >= 500 ? "server_error" : "throttled";
    }
    return "client_error";
  }
}
