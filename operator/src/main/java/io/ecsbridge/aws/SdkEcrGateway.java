package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EncryptionConfiguration;
import software.amazon.awssdk.services.ecr.model.ImageScanningConfiguration;
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
    EncryptionConfiguration enc = repo.encryptionConfiguration();
    return Optional.of(new Repository(repo.repositoryName(), repo.repositoryArn(), repo.registryId(),
        repo.repositoryUri(), repo.createdAt(), repo.imageTagMutabilityAsString(),
        repo.imageScanningConfiguration() != null && Boolean.TRUE.equals(repo.imageScanningConfiguration().scanOnPush()),
        enc == null ? "AES256" : enc.encryptionTypeAsString(), enc == null ? null : enc.kmsKey(),
        tags, lifecycle, policy));
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
  public Repository create(String region, NewRepository spec) {
    EcrClient ecr = clients.ecr(region);
    var repo = call(() -> ecr.createRepository(r -> {
      r.repositoryName(spec.name())
          .imageTagMutability(spec.imageTagMutability())
          .imageScanningConfiguration(ImageScanningConfiguration.builder().scanOnPush(spec.scanOnPush()).build())
          .tags(spec.tags().entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
              .toList());
      if (spec.encryptionType() != null) {
        r.encryptionConfiguration(EncryptionConfiguration.builder().encryptionType(spec.encryptionType())
            .kmsKey(spec.kmsKey()).build());
      }
    }).repository());
    return new Repository(repo.repositoryName(), repo.repositoryArn(), repo.registryId(), repo.repositoryUri(),
        repo.createdAt(), repo.imageTagMutabilityAsString(), spec.scanOnPush(),
        spec.encryptionType() == null ? "AES256" : spec.encryptionType(), spec.kmsKey(), new TreeMap<>(spec.tags()),
        null, null);
  }

  @Override
  public void putImageTagMutability(String region, String name, String mutability) {
    call(() -> clients.ecr(region).putImageTagMutability(r -> r.repositoryName(name).imageTagMutability(mutability)));
  }

  @Override
  public void putScanOnPush(String region, String name, boolean scanOnPush) {
    call(() -> clients.ecr(region).putImageScanningConfiguration(r -> r.repositoryName(name)
        .imageScanningConfiguration(c -> c.scanOnPush(scanOnPush))));
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
