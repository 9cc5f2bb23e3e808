package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/** {@link SecretsGateway} on the AWS SDK. */
public class SdkSecretsGateway implements SecretsGateway {
  private final AwsClients clients;

  public SdkSecretsGateway(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public String create(String region, String name, String value, Map<String, String> tags) {
    List<Tag> awsTags = tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    return call(() -> clients.secretsManager(region).createSecret(r -> r.name(name).secretString(value)
        .description("Values of Kubernetes Secrets referenced by an EcsTaskDefinition (managed by ecs-bridge)")
        .tags(awsTags)).arn());
  }

  @Override
  public Optional<String> value(String region, String arn) {
    try {
      return Optional.ofNullable(call(() -> clients.secretsManager(region).getSecretValue(r -> r.secretId(arn))
          .secretString()));
    } catch (AwsException e) {
      // absent, or scheduled for deletion (InvalidRequestException): either way not a value to reuse
      if (e.getCause() instanceof ResourceNotFoundException || "InvalidRequestException".equals(e.errorCode())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<Summary> list(String region, String prefix) {
    List<Summary> out = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      var page = call(() -> clients.secretsManager(region).listSecrets(r -> r.nextToken(next).maxResults(100)
          .filters(Filter.builder().key(FilterNameStringType.NAME).values(prefix).build())));
      for (SecretListEntry s : page.secretList()) {
        if (s.name() != null && s.name().startsWith(prefix) && s.deletedDate() == null) {
          Map<String, String> tags = new TreeMap<>();
          s.tags().forEach(t -> tags.put(t.key(), t.value()));
          out.add(new Summary(s.arn(), s.name(), tags));
        }
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  @Override
  public void delete(String region, String arn) {
    try {
      call(() -> clients.secretsManager(region).deleteSecret(r -> r.secretId(arn)
          .recoveryWindowInDays((long) RECOVERY_WINDOW_DAYS)));
    } catch (AwsException e) {
      if (!(e.getCause() instanceof ResourceNotFoundException)) {
        throw e;
      }
    }
  }
}
