package io.ecsbridge.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** In-memory ECR for unit tests: records every write call, stores policies as the text it was given. */
public class FakeEcrGateway implements EcrGateway {
  public final Map<String, Repository> repos = new HashMap<>();
  public final List<String> writes = new ArrayList<>();
  public final Map<String, Integer> images = new HashMap<>();

  @Override
  public Optional<Repository> describe(String region, String name) {
    return Optional.ofNullable(repos.get(name));
  }

  @Override
  public Repository create(String region, NewRepository n) {
    writes.add("CreateRepository");
    Repository r = new Repository(n.name(), "arn:aws:ecr:" + region + ":123456789012:repository/" + n.name(),
        "123456789012", "123456789012.dkr.ecr." + region + ".amazonaws.com/" + n.name(), Instant.EPOCH,
        n.imageTagMutability(), n.scanOnPush(), n.encryptionType() == null ? "AES256" : n.encryptionType(),
        n.kmsKey(), new TreeMap<>(n.tags()), null, null);
    repos.put(n.name(), r);
    return r;
  }

  private void replace(String name, java.util.function.UnaryOperator<Repository> change) {
    repos.put(name, change.apply(repos.get(name)));
  }

  @Override
  public void putImageTagMutability(String region, String name, String mutability) {
    writes.add("PutImageTagMutability");
    replace(name, r -> new Repository(r.name(), r.arn(), r.registryId(), r.uri(), r.createdAt(), mutability,
        r.scanOnPush(), r.encryptionType(), r.kmsKey(), r.tags(), r.lifecyclePolicyText(), r.repositoryPolicyText()));
  }

  @Override
  public void putScanOnPush(String region, String name, boolean scanOnPush) {
    writes.add("PutImageScanningConfiguration");
    replace(name, r -> new Repository(r.name(), r.arn(), r.registryId(), r.uri(), r.createdAt(),
        r.imageTagMutability(), scanOnPush, r.encryptionType(), r.kmsKey(), r.tags(), r.lifecyclePolicyText(),
        r.repositoryPolicyText()));
  }

  @Override
  public void putLifecyclePolicy(String region, String name, String policyText) {
    writes.add("PutLifecyclePolicy");
    replace(name, r -> new Repository(r.name(), r.arn(), r.registryId(), r.uri(), r.createdAt(),
        r.imageTagMutability(), r.scanOnPush(), r.encryptionType(), r.kmsKey(), r.tags(), policyText,
        r.repositoryPolicyText()));
  }

  @Override
  public void deleteLifecyclePolicy(String region, String name) {
    writes.add("DeleteLifecyclePolicy");
    putLifecyclePolicy(region, name, null);
    writes.remove(writes.size() - 1);
  }

  @Override
  public void setRepositoryPolicy(String region, String name, String policyText) {
    writes.add("SetRepositoryPolicy");
    replace(name, r -> new Repository(r.name(), r.arn(), r.registryId(), r.uri(), r.createdAt(),
        r.imageTagMutability(), r.scanOnPush(), r.encryptionType(), r.kmsKey(), r.tags(), r.lifecyclePolicyText(),
        policyText));
  }

  @Override
  public void deleteRepositoryPolicy(String region, String name) {
    writes.add("DeleteRepositoryPolicy");
    setRepositoryPolicy(region, name, null);
    writes.remove(writes.size() - 1);
  }

  @Override
  public void tag(String region, String arn, Map<String, String> tags) {
    writes.add("TagResource");
    repos.values().stream().filter(r -> r.arn().equals(arn)).forEach(r -> r.tags().putAll(tags));
  }

  @Override
  public void untag(String region, String arn, Set<String> keys) {
    writes.add("UntagResource");
    repos.values().stream().filter(r -> r.arn().equals(arn)).forEach(r -> r.tags().keySet().removeAll(keys));
  }

  @Override
  public void delete(String region, String name, boolean force) {
    writes.add("DeleteRepository");
    if (!force && images.getOrDefault(name, 0) > 0) {
      throw new AwsException(AwsException.Kind.TERMINAL, "RepositoryNotEmptyException", 400,
          "The repository with name '" + name + "' cannot be deleted because it still contains images", null);
    }
    repos.remove(name);
  }
}
