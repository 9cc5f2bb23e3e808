package io.ecsbridge.aws;

/**
 * A failed AWS call, classified once ({@link AwsErrors#classify}) so that no reconciler guesses what an SDK
 * exception means.
 */
public class AwsException extends RuntimeException {

  public enum Kind {
    /** Throttling, 5xx, timeouts, connection errors: retried with backoff, never Stalled. */
    RETRYABLE,
    /** The resource (or a sub-resource such as a policy) does not exist. */
    NOT_FOUND,
    /** A person must act: validation error, access denied, limit, conflict. Stalled with AWS's message. */
    TERMINAL
  }

  private final Kind kind;
  private final String errorCode;
  private final int statusCode;

  public AwsException(Kind kind, String errorCode, int statusCode, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.errorCode = errorCode;
    this.statusCode = statusCode;
  }

  public Kind kind() {
    return kind;
  }

  public boolean retryable() {
    return kind == Kind.RETRYABLE;
  }

  public boolean notFound() {
    return kind == Kind.NOT_FOUND;
  }

  /** AWS's error code (for example RepositoryNotEmptyException, AccessDeniedException), or a client-side code. */
  public String errorCode() {
    return errorCode;
  }

  public int statusCode() {
    return statusCode;
  }

  /** A condition reason (UpperCamelCase) derived from the AWS error code. */
  public String reason() {
    String code = errorCode == null || errorCode.isBlank() ? "AwsError" : errorCode;
    code = code.replaceAll("[^A-Za-z0-9]", "");
    if (code.endsWith("Exception")) {
      code = code.substring(0, code.length() - "Exception".length());
    }
    if (code.isEmpty()) {
      return "AwsError";
    }
    return Character.toUpperCase(code.charAt(0)) + code.substring(1);
  }
}
