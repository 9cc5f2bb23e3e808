package io.ecsbridge.api.v1alpha1;

/** What deleting the custom resource does to the AWS resource. */
public enum DeletionPolicy {
  /** Delete the AWS resource (never silently destroying data), then release the custom resource. */
  Delete,
  /** Leave the AWS resource untouched and release the custom resource at once. */
  Retain
}
