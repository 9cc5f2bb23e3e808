package io.ecsbridge.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.List;

/** The status writer of unit tests: keeps every status written, in order, instead of sending it to an API server. */
public final class InMemoryStatusWriter implements StatusWriter {
  public final List<HasMetadata> written = new ArrayList<>();

  @Override
  public <R extends HasMetadata> R write(R resource, R withStatus, Context<R> context) {
    written.add(withStatus);
    return withStatus;
  }
}
