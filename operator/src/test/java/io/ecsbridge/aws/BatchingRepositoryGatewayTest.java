package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest;
import software.amazon.awssdk.services.ecr.model.PutImageTagMutabilityRequest;

/** DescribeRepositories read ahead: kept for its token, handed once, dropped by any write to that repository. */
class BatchingRepositoryGatewayTest {
  private final FakeEcrGateway fake = new FakeEcrGateway();
  private final BatchingRepositoryGateway ecr = BatchingRepositoryGateway.of(fake);

  @BeforeEach
  void repositories() {
    for (String name : List.of("a", "b", "team/c")) {
      fake.create("eu-west-1", CreateRepositoryRequest.builder().repositoryName(name).build());
    }
  }

  private void readWithCompanions() {
    ecr.read("eu-west-1", "a", List.of(new BatchedReads.Companion("b", "7"),
        new BatchedReads.Companion("team/c", "9")));
  }

  @Test
  void oneCallReadsTheCompanionsWhichAreHandedOnceForTheirToken() {
    readWithCompanions();
    assertThat(fake.describeCalls).containsExactly(List.of("a", "b", "team/c"));
    assertThat(ecr.ahead("eu-west-1", "b")).isTrue();
    assertThat(ecr.kept("eu-west-1", "b", "8")).as("another state of the resource").isEmpty();
    readWithCompanions();
    assertThat(ecr.kept("eu-west-1", "b", "7")).hasValueSatisfying(r -> assertThat(r).isPresent());
    assertThat(ecr.kept("eu-west-1", "b", "7")).as("once").isEmpty();
    assertThat(ecr.kept("eu-west-2", "team/c", "9")).as("another region").isEmpty();
  }

  @Test
  void everyWriteToARepositoryDropsWhatWasReadAheadOfIt() {
    List<Runnable> writes = List.of(
        () -> ecr.putImageTagMutability("eu-west-1", PutImageTagMutabilityRequest.builder().repositoryName("b")
            .imageTagMutability("IMMUTABLE").build()),
        () -> ecr.putLifecyclePolicy("eu-west-1", "b", "{}"),
        () -> ecr.deleteLifecyclePolicy("eu-west-1", "b"),
        () -> ecr.setRepositoryPolicy("eu-west-1", "b", "{}"),
        () -> ecr.deleteRepositoryPolicy("eu-west-1", "b"),
        () -> ecr.tag("eu-west-1", fake.repos.get("b").arn(), Map.of("k", "v")),
        () -> ecr.untag("eu-west-1", fake.repos.get("b").arn(), Set.of("k")));
    for (Runnable write : writes) {
      readWithCompanions();
      write.run();
      assertThat(ecr.kept("eu-west-1", "b", "7")).isEmpty();
      assertThat(ecr.kept("eu-west-1", "team/c", "9")).as("another repository's is kept").isPresent();
    }
    readWithCompanions();
    ecr.tag("eu-west-1", fake.repos.get("team/c").arn(), Map.of("k", "v"));
    assertThat(ecr.kept("eu-west-1", "team/c", "9")).as("a name with '/' from its ARN").isEmpty();
  }

  @Test
  void aCreateRefusedBecauseTheNameExistsKeepsWhatWasReadOfItAndAnyOtherOutcomeDropsIt() {
    readWithCompanions();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ecr.create("eu-west-1",
        CreateRepositoryRequest.builder().repositoryName("b").build())).isInstanceOf(AwsException.class);
    assertThat(ecr.kept("eu-west-1", "b", "7")).as("nothing changed: another resource's read ahead stays").isPresent();

    readWithCompanions();
    fake.createRefusal = new AwsException(AwsException.Kind.TERMINAL, "AccessDeniedException", 400, "denied", null);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ecr.create("eu-west-1",
        CreateRepositoryRequest.builder().repositoryName("b").build())).isInstanceOf(AwsException.class);
    assertThat(ecr.kept("eu-west-1", "b", "7")).as("another refusal: dropped, as after every write").isEmpty();
  }

  @Test
  void theMissingNameIsTheOneEcrNames() {
    String message = "The repository with name 'team/app' does not exist in the registry with id '123456789012'";
    assertThat(SdkEcrGateway.missing(message, List.of("team", "team/app", "app"))).isEqualTo("team/app");
    assertThat(SdkEcrGateway.missing("Repository not found", List.of("app"))).as("then each is read alone").isNull();
    assertThat(SdkEcrGateway.missing(null, List.of("app"))).isNull();
    assertThat(SdkEcrGateway.missing(message, List.of("123456789012", "app")))
        .as("the registry id is not a repository name, even where a repository is named like it").isNull();
  }
}
