package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.Tag;

/** {@link ParametersGateway} on the AWS SDK. */
public class SdkParametersGateway implements ParametersGateway {
  private final AwsClients clients;

  public SdkParametersGateway(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public void put(String region, String name, String value, Map<String, String> tags) {
    List<Tag> awsTags = tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    try {
      call(() -> clients.ssm(region).putParameter(r -> r.name(name).value(value).type(ParameterType.STRING)
          .description("A ConfigMap value referenced by an EcsTaskDefinition (managed by ecs-bridge)")
          .tags(awsTags)));
    } catch (AwsException e) {
      // the name is under a random path made for this call: it exists only if a retried attempt already wrote it
      if (!(e.getCause() instanceof ParameterAlreadyExistsException)) {
        throw e;
      }
    }
  }

  @Override
  public List<Parameter> list(String region, String path) {
    List<Parameter> out = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      var page = call(() -> clients.ssm(region).getParametersByPath(r -> r.path(path).recursive(true)
          .nextToken(next).maxResults(10)));
      page.parameters().forEach(p -> out.add(new Parameter(p.name(), p.arn())));
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  @Override
  public void delete(String region, List<String> names) {
    for (int i = 0; i < names.size(); i += 10) {
      List<String> batch = names.subList(i, Math.min(names.size(), i + 10));
      call(() -> clients.ssm(region).deleteParameters(r -> r.names(batch))); // InvalidParameters: already gone
    }
  }
}
