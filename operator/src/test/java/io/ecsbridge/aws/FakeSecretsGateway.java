package io.ecsbridge.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Secrets Manager in memory: secrets by ARN, the calls made, and which were scheduled for deletion. */
public class FakeSecretsGateway implements SecretsGateway {
  public static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:";

  /** One secret: its name, value and tags, and whether it is scheduled for deletion. */
  public static final class Stored {
    public final String name;
    public final String value;
    public final Map<String, String> tags;
    public boolean deleted;

    Stored(String name, String value, Map<String, String> tags) {
      this.name = name;
      this.value = value;
      this.tags = Map.copyOf(tags);
    }
  }

  public final Map<String, Stored> secrets = new LinkedHashMap<>();
  public final List<String> calls = new ArrayList<>();
  public final List<String> writes = new ArrayList<>();

  @Override
  public String create(String region, String name, String value, Map<String, String> tags) {
    calls.add("CreateSecret");
    writes.add("CreateSecret");
    String arn = ARN + name + "-AbCdEf";
    secrets.put(arn, new Stored(name, value, tags));
    return arn;
  }

  @Override
  public Optional<String> value(String region, String arn) {
    calls.add("GetSecretValue");
    Stored s = secrets.get(arn);
    return s == null || s.deleted ? Optional.empty() : Optional.of(s.value);
  }

  @Override
  public List<Summary> list(String region, String prefix) {
    calls.add("ListSecrets");
    return secrets.entrySet().stream().filter(e -> !e.getValue().deleted && e.getValue().name.startsWith(prefix))
        .map(e -> new Summary(e.getKey(), e.getValue().name, e.getValue().tags)).toList();
  }

  @Override
  public void delete(String region, String arn) {
    calls.add("DeleteSecret");
    writes.add("DeleteSecret");
    Stored s = secrets.get(arn);
    if (s != null) {
      s.deleted = true;
    }
  }
}
