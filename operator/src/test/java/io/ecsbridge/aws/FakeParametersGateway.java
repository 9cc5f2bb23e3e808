package io.ecsbridge.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Parameter Store in memory: parameters by name with their values and tags, and the calls made. */
public class FakeParametersGateway implements ParametersGateway {
  public static final String ARN = "arn:aws:ssm:eu-west-1:123456789012:parameter";

  public final Map<String, String> values = new TreeMap<>();
  public final Map<String, Map<String, String>> tags = new TreeMap<>();
  public final List<String> calls = new ArrayList<>();
  public final List<String> writes = new ArrayList<>();

  @Override
  public void put(String region, String name, String value, Map<String, String> tags) {
    calls.add("PutParameter");
    writes.add("PutParameter");
    if (values.containsKey(name)) {
      throw new IllegalStateException("ParameterAlreadyExists: " + name);
    }
    values.put(name, value);
    this.tags.put(name, Map.copyOf(tags));
  }

  @Override
  public List<Parameter> list(String region, String path) {
    calls.add("GetParametersByPath");
    return values.keySet().stream().filter(n -> n.startsWith(path + "/")).map(n -> new Parameter(n, ARN + n))
        .toList();
  }

  @Override
  public void delete(String region, List<String> names) {
    calls.add("DeleteParameters");
    writes.add("DeleteParameters");
    if (names.size() > 10) {
      throw new IllegalArgumentException("DeleteParameters takes at most 10 names");
    }
    names.forEach(n -> {
      values.remove(n);
      tags.remove(n);
    });
  }
}
