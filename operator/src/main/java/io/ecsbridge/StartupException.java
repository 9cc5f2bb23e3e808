package io.ecsbridge;

/** The operator cannot start; the message is one line that says what to fix. */
public class StartupException extends RuntimeException {
  public StartupException(String message) {
    super(message);
  }
}
