package io.ecsbridge.reconciler;

/**
 * One difference between AWS and the spec and the call that removes it: reconcilers list them, then
 * {@link AwsResourceReconciler#applyChanges} makes the calls and tells the story in Events.
 *
 * @param field the spec field that differs (named in ObserveOnly's OutOfSync message)
 * @param description what the call does, for the Event (null: bookkeeping, told in no Event)
 */
public record Change(String field, String description, Runnable apply) {}
