package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.testing.Images;
import io.ecsbridge.testing.OperatorIT;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.Repository;

/**
 * EcrRepository's tag-mutability exclusions against moto (whose extension enforces them as ECR does): created with the
 * repository, a tag matching an exclusion moves and another does not, drift put back, changed to the other mode and
 * back to plain IMMUTABLE.
 */
class EcrRepositoryTagMutabilityIT extends OperatorIT {

  private Repository describe() {
    return aws.ecr().describeRepositories(r -> r.repositoryNames("tags")).repositories().get(0);
  }

  private static List<String> filters(Repository repository) {
    return repository.imageTagMutabilityExclusionFilters().stream().map(ImageTagMutabilityExclusionFilter::filter)
        .sorted().toList();
  }

  private void pushTwice(String tag) {
    Images.push(aws.ecr(), "tags", tag);
    Images.push(aws.ecr(), "tags", tag);
  }

  private void refused(String tag) {
    assertThatThrownBy(() -> Images.push(aws.ecr(), "tags", tag)).as(tag + " cannot move")
        .isInstanceOfSatisfying(EcrException.class, e -> assertThat(e.awsErrorDetails().errorCode())
            .isEqualTo("ImageTagAlreadyExistsException"));
  }

  @Test
  void excludedTagsMoveOthersDoNotDriftIsPutBackAndTheModeChanges() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    EcrRepository repo = create(resource(EcrRepository.class, "tags", """
        imageTagMutability: IMMUTABLE_WITH_EXCLUSION
        imageTagMutabilityExclusionFilters: [{filter: latest}, {filter: "dev-*"}]
        """));
    awaitReady(EcrRepository.class, "tags");
    assertThat(describe().imageTagMutabilityAsString()).isEqualTo("IMMUTABLE_WITH_EXCLUSION");
    assertThat(filters(describe())).containsExactly("dev-*", "latest");
    pushTwice("latest");
    pushTwice("dev-42");
    Images.push(aws.ecr(), "tags", "v1");
    refused("v1");

    // drift: the mode changed in ECR behind the operator's back, put back with its filters
    double writes = awsWrites();
    aws.ecr().putImageTagMutability(r -> r.repositoryName("tags").imageTagMutability("MUTABLE"));
    eventually().until(() -> "IMMUTABLE_WITH_EXCLUSION".equals(describe().imageTagMutabilityAsString()));
    assertThat(filters(describe())).containsExactly("dev-*", "latest");
    eventually().until(() -> hasEvent(get(EcrRepository.class, "tags"), "DriftCorrected"));
    assertThat(awsWrites()).as("one PutImageTagMutability puts back both").isEqualTo(writes + 1);
    // only the filters changed behind its back
    aws.ecr().putImageTagMutability(r -> r.repositoryName("tags").imageTagMutability("IMMUTABLE_WITH_EXCLUSION")
        .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD").filter("latest")));
    eventually().until(() -> filters(describe()).equals(List.of("dev-*", "latest")));

    edit(repo, r -> {
      r.getSpec().imageTagMutability = io.ecsbridge.api.v1alpha1.EcrRepositorySpec.ImageTagMutability
          .MUTABLE_WITH_EXCLUSION;
      var release = new io.ecsbridge.api.v1alpha1.EcrRepositorySpec.ImageTagMutabilityExclusionFilter();
      release.filter = "release-*";
      r.getSpec().imageTagMutabilityExclusionFilters = List.of(release);
      return r;
    });
    eventually().until(() -> "MUTABLE_WITH_EXCLUSION".equals(describe().imageTagMutabilityAsString()));
    assertThat(filters(describe())).containsExactly("release-*");
    Images.push(aws.ecr(), "tags", "v1"); // mutable now
    Images.push(aws.ecr(), "tags", "release-1");
    refused("release-1");
    assertThat(events(get(EcrRepository.class, "tags"))).anyMatch(e -> "Updated".equals(e.getReason())
        && e.getMessage().contains("MUTABLE_WITH_EXCLUSION") && e.getMessage().contains("release-*"));

    edit(repo, r -> {
      r.getSpec().imageTagMutability = io.ecsbridge.api.v1alpha1.EcrRepositorySpec.ImageTagMutability.IMMUTABLE;
      r.getSpec().imageTagMutabilityExclusionFilters = null;
      return r;
    });
    eventually().until(() -> "IMMUTABLE".equals(describe().imageTagMutabilityAsString()));
    assertThat(describe().imageTagMutabilityExclusionFilters()).isEmpty();
    awaitReady(EcrRepository.class, "tags");
  }
}
