package io.ecsbridge.aws;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the operator does with ECR: small, free of Kubernetes types, faked in unit tests. */
public interface EcrGateway {

  /** The repository as ECR reports it, with its tags and policies, or empty if it does not exist. */
  Optional<Repository> describe(String region, String name);

  Repository create(String region, NewRepository repository);

  void putImageTagMutability(String region, String name, String mutability);

  void putScanOnPush(String region, String name, boolean scanOnPush);

  void putLifecyclePolicy(String region, String name, String policyText);

  void deleteLifecyclePolicy(String region, String name);

  void setRepositoryPolicy(String region, String name, String policyText);

  void deleteRepositoryPolicy(String region, String name);

  void tag(String region, String arn, Map<String, String> tags);

  void untag(String region, String arn, Set<String> keys);

  /** Deletes the repository; without force, fails with RepositoryNotEmptyException if it holds images. */
  void delete(String region, String name, boolean force);

  record Repository(String name, String arn, String registryId, String uri, Instant createdAt,
      String imageTagMutability, boolean scanOnPush, String encryptionType, String kmsKey,
      Map<String, String> tags, String lifecyclePolicyText, String repositoryPolicyText) {}

  record NewRepository(String name, String imageTagMutability, boolean scanOnPush, String encryptionType,
      String kmsKey, Map<String, String> tags) {}
}
