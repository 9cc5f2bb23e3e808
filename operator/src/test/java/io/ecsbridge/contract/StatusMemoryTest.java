package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

/** A copy of a resource older than our last status write gets that status; a newer one makes it forgotten. */
class StatusMemoryTest {
  private final StatusMemory memory = new StatusMemory();

  private static EcsService at(String resourceVersion, String lastHandledRedeployAt) {
    EcsService s = new EcsService();
    s.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("ns").withUid("u1")
        .withResourceVersion(resourceVersion).build());
    s.setStatus(new EcsServiceStatus());
    s.getStatus().lastHandledRedeployAt = lastHandledRedeployAt;
    return s;
  }

  @Test
  void anOlderCopyGetsTheStatusWeWroteAndANewerOneEndsTheMemory() {
    EcsService reconciled = at("100", null);
    EcsServiceStatus written = new EcsServiceStatus();
    written.lastHandledRedeployAt = "r1";
    memory.remember(reconciled, "120", written);

    EcsService stale = at("110", null); // an annotation edit made before our write, delivered after it
    memory.restore(stale);
    assertThat(stale.getStatus().lastHandledRedeployAt).isEqualTo("r1");
    assertThat(stale.getStatus()).isNotSameAs(written);

    EcsService caughtUp = at("121", "r1");
    memory.restore(caughtUp);
    EcsService laterStale = at("110", null);
    memory.restore(laterStale);
    assertThat(laterStale.getStatus().lastHandledRedeployAt).as("forgotten once the watch caught up").isNull();
  }

  @Test
  void resourceVersionsThatAreNotNumbersAreNeverTakenAsOlder() {
    EcsService reconciled = at("100", null);
    memory.remember(reconciled, "opaque", new EcsServiceStatus());
    EcsService next = at("90", null);
    memory.restore(next);
    assertThat(next.getStatus().lastHandledRedeployAt).isNull();
  }

  @Test
  void whatIsRestoredIsTheStatusAsItWasWrittenInANewCopyEachTime() {
    EcsService reconciled = at("100", null);
    EcsServiceStatus written = new EcsServiceStatus();
    written.lastHandledRedeployAt = "r1";
    written.serviceArn = "arn:aws:ecs:us-east-1:123456789012:service/c/web";
    memory.remember(reconciled, "120", written);
    written.lastHandledRedeployAt = "changed after the write"; // the pass's object goes on living

    EcsService first = at("110", null);
    memory.restore(first);
    EcsService second = at("115", null);
    memory.restore(second);

    assertThat(first.getStatus().lastHandledRedeployAt).isEqualTo("r1");
    assertThat(first.getStatus().serviceArn).isEqualTo(written.serviceArn);
    assertThat(second.getStatus()).isNotSameAs(first.getStatus()).usingRecursiveComparison()
        .isEqualTo(first.getStatus());
  }
}
