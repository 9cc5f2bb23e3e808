package io.ecsbridge.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest;
import software.amazon.awssdk.services.ecr.model.EncryptionConfiguration;
import software.amazon.awssdk.services.ecr.model.ImageScanningConfiguration;
import software.amazon.awssdk.services.ecr.model.PutImageScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.PutImageTagMutabilityRequest;

/**
 * In-memory ECR for unit tests: records every write call, fills ECR's defaults at creation (MUTABLE, scanOnPush false,
 * AES256), stores policies as the text it was given.
 */
public class FakeEcrGateway implements EcrGateway {
  public final Map<String, Repository> repos = new HashMap<>();
  public final List<String> writes = new ArrayList<>();
  public final Map<String, Integer> images = new HashMap<>();
  /** Images pushed with {@link #push}, by repository name. */
  public final Map<String, List<Image>> pushed = new HashMap<>();

  /** Every read call by operation, in order. */
  public final List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Every CreateRepository asked, refused or not (the repository's name). */
  public final List<String> creates = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** When set, every CreateRepository is refused with it (an IAM denial, say). */
  public volatile AwsException createRefusal;
  /** The names of each DescribeRepositories call. */
  public final List<List<String>> describeCalls = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public Map<String, Optional<software.amazon.awssdk.services.ecr.model.Repository>> describeAll(String region,
      List<String> names) {
    reads.add("DescribeRepositories");
    describeCalls.add(List.copyOf(names));
    Map<String, Optional<software.amazon.awssdk.services.ecr.model.Repository>> out = new java.util.LinkedHashMap<>();
    names.forEach(n -> out.put(n, Optional.ofNullable(repos.get(n)).map(Repository::repository)));
    return out;
  }

  @Override
  public Optional<Details> details(String region, String name, String arn, boolean images) {
    reads.add("ListTagsForResource");
    Repository r = repos.get(name);
    if (r == null || !r.arn().equals(arn)) {
      return Optional.empty();
    }
    reads.add("GetLifecyclePolicy");
    reads.add("GetRepositoryPolicy");
    if (images) {
      reads.add("DescribeImages");
    }
    return Optional.of(new Details(new TreeMap<>(r.tags()), r.lifecyclePolicyText(), r.repositoryPolicyText(),
        images ? Image.latest(pushed.getOrDefault(name, List.of()), LATEST_IMAGES) : null));
  }

  /** How many reads of this operation were made. */
  public long reads(String operation) {
    return reads.stream().filter(operation::equals).count();
  }

  /**
   * Pushes an image as ECR does (no write recorded: it is not the operator's): its tags move to it from any other
   * image, which stays (untagged when it loses its last tag); the same digest again replaces its details.
   */
  public void push(String name, Image image) {
    List<Image> list = pushed.computeIfAbsent(name, n -> new ArrayList<>());
    list.removeIf(i -> i.digest().equals(image.digest()));
    list.replaceAll(i -> new Image(i.digest(), i.tags().stream().filter(t -> !image.tags().contains(t)).toList(),
        i.pushedAt(), i.scanStatus(), i.findingSeverityCounts()));
    list.add(image);
    images.put(name, list.size());
  }

  @Override
  public Optional<Image> image(String region, String repositoryName, String tag) {
    return pushed.getOrDefault(repositoryName, List.of()).stream().filter(i -> i.tags().contains(tag)).findFirst();
  }

  @Override
  public Repository create(String region, CreateRepositoryRequest n) {
    String name = n.repositoryName();
    creates.add(name);
    if (createRefusal != null) { // as IAM: refused before ECR looks at the name
      throw createRefusal;
    }
    if (repos.containsKey(name)) { // as ECR: a refused create changes nothing
      throw new AwsException(AwsException.Kind.TERMINAL, "RepositoryAlreadyExistsException", 400,
          "The repository with name '" + name + "' already exists in the registry with id '123456789012'", null);
    }
    writes.add("CreateRepository");
    var repo = software.amazon.awssdk.services.ecr.model.Repository.builder()
        .repositoryName(name)
        .repositoryArn("arn:aws:ecr:" + region + ":123456789012:repository/" + name)
        .registryId("123456789012")
        .repositoryUri("123456789012.dkr.ecr." + region + ".amazonaws.com/" + name)
        .createdAt(Instant.EPOCH)
        .imageTagMutability(n.imageTagMutability() == null ? "MUTABLE" : n.imageTagMutabilityAsString())
        .imageTagMutabilityExclusionFilters(n.imageTagMutabilityExclusionFilters())
        .imageScanningConfiguration(n.imageScanningConfiguration() == null
            ? ImageScanningConfiguration.builder().scanOnPush(false).build() : n.imageScanningConfiguration())
        .encryptionConfiguration(n.encryptionConfiguration() == null
            ? EncryptionConfiguration.builder().encryptionType("AES256").build() : n.encryptionConfiguration())
        .build();
    Map<String, String> tags = new TreeMap<>();
    n.tags().forEach(t -> tags.put(t.key(), t.value()));
    Repository r = new Repository(repo, tags, null, null);
    repos.put(name, r);
    return r;
  }

  private void replace(String name, java.util.function.UnaryOperator<Repository> change) {
    repos.put(name, change.apply(repos.get(name)));
  }

  private void edit(String name, java.util.function.Consumer<software.amazon.awssdk.services.ecr.model.Repository.Builder>
      change) {
    replace(name, r -> {
      var b = r.repository().toBuilder();
      change.accept(b);
      return new Repository(b.build(), r.tags(), r.lifecyclePolicyText(), r.repositoryPolicyText());
    });
  }

  @Override
  public void putImageTagMutability(String region, PutImageTagMutabilityRequest request) {
    writes.add("PutImageTagMutability");
    edit(request.repositoryName(), b -> b.imageTagMutability(request.imageTagMutability())
        .imageTagMutabilityExclusionFilters(request.imageTagMutabilityExclusionFilters()));
  }

  @Override
  public void putImageScanningConfiguration(String region, PutImageScanningConfigurationRequest request) {
    writes.add("PutImageScanningConfiguration");
    edit(request.repositoryName(), b -> b.imageScanningConfiguration(request.imageScanningConfiguration()));
  }

  @Override
  public void putLifecyclePolicy(String region, String name, String policyText) {
    writes.add("PutLifecyclePolicy");
    replace(name, r -> new Repository(r.repository(), r.tags(), policyText, r.repositoryPolicyText()));
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
    replace(name, r -> new Repository(r.repository(), r.tags(), r.lifecyclePolicyText(), policyText));
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
    pushed.remove(name);
  }
}
