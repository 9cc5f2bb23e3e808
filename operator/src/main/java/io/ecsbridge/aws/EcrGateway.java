package io.ecsbridge.aws;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest;
import software.amazon.awssdk.services.ecr.model.PutImageScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.PutImageTagMutabilityRequest;

/**
 * What the operator does with ECR: small, free of Kubernetes types, faked in unit tests. Requests and the repository
 * are the SDK's own model (CreateRepository's and DescribeRepositories' shapes); policies are the text ECR keeps.
 */
public interface EcrGateway {

  /** The repository as ECR reports it, with its tags and policies, or empty if it does not exist. */
  Optional<Repository> describe(String region, String name);

  /** Creates the repository; the answer carries the request's tags and no policies. */
  Repository create(String region, CreateRepositoryRequest request);

  void putImageTagMutability(String region, PutImageTagMutabilityRequest request);

  void putImageScanningConfiguration(String region, PutImageScanningConfigurationRequest request);

  void putLifecyclePolicy(String region, String name, String policyText);

  void deleteLifecyclePolicy(String region, String name);

  void setRepositoryPolicy(String region, String name, String policyText);

  void deleteRepositoryPolicy(String region, String name);

  void tag(String region, String arn, Map<String, String> tags);

  void untag(String region, String arn, Set<String> keys);

  /** Deletes the repository; without force, fails with RepositoryNotEmptyException if it holds images. */
  void delete(String region, String name, boolean force);

  /** The repository as DescribeRepositories reports it, its tags, and its policies' text (null when none). */
  record Repository(software.amazon.awssdk.services.ecr.model.Repository repository, Map<String, String> tags,
      String lifecyclePolicyText, String repositoryPolicyText) {

    public String name() {
      return repository.repositoryName();
    }

    public String arn() {
      return repository.repositoryArn();
    }

    public String registryId() {
      return repository.registryId();
    }

    public String uri() {
      return repository.repositoryUri();
    }

    public Instant createdAt() {
      return repository.createdAt();
    }
  }
}
