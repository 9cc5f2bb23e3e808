package io.ecsbridge.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the operator does with ECS task definitions: small, free of Kubernetes types, faked in unit tests. Content
 * travels as JSON in the RegisterTaskDefinition / TaskDefinition shape (AWS's own field names).
 */
public interface TaskDefinitionGateway {

  /** The latest ACTIVE revision of the family with its tags (DescribeTaskDefinition, include TAGS), or empty. */
  Optional<Revision> latest(String region, String family);

  /** Registers a new revision of the family with this content and these tags; the answer carries those tags. */
  Revision register(String region, String family, ObjectNode content, Map<String, String> tags);

  /** ARNs of the family's ACTIVE revisions (all pages, this family exactly), oldest first. */
  List<String> activeRevisions(String region, String family);

  Map<String, String> tags(String region, String arn);

  void tag(String region, String arn, Map<String, String> tags);

  void untag(String region, String arn, Set<String> keys);

  void deregister(String region, String arn);

  /**
   * One revision as ECS reports it.
   *
   * @param content the whole TaskDefinition JSON, read-only fields included
   */
  record Revision(String arn, String family, long revision, String status, ObjectNode content,
      Map<String, String> tags) {}

  /** The revision number at the end of a task definition ARN (…:task-definition/family:7), or -1. */
  static long revisionOf(String arn) {
    int colon = arn.lastIndexOf(':');
    try {
      return Long.parseLong(arn.substring(colon + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return -1;
    }
  }

  /** The family of a task definition ARN (…:task-definition/family:7) or family:revision. */
  static String familyOf(String arn) {
    String tail = arn.substring(arn.lastIndexOf('/') + 1);
    int colon = tail.lastIndexOf(':');
    return colon < 0 ? tail : tail.substring(0, colon);
  }
}
