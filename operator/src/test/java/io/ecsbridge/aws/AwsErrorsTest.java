package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
  void knownTransientCodesAndMessagesAreRetryableNotTerminal() {
    assertThat(AwsErrors.classify(error("UpdateInProgressException", 400,
        "The specified cluster is in the process of being updated.")).retryable()).isTrue();
    assertThat(AwsErrors.classify(error("ResourceInUseException", 400, "The capacity provider is in use"))
        .retryable()).isTrue();
    assertThat(AwsErrors.classify(error("ServiceNotActiveException", 400, "Service was not ACTIVE.")).retryable())
        .isTrue();
    assertThat(AwsErrors.classify(error("ClientException", 400,
        "Too many concurrent attempts to create a new revision of the specified family.")).retryable()).isTrue();
    assertThat(AwsErrors.classify(error("InvalidParameterException", 400,
        "Unable to assume the service linked role. Please verify that the ECS service linked role exists."))
        .retryable()).isTrue();
    assertThat(AwsErrors.classify(error("LimitExceededException", 400, "quota")).kind())
        .as("a quota needs a person").isEqualTo(AwsException.Kind.TERMINAL);
  }

  @Test
  void operatorConfigurationErrorsAreTerminalAndNameTheSetting() {
    AwsException region = AwsErrors.classify(SdkClientException.create("Unable to load region from any of the "
        + "providers in the chain"));
    assertThat(region.kind()).isEqualTo(AwsException.Kind.TERMINAL);
    assertThat(region.reason()).isEqualTo("NoRegion");
    assertThat(region.getMessage()).contains("AWS_REGION").contains("spec.region");
    AwsException credentials = AwsErrors.classify(SdkClientException.create("Unable to load credentials from any "
        + "of the providers in the chain AwsCredentialsProviderChain(...)"));
    assertThat(credentials.reason()).isEqualTo("NoCredentials");
    assertThat(credentials.getMessage()).contains("eks.amazonaws.com/role-arn").contains("AWS_ACCESS_KEY_ID");
    AwsException dns = AwsErrors.classify(SdkClientException.create("Unable to execute HTTP request: ecs.nowhere",
        new java.net.UnknownHostException("ecs.nowhere.example")));
    assertThat(dns.kind()).isEqualTo(AwsException.Kind.TERMINAL);
    assertThat(dns.reason()).isEqualTo("EndpointUnreachable");
    assertThat(dns.getMessage()).contains("AWS_ENDPOINT_URL");
    assertThat(AwsErrors.classify(SdkClientException.create("Connection refused",
        new java.net.ConnectException("Connection refused"))).retryable()).as("the network comes back").isTrue();
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

  @Test
  void notFoundIsAnOutcomeOfReadsAndDeletesOnly() {
    for (String code : List.of("RepositoryNotFoundException", "LifecyclePolicyNotFoundException",
        "RepositoryPolicyNotFoundException", "ClusterNotFoundException", "ServiceNotFoundException",
        "ResourceNotFoundException", "ImageNotFoundException", "RegistryPolicyNotFoundException",
        "ParameterNotFound")) {
      assertThat(AwsErrors.outcome("DescribeRepositories", error(code, 400, "x"))).as(code).isEqualTo("not_found");
      assertThat(AwsErrors.outcome("GetParameter", error(code, 400, "x"))).as(code).isEqualTo("not_found");
      assertThat(AwsErrors.outcome("DeleteLifecyclePolicy", error(code, 400, "x"))).as(code).isEqualTo("not_found");
      assertThat(AwsErrors.outcome("CreateService", error(code, 400, "x"))).as(code).isEqualTo("client_error");
      assertThat(AwsErrors.outcome("PutLifecyclePolicy", error(code, 400, "x"))).as(code).isEqualTo("client_error");
      assertThat(AwsErrors.outcome(error(code, 400, "x"))).as("operation unknown").isEqualTo("client_error");
    }
    assertThat(AwsErrors.outcome("DescribeServices", error("AccessDeniedException", 400, "x")))
        .isEqualTo("client_error");
    assertThat(AwsErrors.outcome("DescribeServices", error("ThrottlingException", 400, "x"))).isEqualTo("throttled");
  }

  @Test
  void aRepositoryCreateAnsweredThatItExistsIsExpectedNotAnError() {
    assertThat(AwsErrors.outcome("CreateRepository", error("RepositoryAlreadyExistsException", 400, "x")))
        .isEqualTo("exists");
    assertThat(AwsErrors.outcome("CreateRepository", error("AccessDeniedException", 400, "x")))
        .isEqualTo("client_error");
    assertThat(AwsErrors.outcome("CreateService", error("RepositoryAlreadyExistsException", 400, "x")))
        .isEqualTo("client_error");
    assertThat(AwsErrors.outcome(error("RepositoryAlreadyExistsException", 400, "x"))).as("operation unknown")
        .isEqualTo("client_error");
  }
}
