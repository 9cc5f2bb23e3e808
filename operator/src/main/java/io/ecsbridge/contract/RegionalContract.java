package io.ecsbridge.contract;

import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.function.Function;

/** The kind contract for a kind whose place is its region alone (every kind without references). */
public abstract class RegionalContract<R extends CustomResource<S, T>, S extends AwsResourceSpec,
    T extends AwsResourceStatus, L> extends ContractReconciler<R, S, T, String, L> {

  private final Function<String, String> regions;

  /** @param regions resolves spec.region (null when absent) to the region to use */
  protected RegionalContract(OperatorContext op, Function<String, String> regions) {
    super(op);
    this.regions = regions;
  }

  /** The region of this resource: spec.region, or the operator's. */
  protected String region(R resource) {
    return regions.apply(resource.getSpec().getRegion());
  }

  @Override
  protected final Placed<String> place(R resource, T status, Context<R> context) {
    return Placed.at(region(resource));
  }
}
