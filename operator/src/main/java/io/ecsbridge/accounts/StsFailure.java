package io.ecsbridge.accounts;

import io.ecsbridge.aws.AwsErrors;
import io.ecsbridge.aws.AwsException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Why STS refused: the first AWS service error in the failure's causes (the credentials provider wraps AssumeRole's
 * error in a client error), with its code and message as STS gave them; else the project's classification.
 */
record StsFailure(boolean retryable, String reason, String message) {

  static StsFailure of(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
        String code = aws.awsErrorDetails().errorCode();
        String message = aws.awsErrorDetails().errorMessage();
        boolean retryable = aws.isThrottlingException() || aws.statusCode() >= 500;
        return new StsFailure(retryable, code != null ? code : "AssumeRoleFailed",
            "cannot assume the role: " + (message != null ? message : aws.getMessage()));
      }
    }
    AwsException classified = AwsErrors.classify(error);
    return new StsFailure(classified.retryable(), classified.reason(), classified.getMessage());
  }
}
