package io.ecsbridge.api.v1alpha1;

/**
 * The status of a kind whose AWS resource takes no tags (ownership by identity) or is an account-wide singleton
 * (ownership by claim): it records which AWS resource, or which settings, this custom resource created, adopted or
 * wrote. Only that record makes the resource this custom resource's own: without it (a lost status, a restore), the
 * resource is foreign and takes {@code managementPolicy: Adopt} again.
 */
public interface IdentityStatus {

  /** The identity of the AWS resource this custom resource owns (e.g. a rule's prefix, "registry us-east-1"). */
  String getOwnedIdentity();

  void setOwnedIdentity(String identity);
}
