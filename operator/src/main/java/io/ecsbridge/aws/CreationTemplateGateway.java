package io.ecsbridge.aws;

import java.util.Optional;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryCreationTemplateRequest;
import software.amazon.awssdk.services.ecr.model.RepositoryCreationTemplate;
import software.amazon.awssdk.services.ecr.model.UpdateRepositoryCreationTemplateRequest;

/** What the operator does with ECR repository creation templates (SDK shapes, no Kubernetes types). */
public interface CreationTemplateGateway {

  /** A template and the registry it is in. */
  record Template(String registryId, RepositoryCreationTemplate template) {}

  /** The template of the prefix (DescribeRepositoryCreationTemplates), or empty when the registry has none. */
  Optional<Template> describe(String region, String prefix);

  /** CreateRepositoryCreationTemplate: the template as ECR answered (TemplateAlreadyExistsException if it exists). */
  Template create(String region, CreateRepositoryCreationTemplateRequest request);

  void update(String region, UpdateRepositoryCreationTemplateRequest request);

  void delete(String region, String prefix);
}
