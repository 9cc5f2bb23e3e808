package io.ecsbridge.kinds.ecs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionSpec;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus;
import io.ecsbridge.aws.TaskDefinitionGateway.Revision;
import io.ecsbridge.contract.Tags;
import java.util.Map;

/**
 * What an EcsTaskDefinition's spec asks for, its references resolved (ConfigMap values into the environment, Secret
 * references into secrets[] on the values secret, ConfigMap values as: Parameter into secrets[] on their parameters): the RegisterTaskDefinition content, its canonical form and hash,
 * and the tags (owner, content hash, values secret). The hash is of content that holds no Secret value.
 */
record TaskDefinitionDesired(ObjectNode request, ObjectNode canonical, String hash, Map<String, String> tags) {

  static TaskDefinitionDesired of(EcsTaskDefinitionSpec spec, EcsTaskDefinitionReconciler.Place place,
      String owner) {
    ObjectNode json = ImageReferences.pinned(TaskDefinitionReferences.resolved(spec, place.environment()),
        place.images());
    TaskDefinitionSecrets.apply(json, place.values());
    TaskDefinitionParameters.apply(json, place.parameters());
    ObjectNode request = TaskDefinitionContent.request(json);
    ObjectNode canonical = TaskDefinitionContent.canonical(request);
    String hash = TaskDefinitionContent.hash(canonical);
    Map<String, String> tags = Tags.desired(spec.tags, owner, false);
    tags.put(TaskDefinitionContent.HASH_TAG, hash);
    TaskDefinitionSecrets.tag(tags, place.values());
    TaskDefinitionParameters.tag(tags, place.parameters());
    return new TaskDefinitionDesired(request, canonical, hash, tags);
  }

  /**
   * Makes the values a registration references that do not exist yet (the values secret, the parameters); whether it
   * made any (then the content, which names them, is made anew).
   */
  static boolean ensureStored(EcsTaskDefinitionReconciler.Place place) {
    boolean secret = TaskDefinitionSecrets.ensure(place.values());
    boolean parameters = place.parameters() != null && place.parameters().ensure();
    return secret || parameters;
  }

  /**
   * Whether the live revision has this content: equal canonical content, or our hash tag on it where that tag is
   * believed. It is believed only for the revision this resource last registered or adopted (its ARN in status, from
   * the previous pass: diff runs before report), or, before the first status (a restart right after registering), for
   * one carrying our ownership tag ({@code owned}). A revision registered outside with copied tags (console "create
   * new revision", describe + edit + register) is compared by its content instead, so that changed content is never
   * taken as in sync.
   */
  boolean sameContent(EcsTaskDefinitionStatus status, Revision live, boolean owned) {
    if (TaskDefinitionContent.canonical(live.content()).equals(canonical)) {
      return true;
    }
    boolean trusted = status.taskDefinitionArn == null ? owned : status.taskDefinitionArn.equals(live.arn());
    return trusted && hash.equals(live.tags().get(TaskDefinitionContent.HASH_TAG));
  }
}
