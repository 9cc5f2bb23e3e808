package io.ecsbridge.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator does with AWS Secrets Manager: small, free of Kubernetes types, faked in unit tests. A secret's
 * value passes through here as a string and is never logged, put into an exception message or returned by anything
 * but {@link #value}.
 */
public interface SecretsGateway {

  /** How long a deleted secret stays recoverable (DeleteSecret's RecoveryWindowInDays). */
  int RECOVERY_WINDOW_DAYS = 7;

  /** Creates the secret with this string value and these tags; its ARN. */
  String create(String region, String name, String value, Map<String, String> tags);

  /** The current string value of the secret (GetSecretValue), or empty when it does not exist or is being deleted. */
  Optional<String> value(String region, String arn);

  /** The secrets whose name starts with {@code prefix} (ListSecrets, all pages), with their tags; not deleted ones. */
  List<Summary> list(String region, String prefix);

  /** Schedules the secret's deletion with the {@link #RECOVERY_WINDOW_DAYS} recovery window (DeleteSecret). */
  void delete(String region, String arn);

  /** One secret as ListSecrets reports it. */
  record Summary(String arn, String name, Map<String, String> tags) {}
}
