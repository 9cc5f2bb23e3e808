package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import java.util.Optional;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryCreationTemplateRequest;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryCreationTemplateResponse;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoryCreationTemplatesResponse;
import software.amazon.awssdk.services.ecr.model.UpdateRepositoryCreationTemplateRequest;

/** {@link CreationTemplateGateway} on the AWS SDK: one DescribeRepositoryCreationTemplates call reads a template. */
public class SdkCreationTemplateGateway implements CreationTemplateGateway {
  private final AwsClients clients;

  public SdkCreationTemplateGateway(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public Optional<Template> describe(String region, String prefix) {
    try {
      DescribeRepositoryCreationTemplatesResponse r = call(() -> clients.ecr(region)
          .describeRepositoryCreationTemplates(q -> q.prefixes(prefix)));
      return r.repositoryCreationTemplates().stream().filter(t -> prefix.equals(t.prefix())).findFirst()
          .map(t -> new Template(r.registryId(), t));
    } catch (AwsException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Template create(String region, CreateRepositoryCreationTemplateRequest request) {
    CreateRepositoryCreationTemplateResponse r = call(() -> clients.ecr(region)
        .createRepositoryCreationTemplate(request));
    return new Template(r.registryId(), r.repositoryCreationTemplate());
  }

  @Override
  public void update(String region, UpdateRepositoryCreationTemplateRequest request) {
    call(() -> clients.ecr(region).updateRepositoryCreationTemplate(request));
  }

  @Override
  public void delete(String region, String prefix) {
    call(() -> clients.ecr(region).deleteRepositoryCreationTemplate(r -> r.prefix(prefix)));
  }
}
