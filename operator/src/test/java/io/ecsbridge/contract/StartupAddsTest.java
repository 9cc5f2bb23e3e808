package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which "added" events of referenced objects reconcile their referrers. */
class StartupAddsTest {

  private static ConfigMap at(String resourceVersion) {
    return new ConfigMapBuilder().withNewMetadata().withName("c").withResourceVersion(resourceVersion).endMetadata()
        .build();
  }

  @AfterEach
  void forget() {
    StartupAdds.startedAt(null);
  }

  @Test
  void whatExistedAtStartIsDroppedWhatCameLaterIsKept() {
    StartupAdds.startedAt("1000");
    assertThat(StartupAdds.isNew(at("999"))).as("listed at start").isFalse();
    assertThat(StartupAdds.isNew(at("1000"))).isFalse();
    assertThat(StartupAdds.isNew(at("1001"))).as("created after the start").isTrue();
  }

  @Test
  void anythingUnknownIsKeptAtWorstASecondPassNeverALostEvent() {
    assertThat(StartupAdds.isNew(at("5"))).as("the start's revision unknown").isTrue();
    StartupAdds.startedAt("not-a-number");
    assertThat(StartupAdds.isNew(at("5"))).isTrue();
    StartupAdds.startedAt("1000");
    assertThat(StartupAdds.isNew(at("opaque"))).isTrue();
    assertThat(StartupAdds.isNew(at(null))).isTrue();
  }
}
