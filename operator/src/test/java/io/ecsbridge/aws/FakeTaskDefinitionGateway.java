package io.ecsbridge.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * In-memory ECS task definitions for unit tests: revisions numbered per family, ACTIVE or INACTIVE, with tags. Every
 * call is recorded in {@link #calls} (reads and writes) and writes also in {@link #writes}.
 */
public class FakeTaskDefinitionGateway implements TaskDefinitionGateway {
  public static final String ACCOUNT_ARN = "arn:aws:ecs:eu-west-1:123456789012:task-definition/";

  /** One stored revision; content is what ECS would return (see {@link #storeAs}). */
  public static final class Stored {
    public final String family;
    public final long revision;
    public final ObjectNode content;
    public final Map<String, String> tags;
    public String status = "ACTIVE";

    Stored(String family, long revision, ObjectNode content, Map<String, String> tags) {
      this.family = family;
      this.revision = revision;
      this.content = content;
      this.tags = new TreeMap<>(tags);
    }

    public String arn() {
      return ACCOUNT_ARN + family + ":" + revision;
    }
  }

  public final Map<String, TreeMap<Long, Stored>> families = new HashMap<>();
  public final List<String> calls = new ArrayList<>();
  public final List<String> writes = new ArrayList<>();
  /** How registered content is stored (what DescribeTaskDefinition returns later); identity by default. */
  public java.util.function.UnaryOperator<ObjectNode> storeAs = c -> c;

  private Revision view(Stored s) {
    ObjectNode content = s.content.deepCopy();
    content.put("taskDefinitionArn", s.arn()).put("family", s.family).put("revision", s.revision)
        .put("status", s.status);
    return new Revision(s.arn(), s.family, s.revision, s.status, content, new TreeMap<>(s.tags));
  }

  private Stored find(String arn) {
    String family = TaskDefinitionGateway.familyOf(arn);
    Stored s = families.getOrDefault(family, new TreeMap<>()).get(TaskDefinitionGateway.revisionOf(arn));
    if (s == null) {
      throw new AwsException(AwsException.Kind.TERMINAL, "ClientException", 400, "Unable to describe task definition.",
          null);
    }
    return s;
  }

  @Override
  public Optional<Revision> latest(String region, String family) {
    calls.add("DescribeTaskDefinition");
    return families.getOrDefault(family, new TreeMap<>()).descendingMap().values().stream()
        .filter(s -> s.status.equals("ACTIVE")).findFirst().map(this::view);
  }

  /** Registers as someone else would (no call recorded). */
  public Stored put(String family, ObjectNode content, Map<String, String> tags) {
    TreeMap<Long, Stored> revisions = families.computeIfAbsent(family, f -> new TreeMap<>());
    long next = revisions.isEmpty() ? 1 : revisions.lastKey() + 1;
    Stored s = new Stored(family, next, storeAs.apply(content.deepCopy()), tags);
    revisions.put(next, s);
    return s;
  }

  @Override
  public Revision register(String region, String family, ObjectNode content, Map<String, String> tags) {
    calls.add("RegisterTaskDefinition");
    writes.add("RegisterTaskDefinition");
    return view(put(family, content, tags));
  }

  @Override
  public List<String> activeRevisions(String region, String family) {
    calls.add("ListTaskDefinitions");
    return families.getOrDefault(family, new TreeMap<>()).values().stream()
        .filter(s -> s.status.equals("ACTIVE")).map(Stored::arn).toList();
  }

  @Override
  public Map<String, String> tags(String region, String arn) {
    calls.add("ListTagsForResource");
    return new TreeMap<>(find(arn).tags);
  }

  @Override
  public void tag(String region, String arn, Map<String, String> tags) {
    calls.add("TagResource");
    writes.add("TagResource");
    find(arn).tags.putAll(tags);
  }

  @Override
  public void untag(String region, String arn, Set<String> keys) {
    calls.add("UntagResource");
    writes.add("UntagResource");
    find(arn).tags.keySet().removeAll(keys);
  }

  @Override
  public void deregister(String region, String arn) {
    calls.add("DeregisterTaskDefinition");
    writes.add("DeregisterTaskDefinition " + arn.substring(arn.lastIndexOf('/') + 1));
    find(arn).status = "INACTIVE";
  }

  /** Revision numbers of the family's ACTIVE revisions, oldest first. */
  public List<Long> active(String family) {
    return families.getOrDefault(family, new TreeMap<>()).values().stream()
        .filter(s -> s.status.equals("ACTIVE")).map(s -> s.revision).toList();
  }
}
