package io.ecsbridge.aws;

import java.time.Duration;
import static io.ecsbridge.aws.AwsErrors.call;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.PutImageScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.PutImageTagMutabilityRequest;
import software.amazon.awssdk.services.ecr.model.Tag;

/**
 * {@link EcrGateway} on the AWS SDK. Reads a repository with five calls (DescribeRepositories, ListTagsForResource,
 * GetLifecyclePolicy, GetRepositoryPolicy, DescribeImages), one more per further {@value #IMAGES_PER_PAGE} images up
 * to {@value #MAX_IMAGE_PAGES} pages; DescribeRepositories also reads many repositories in one call
 * ({@link #describeAll}); writes one call per change.
 */
public class SdkEcrGateway implements EcrGateway {
  /** DescribeImages' largest page. */
  static final int IMAGES_PER_PAGE = 1000;
  /** ECR lists images in no order: the latest are known only by reading every page; at most this many are read. */
  static final int MAX_IMAGE_PAGES = 10;

  private final AwsClients clients;

  public SdkEcrGateway(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public List<AwsBudgets.Slot> resyncSlots(String region, List<String> passes, Duration within) {
    return clients.resyncSlots("ecr", region, passes, within);
  }

  @Override
  public void releaseSlots(String region, List<String> passes) {
    clients.releaseSlots("ecr", region, passes);
  }

  @Override
  public Map<String, Long> waitingFor(String region, java.util.Collection<String> passes) {
    return clients.waitingFor("ecr", region, passes);
  }

  /**
   * One DescribeRepositories for all the names. ECR fails the whole call when one of them does not exist
   * (RepositoryNotFoundException naming it): that name is then absent and the call is made again for the others;
   * should the message name none of them, each is read alone. k missing names thus cost k more calls.
   */
  @Override
  public Map<String, Optional<software.amazon.awssdk.services.ecr.model.Repository>> describeAll(String region,
      List<String> names) {
    EcrClient ecr = clients.ecr(region);
    Map<String, Optional<software.amazon.awssdk.services.ecr.model.Repository>> out = new LinkedHashMap<>();
    List<String> left = new ArrayList<>(new LinkedHashSet<>(names));
    while (!left.isEmpty()) {
      List<String> ask = List.copyOf(left);
      try {
        call(() -> ecr.describeRepositories(r -> r.repositoryNames(ask)).repositories())
            .forEach(r -> out.put(r.repositoryName(), Optional.of(r)));
        ask.forEach(n -> out.putIfAbsent(n, Optional.empty()));
        return out;
      } catch (AwsException e) {
        if (!e.notFound()) {
          throw e;
        }
        String missing = ask.size() == 1 ? ask.get(0) : missing(e.getMessage(), ask);
        if (missing == null) {
          for (String name : ask) {
            out.put(name, describeAll(region, List.of(name)).get(name));
          }
          return out;
        }
        out.put(missing, Optional.empty());
        left.remove(missing);
      }
    }
    return out;
  }

  /** The name ECR's RepositoryNotFoundException names ("The repository with name 'x' does not exist ..."), if asked. */
  static String missing(String message, List<String> asked) {
    Matcher m = message == null ? null : NOT_FOUND.matcher(message);
    return m != null && m.find() && asked.contains(m.group(1)) ? m.group(1) : null;
  }

  /** ECR's words; the registry id that follows ("... in the registry with id '123456789012'") is never taken. */
  private static final Pattern NOT_FOUND = Pattern.compile("The repository with name '([^']+)' does not exist");

  @Override
  public Optional<Details> details(String region, String name, String arn, boolean images) {
    EcrClient ecr = clients.ecr(region);
    Map<String, String> tags = new TreeMap<>();
    try {
      call(() -> ecr.listTagsForResource(r -> r.resourceArn(arn)).tags()).forEach(t -> tags.put(t.key(), t.value()));
    } catch (AwsException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
    String lifecycle = optional(() -> ecr.getLifecyclePolicy(r -> r.repositoryName(name)).lifecyclePolicyText());
    String policy = optional(() -> ecr.getRepositoryPolicy(r -> r.repositoryName(name)).policyText());
    return Optional.of(new Details(tags, lifecycle, policy, images ? latestImages(ecr, name) : null));
  }

  /** The latest pushed images: every page of DescribeImages (ECR sorts nothing), at most MAX_IMAGE_PAGES pages. */
  private static List<Image> latestImages(EcrClient ecr, String name) {
    List<Image> latest = new ArrayList<>();
    String token = null;
    for (int page = 0; page < MAX_IMAGE_PAGES; page++) {
      String next = token;
      DescribeImagesResponse answer;
      try {
        answer = call(() -> ecr.describeImages(r -> r.repositoryName(name).maxResults(IMAGES_PER_PAGE)
            .nextToken(next)));
      } catch (AwsException e) {
        if (e.notFound()) {
          return List.of(); // deleted meanwhile: the next pass sees it gone
        }
        throw e;
      }
      answer.imageDetails().forEach(d -> latest.add(Image.of(d)));
      List<Image> kept = Image.latest(latest, LATEST_IMAGES);
      latest.clear();
      latest.addAll(kept);
      token = answer.nextToken();
      if (token == null) {
        break;
      }
    }
    return latest;
  }

  @Override
  public Optional<Image> image(String region, String repositoryName, String tag) {
    try {
      return call(() -> clients.ecr(region).describeImages(r -> r.repositoryName(repositoryName)
          .imageIds(id -> id.imageTag(tag)))).imageDetails().stream().findFirst().map(Image::of);
    } catch (AwsException e) {
      if (e.notFound() || "ImageNotFoundException".equals(e.errorCode())) {
        return Optional.empty();
      }
      throw e;
    }
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
