package io.ecsbridge.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/**
 * The ownership tag: {@code ecsbridge.io/owner: <operator-instance-id>/<namespace>/<name>} on every AWS resource we
 * create or adopt. A resource without our tag is never modified or deleted unless the CR says Adopt.
 */
public final class Ownership {
  public static final String TAG = "ecsbridge.io/owner";

  private Ownership() {}

  public static String value(String instanceId, HasMetadata resource) {
    return instanceId + "/" + resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }

  public static boolean ownedBy(Map<String, String> liveTags, String ownerValue) {
    return liveTags != null && ownerValue.equals(liveTags.get(TAG));
  }

  public static String foreignMessage(String what, Map<String, String> liveTags) {
    String owner = liveTags == null ? null : liveTags.get(TAG);
    return what + " already exists and is not owned by this resource ("
        + (owner == null ? "it has no " + TAG + " tag" : TAG + "=" + owner)
        + "); set spec.managementPolicy: Adopt to take it over, or choose another name";
  }
}
