package io.ecsbridge.aws;

/**
 * Names out of the ARNs ECS and ECR answer with, for code that is given either a name or an ARN (a spec's raw cluster,
 * a tag call's ARN, a service list). One place, so that a cluster, a service and a repository are told apart the same
 * way everywhere (the gateways' write bookkeeping, ownership messages, Events).
 */
public final class ArnNames {
  private static final String REPOSITORY = ":repository/";

  private ArnNames() {}

  /**
   * The name of an ECS cluster, service or task definition given by name or ARN: an ARN's last part
   * ({@code arn:aws:ecs:r:a:cluster/prod} → {@code prod}; a service's {@code service/cluster/web} or older
   * {@code service/web} → {@code web}; {@code task-definition/web:4} → {@code web:4}); a name as it is; null as null.
   */
  public static String ecsName(String nameOrArn) {
    if (nameOrArn == null) {
      return null;
    }
    int slash = nameOrArn.lastIndexOf('/');
    return nameOrArn.startsWith("arn:") && slash >= 0 ? nameOrArn.substring(slash + 1) : nameOrArn;
  }

  /**
   * An ECR repository's name from its ARN ({@code arn:aws:ecr:region:account:repository/name}; the name may hold
   * '/'); a name as it is; null as null.
   */
  public static String repositoryName(String arnOrName) {
    if (arnOrName == null) {
      return null;
    }
    int at = arnOrName.indexOf(REPOSITORY);
    return at < 0 ? arnOrName : arnOrName.substring(at + REPOSITORY.length());
  }

  /**
   * Where an ARN's object lives, without the object's own name: the ARN up to the resource type, and for a service its
   * cluster ({@code arn:aws:ecr:r:a:repository/web} → {@code arn:aws:ecr:r:a:repository};
   * {@code arn:aws:ecs:r:a:cluster/prod} → {@code arn:aws:ecs:r:a:cluster}; {@code arn:aws:ecs:r:a:service/prod/web} →
   * {@code arn:aws:ecs:r:a:service/prod}). Null for null, a name, any other ARN, and an older service ARN that does not
   * name its cluster ({@code service/web}).
   */
  public static String place(String arn) {
    if (arn == null || !arn.startsWith("arn:")) {
      return null;
    }
    for (String type : new String[] {REPOSITORY, ":cluster/"}) {
      int at = arn.indexOf(type);
      if (at >= 0 && at + type.length() < arn.length()) {
        return arn.substring(0, at + type.length() - 1);
      }
    }
    int service = arn.indexOf(":service/");
    int slash = arn.lastIndexOf('/');
    if (service >= 0 && slash > service + ":service/".length() && slash < arn.length() - 1) {
      return arn.substring(0, slash);
    }
    return null;
  }
}
