package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest;
import software.amazon.awssdk.services.ecr.model.PutImageScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.PutImageTagMutabilityRequest;
import software.amazon.awssdk.services.ecr.model.Tag;

/** {@link EcrGateway} on the AWS SDK. Reads a repository with four calls; writes one call per change. */
public class SdkEcrGateway implements EcrGateway {
  private final AwsClients clients;

  public SdkEcrGateway(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public Optional<Repository> describe(String region, String name) {
    EcrClient ecr = clients.ecr(region);
    software.amazon.awssdk.services.ecr.model.Repository repo;
    try {
      repo = call(() -> ecr.describeRepositories(r -> r.repositoryNames(name)).repositories().get(0));
    } catch (AwsException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
    Map<String, String> tags = new TreeMap<>();
    call(() -> ecr.listTagsForResource(r -> r.resourceArn(repo.repositoryArn())).tags())
        .forEach(t -> tags.put(t.key(), t.value()));
    String lifecycle = optional(() -> ecr.getLifecyclePolicy(r -> r.repositoryName(name)).lifecyclePolicyText());
    String policy = optional(() -> ecr.getRepositoryPolicy(r -> r.repositoryName(name)).policyText());
    return Optional.of(new Repository(repo, tags, lifecycle, policy));
  }

  private static String optional(java.util.function.Supplier<String> read) {
    try {
      return call(read);
    } catch (AwsException e) {
      if (e.notFound()) {
        return null;
      }
      throw e;
    }
  }

  @Override
  public Repository create(String region, CreateRepositoryRequest request) {
    var repo = call(() -> clients.ecr(region).createRepository(request).repository());
    Map<String, String> tags = new TreeMap<>();
    request.tags().forEach(t -> tags.put(t.key(), t.value()));
    return new Repository(repo, tags, null, null);
  }

  @Override
  public void putImageTagMutability(String region, PutImageTagMutabilityRequest request) {
    call(() -> clients.ecr(region).putImageTagMutability(request));
  }

  @Override
  public void putImageScanningConfiguration(String region, PutImageScanningConfigurationRequest request) {
    call(() -> clients.ecr(region).putImageScanningConfiguration(request));
  }

  @Override
  public void putLifecyclePolicy(String region, String name, String policyText) {
    call(() -> clients.ecr(region).putLifecyclePolicy(r -> r.repositoryName(name).lifecyclePolicyText(policyText)));
  }

  @Override
  public void deleteLifecyclePolicy(String region, String name) {
    ignoreNotFound(() -> clients.ecr(region).deleteLifecyclePolicy(r -> r.repositoryName(name)));
  }

  @Override
  public void setRepositoryPolicy(String region, String name, String policyText) {
    call(() -> clients.ecr(region).setRepositoryPolicy(r -> r.repositoryName(name).policyText(policyText)));
  }

  @Override
  public void deleteRepositoryPolicy(String region, String name) {
    ignoreNotFound(() -> clients.ecr(region).deleteRepositoryPolicy(r -> r.repositoryName(name)));
  }

  @Override
  public void tag(String region, String arn, Map<String, String> tags) {
    call(() -> clients.ecr(region).tagResource(r -> r.resourceArn(arn).tags(tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())));
  }

  @Override
  public void untag(String region, String arn, Set<String> keys) {
    call(() -> clients.ecr(region).untagResource(r -> r.resourceArn(arn).tagKeys(keys)));
  }

  @Override
  public void delete(String region, String name, boolean force) {
    ignoreNotFound(() -> clients.ecr(region).deleteRepository(r -> r.repositoryName(name).force(force)));
  }

  private static void ignoreNotFound(Runnable call) {
    try {
      AwsErrors.run(call);
    } catch (AwsException e) {
      if (!e.notFound()) {
        throw e;
      }
    }
  }
}
