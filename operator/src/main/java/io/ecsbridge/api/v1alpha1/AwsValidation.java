package io.ecsbridge.api.v1alpha1;

/**
 * Admission rules several kinds share (CEL expressions and OpenAPI patterns, as annotation constants), each the
 * tightest form AWS documents for the field, so that the API server refuses what AWS would refuse and nothing it
 * would accept. README.md lists them with their messages.
 */
final class AwsValidation {
  private AwsValidation() {}

  /** An AWS partition in an ARN: aws, aws-cn, aws-us-gov, aws-iso-b, ... */
  private static final String PARTITION = "aws(-[a-z]+)*";
  private static final String ACCOUNT = "[0-9]{12}";
  private static final String REGION = "[a-z0-9-]+";

  /** IAM role ARN (IAM: optional path of printable ASCII ending in /, name of [\w+=,.@-] up to 64). */
  static final String ROLE_ARN = "arn:" + PARTITION + ":iam::" + ACCOUNT + ":role/([!-~]*/)?[\\w+=,.@-]{1,64}";
  /** IAM role name (CreateRole RoleName). */
  static final String ROLE_NAME = "[\\w+=,.@-]{1,64}";

  static final String EXECUTION_ROLE_ARN = "self.matches(r'^" + ROLE_ARN + "$')";
  static final String EXECUTION_ROLE_ARN_MESSAGE = "executionRoleArn must be an IAM role ARN: "
      + "arn:<partition>:iam::<12-digit account>:role/<optional path/><name>";

  /** ECS documents taskRoleArn as "the short name or full ARN of the IAM role". */
  static final String TASK_ROLE_ARN = "self.matches(r'^(" + ROLE_NAME + "|" + ROLE_ARN + ")$')";
  static final String TASK_ROLE_ARN_MESSAGE = "taskRoleArn must be an IAM role ARN "
      + "(arn:<partition>:iam::<12-digit account>:role/<optional path/><name>) or the name of a role";

  /** ECS documents a service's role as a name, a name prefixed with its path (/foo/bar), or an ARN. */
  static final String SERVICE_ROLE = "self.matches(r'^((/([!-~]*/)?)?" + ROLE_NAME + "|" + ROLE_ARN + ")$')";
  static final String SERVICE_ROLE_MESSAGE = "role must be an IAM role name (or /path/name) or an IAM role ARN "
      + "(arn:<partition>:iam::<12-digit account>:role/<optional path/><name>)";

  /** ELBv2 target group ARN: targetgroup/<name: 1-32 letters, digits, hyphens>/<hex id>. */
  static final String TARGET_GROUP_ARN = "self.matches(r'^arn:" + PARTITION + ":elasticloadbalancing:" + REGION + ":"
      + ACCOUNT + ":targetgroup/[a-zA-Z0-9-]{1,32}/[0-9a-f]+$')";
  static final String TARGET_GROUP_ARN_MESSAGE = "targetGroupArn must be an Elastic Load Balancing target group ARN: "
      + "arn:<partition>:elasticloadbalancing:<region>:<12-digit account>:targetgroup/<name>/<id>";

  static final String CLOUD_MAP_SERVICE_ARN = "self.matches(r'^arn:" + PARTITION + ":servicediscovery:" + REGION + ":"
      + ACCOUNT + ":service/[0-9A-Za-z_-]{1,64}$')";
  static final String CLOUD_MAP_SERVICE_ARN_MESSAGE = "registryArn must be a Cloud Map service ARN: "
      + "arn:<partition>:servicediscovery:<region>:<12-digit account>:service/<id>";

  /** A Secrets Manager secret name (letters, digits, /_+=.@-) or an SSM parameter name (letters, digits, _.-/). */
  private static final String SECRET_OR_PARAMETER_NAME = "[a-zA-Z0-9_.\\-/+=@]+";

  /**
   * valueFrom of a container secret or log option: an SSM parameter ARN, a Secrets Manager secret ARN (with the
   * optional :json-key:version-stage:version-id suffix), or, in the task's region, the parameter's or secret's name.
   */
  static final String SECRET_VALUE_FROM = "^(arn:" + PARTITION + ":(ssm:" + REGION + ":" + ACCOUNT + ":parameter/"
      + "|secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:).+|" + SECRET_OR_PARAMETER_NAME + ")$";

  /** repositoryCredentials.credentialsParameter: a Secrets Manager secret ARN, or its name in the task's region. */
  static final String SECRET_ARN_OR_NAME = "^(arn:" + PARTITION + ":secretsmanager:" + REGION + ":" + ACCOUNT
      + ":secret:.+|" + SECRET_OR_PARAMETER_NAME + ")$";

  /** environmentFiles[].value: the ARN of an S3 object, arn:aws:s3:::bucket/key. */
  static final String S3_OBJECT_ARN = "^arn:" + PARTITION + ":s3:::[^/]+/.+$";

  /**
   * A capacity provider name: FARGATE, FARGATE_SPOT, or a custom provider (CreateCapacityProvider: letters, digits,
   * _ and -, up to 255, never starting with aws, ecs or fargate in any case).
   */
  static final String CAPACITY_PROVIDER_NAME = "self == 'FARGATE' || self == 'FARGATE_SPOT' || "
      + "(self.matches(r'^[a-zA-Z0-9_-]{1,255}$') && !self.lowerAscii().matches(r'^(aws|ecs|fargate)'))";
  static final String CAPACITY_PROVIDER_NAMES = "self.all(c, c == 'FARGATE' || c == 'FARGATE_SPOT' || "
      + "(c.matches(r'^[a-zA-Z0-9_-]{1,255}$') && !c.lowerAscii().matches(r'^(aws|ecs|fargate)')))";
  static final String CAPACITY_PROVIDER_MESSAGE = "capacityProvider must be FARGATE, FARGATE_SPOT or the name of a "
      + "custom capacity provider: letters, digits, _ and -, not starting with aws, ecs or fargate (in any case), "
      + "which AWS reserves";
  static final String CAPACITY_PROVIDERS_MESSAGE = "each of capacityProviders must be FARGATE, FARGATE_SPOT or the "
      + "name of a custom capacity provider: letters, digits, _ and -, not starting with aws, ecs or fargate (in any "
      + "case), which AWS reserves";

  /** Tag keys reserved: ours, and aws: in any case (AWS's). */
  static final String TAG_KEYS_RESERVED = "self.all(k, !k.startsWith('ecsbridge.io/') && "
      + "!k.lowerAscii().startsWith('aws:'))";
  static final String TAG_KEYS_RESERVED_MESSAGE = "tag keys starting with ecsbridge.io/ or aws: are reserved "
      + "(aws: in any case)";
  static final String TAG_KEYS_LENGTH = "self.all(k, k.size() >= 1 && k.size() <= 128)";
  static final String TAG_KEYS_LENGTH_MESSAGE = "tag keys are 1 to 128 characters long";
  /** ECS's documented tag character set, ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$, for keys and values. */
  static final String ECS_TAG_CHARACTERS = "self.all(k, k.matches(r'^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$') && "
      + "self[k].matches(r'^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$'))";
  static final String ECS_TAG_CHARACTERS_MESSAGE = "tag keys and values may contain only letters, digits, spaces and "
      + "_ . : / = + - @ (ECS's tag character set)";
}
