package io.ecsbridge.api.v1alpha1;

/** How far the operator may act on the AWS resource a custom resource names. */
public enum ManagementPolicy {
  /** Create the resource if absent; refuse (Stalled, AlreadyExists) one that exists without our ownership tag. */
  Managed,
  /** Take over an existing resource (tagging it as ours), or create it if absent. */
  Adopt,
  /** Never write to AWS: only report what exists (Stalled, NotFound, if absent). */
  ObserveOnly
}
