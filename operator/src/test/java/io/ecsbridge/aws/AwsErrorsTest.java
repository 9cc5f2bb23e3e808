package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorsTest {

  private static AwsServiceException error(String code, int status, String message) {
    return AwsServiceException.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
  }

  @Test
  void throttlingAndServerErrorsAreRetryable() {
    assertThat(AwsErrors.classify(error("ThrottlingException", 400, "Rate exceeded")).retryable()).isTrue();
    assertThat(AwsErrors.classify(error("TooManyRequestsException", 429, "slow down")).retryable()).isTrue();
    assertThat(AwsErrors.classify(error("ServerException", 500, "oops")).retryable()).isTrue();
    assertThat(AwsErrors.classify(error("Whatever", 503, "unavailable")).retryable()).isTrue();
    assertThat(AwsErrors.classify(SdkClientException.create("Connection refused")).retryable()).isTrue();
  }

  @Test
  void validationAndAccessDeniedAreTerminalWithAwsMessage() {
    AwsException e = AwsErrors.classify(error("AccessDeniedException", 400, "User is not authorized"));
    assertThat(e.kind()).isEqualTo(AwsException.Kind.TERMINAL);
    assertThat(e.getMessage()).isEqualTo("User is not authorized");
    assertThat(e.reason()).isEqualTo("AccessDenied");
    assertThat(AwsErrors.classify(error("InvalidParameterException", 400, "bad")).reason())
        .isEqualTo("InvalidParameter");
    assertThat(AwsErrors.classify(error("ClientException", 400, "bad")).kind()).isEqualTo(AwsException.Kind.TERMINAL);
  }

  @Test
  void notFoundIsItsOwnKind() {
    assertThat(AwsErrors.classify(error("RepositoryNotFoundException", 400, "none")).notFound()).isTrue();
  }

  @Test
  void metricOutcomes() {
    assertThat(AwsErrors.outcome(error("ThrottlingException", 400, "x"))).isEqualTo("throttled");
    assertThat(AwsErrors.outcome(error("InternalFailure", 500, "x"))).isEqualTo("server_error");
    assertThat(AwsErrors.outcome(error("ValidationException", 400, "x"))).isEqualTo("client_error");
    assertThat(AwsErrors.outcome(SdkClientException.create("timeout"))).isEqualTo("network_error");
  }
}
