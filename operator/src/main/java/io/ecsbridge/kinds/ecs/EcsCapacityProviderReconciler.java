package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.RegionalContract;
import io.ecsbridge.contract.Shape;
import io.ecsbridge.contract.Tags;

import static io.ecsbridge.kinds.ecs.CapacityProviderShape.SHAPE;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsCapacityProvider;
import io.ecsbridge.api.v1alpha1.EcsCapacityProviderSpec;
import io.ecsbridge.api.v1alpha1.EcsCapacityProviderStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.CapacityProviderGateway;
import io.ecsbridge.aws.SdkJson;
import io.ecsbridge.status.Health;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ecs.model.CapacityProvider;
import software.amazon.awssdk.services.ecs.model.CreateCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.UpdateCapacityProviderRequest;

/**
 * EcsCapacityProvider: one DescribeCapacityProviders read (with tags), then UpdateCapacityProvider for the provider's
 * settings and Tag/UntagResource for tags, each only when it differs ({@link CapacityProviderShape}). Health follows
 * ECS's status and updateStatus. Deletion: DeleteCapacityProvider, which ECS answers with updateStatus DELETE_FAILED
 * while a cluster still lists the provider; the custom resource then waits (Reconciling CapacityProviderInUse, ECS's
 * reason naming the cluster, a Warning Event) and tries again on escalating polls until the cluster lets it go.
 */
@ControllerConfiguration(name = "ecscapacityprovider")
public class EcsCapacityProviderReconciler extends RegionalContract<EcsCapacityProvider, EcsCapacityProviderSpec,
    EcsCapacityProviderStatus, CapacityProvider> {

  /** How often a provider that ECS is still changing, or that a cluster still uses on deletion, is looked at. */
  static final Duration RECHECK = Duration.ofSeconds(5);
  static final String IN_USE = "CapacityProviderInUse";

  private final CapacityProviderGateway ecs;

  public EcsCapacityProviderReconciler(OperatorContext op, CapacityProviderGateway ecs,
      Function<String, String> regions) {
    super(op, regions);
    this.ecs = ecs;
  }

  @Override
  protected EcsCapacityProviderStatus newStatus() {
    return new EcsCapacityProviderStatus();
  }

  @Override
  protected String what() {
    return "ECS capacity provider";
  }

  @Override
  protected String describe(EcsCapacityProvider resource) {
    return "ECS capacity provider " + resource.capacityProviderName();
  }

  @Override
  protected Optional<CapacityProvider> observe(EcsCapacityProvider resource, String region) {
    return ecs.describe(region, resource.capacityProviderName(), resource.getSpec().cluster);
  }

  @Override
  protected Map<String, String> tags(CapacityProvider live) {
    return Tags.fromEcs(live.tags());
  }

  /**
   * ECS refuses a name that exists ("already exists"): that one is then observed and judged by its tags. A Managed
   * Instances provider whose cluster does not exist yet (applied in any order) is retried with backoff, not Stalled.
   */
  @Override
  protected Optional<CapacityProvider> create(EcsCapacityProvider resource, String region, String owner) {
    try {
      return Optional.of(ecs.create(region, createRequest(resource, Tags.desired(resource.getSpec().tags, owner,
          false))));
    } catch (AwsException e) {
      if (String.valueOf(e.getMessage()).contains("already exists")) {
        return Optional.empty();
      }
      if (e.notFound() && resource.getSpec().cluster != null) {
        throw new AwsException(AwsException.Kind.RETRYABLE, e.errorCode(), e.statusCode(), "ECS cluster "
            + resource.getSpec().cluster + " does not exist (yet): " + describe(resource) + " is created in it once it "
            + "does (" + e.getMessage() + ")", e);
      }
      throw e;
    }
  }

  @Override
  protected void report(EcsCapacityProviderStatus status, CapacityProvider live) {
    status.capacityProviderArn = live.capacityProviderArn();
    status.status = live.statusAsString();
    status.updateStatus = live.updateStatusAsString();
    status.updateStatusReason = live.updateStatusReason();
    status.type = live.typeAsString();
  }

  /** Another kind of provider, or another Auto Scaling group, than the spec's: no update changes either. */
  @Override
  protected Optional<Health> unfixable(EcsCapacityProvider resource, CapacityProvider live) {
    EcsCapacityProviderSpec spec = resource.getSpec();
    String name = resource.capacityProviderName();
    if ((spec.autoScalingGroupProvider != null) != (live.autoScalingGroupProvider() != null)) {
      return Optional.of(Health.stalled("ProviderTypeMismatch", describe(resource) + " is of type " + live.typeAsString()
          + " in ECS, not the kind the spec describes; the type is fixed at creation"));
    }
    if (spec.autoScalingGroupProvider != null && !sameGroup(spec.autoScalingGroupProvider.autoScalingGroupArn,
        live.autoScalingGroupProvider().autoScalingGroupArn())) {
      return Optional.of(Health.stalled("AutoScalingGroupMismatch", "ECS capacity provider " + name + " uses Auto "
          + "Scaling group " + live.autoScalingGroupProvider().autoScalingGroupArn() + ", not "
          + spec.autoScalingGroupProvider.autoScalingGroupArn + "; the group is fixed at creation"));
    }
    return Optional.empty();
  }

  /** The spec's group (ARN or name) is the live one's (ECS reports the ARN). */
  static boolean sameGroup(String spec, String live) {
    return spec.equals(live) || (!spec.startsWith("arn:") && live != null
        && live.endsWith(":autoScalingGroupName/" + spec));
  }

  @Override
  protected List<Change> diff(EcsCapacityProvider resource, CapacityProvider live, String region, String owner) {
    EcsCapacityProviderSpec spec = resource.getSpec();
    ObjectNode want = Shape.json(spec);
    ObjectNode have = SdkJson.toJson(live);
    List<Change> changes = new ArrayList<>();
    for (String member : SHAPE.differences(want, have)) {
      ObjectNode request = JsonNodeFactory.instance.objectNode().put("name", resource.capacityProviderName());
      if (spec.cluster != null) {
        request.put("cluster", spec.cluster);
      }
      request.set(member, SHAPE.wanted(member, want));
      changes.add(new Change(member, "Updated " + member + " of " + describe(resource),
          () -> ecs.update(region, SdkJson.build(UpdateCapacityProviderRequest.builder(), request))));
    }
    boolean observeOnly = spec.getManagementPolicy() == ManagementPolicy.ObserveOnly;
    Tags.diff(Tags.desired(spec.tags, owner, observeOnly), Tags.fromEcs(live.tags()), observeOnly, changes,
        add -> ecs.tag(region, live.capacityProviderArn(), add),
        remove -> ecs.untag(region, live.capacityProviderArn(), remove));
    return changes;
  }

  /** After an UpdateCapacityProvider the provider is read again: its updateStatus says whether ECS is still at it. */
  @Override
  protected CapacityProvider afterApply(EcsCapacityProvider resource, CapacityProvider live, List<Change> applied,
      String region) {
    boolean updated = applied.stream().anyMatch(c -> SHAPE.members().stream().anyMatch(m -> m.name()
        .equals(c.field())));
    return updated ? observe(resource, region).orElse(live) : live;
  }

  @Override
  protected Result health(EcsCapacityProvider resource, CapacityProvider live, boolean created) {
    String name = resource.capacityProviderName();
    String update = String.valueOf(live.updateStatusAsString());
    String reason = live.updateStatusReason() == null ? "" : ": " + live.updateStatusReason();
    if (update.equals("CREATE_FAILED") || update.equals("UPDATE_FAILED")) {
      return Result.of(Health.stalled(update.equals("CREATE_FAILED") ? "CreateFailed" : "UpdateFailed",
          "ECS reports " + update + " for capacity provider " + name + reason));
    }
    if (!"ACTIVE".equals(live.statusAsString()) || update.endsWith("_IN_PROGRESS")) {
      return Result.of(Health.progressing("Provisioning", "ECS capacity provider " + name + " is "
          + live.statusAsString() + (update.equals("null") ? "" : " (" + update + ")")), RECHECK);
    }
    return Result.of(Health.ready("Synced", "ECS capacity provider " + name + " is "
        + (created ? "created" : "in sync")));
  }

  /**
   * DeleteCapacityProvider. While a cluster lists the provider, ECS answers DELETE_FAILED with the reason (naming the
   * cluster): the deletion waits, told in a Warning Event, and is tried again on escalating polls.
   */
  @Override
  protected DeleteResult remove(EcsCapacityProvider resource, CapacityProvider live, String region) {
    String name = resource.capacityProviderName();
    if (!"DELETE_IN_PROGRESS".equals(live.updateStatusAsString())) {
      CapacityProvider answer = ecs.delete(region, name, resource.getSpec().cluster);
      if ("DELETE_FAILED".equals(answer.updateStatusAsString())) {
        return new DeleteResult(false, Health.progressing(IN_USE, "ECS capacity provider " + name + " is not "
            + "deleted yet: " + answer.updateStatusReason() + " (looked at again until the cluster lets it go)"),
            RECHECK, true);
      }
      op.events().normal(resource, "Deleted", "Deleted ECS capacity provider " + name);
      if ("INACTIVE".equals(answer.statusAsString()) || "DELETE_COMPLETE".equals(answer.updateStatusAsString())) {
        return DeleteResult.finished();
      }
    }
    return DeleteResult.waiting(Health.progressing("Deleting", "Waiting for ECS capacity provider " + name
        + " to become INACTIVE"), Duration.ofSeconds(2));
  }

  /** CreateCapacityProvider: the spec's AWS fields as written ({@link Shape#request}), its name, cluster and tags. */
  static CreateCapacityProviderRequest createRequest(EcsCapacityProvider resource, Map<String, String> tags) {
    CreateCapacityProviderRequest.Builder b = CreateCapacityProviderRequest.builder();
    SdkJson.fill(b, SHAPE.request(Shape.json(resource.getSpec())));
    return b.name(resource.capacityProviderName()).cluster(resource.getSpec().cluster).tags(Tags.toEcs(tags)).build();
  }
}
