package io.ecsbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.bench.Workload.Item;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The single applies' resources: copies of resource 0 under new names, a service with its own task definition. */
class SinglesTest {
  private static final List<Item> ITEMS = Workload.items(12, true, true, 3,
      new Workload.Network("subnet-a", "subnet-b", "sg-1"));

  @Test
  void aServiceComesWithItsOwnTaskDefinitionRenamedTogether() {
    List<Item> service = Singles.renamed(Singles.template(ITEMS, Workload.SERVICE), "-single-7");
    assertThat(service).extracting(Item::kind).containsExactly(Workload.TASK_DEFINITION, Workload.SERVICE);
    assertThat(service).extracting(Item::name).containsOnly("bench-svc-single-7");
    assertThat(service.get(1).yaml()).contains("taskDefinitionRef: {name: bench-svc-single-7}")
        .contains("clusterRef: {name: bench-0}");
  }

  @Test
  void aRepositoryAlone() {
    List<Item> repository = Singles.renamed(Singles.template(ITEMS, Workload.REPOSITORY), "-single-0");
    assertThat(repository).extracting(Item::key).containsExactly("EcrRepository/bench-repo-single-0");
    assertThat(Singles.template(Workload.items(3, true, false, 3, null), Workload.SERVICE)).isEmpty();
  }
}
