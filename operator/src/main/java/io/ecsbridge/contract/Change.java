package io.ecsbridge.contract;

/**
 * One difference between AWS and the spec and the call that removes it: reconcilers list them, then
 * {@link AwsResourceReconciler#applyChanges} makes the calls and tells the story in Events.
 *
 * @param field the spec field that differs (named in ObserveOnly's OutOfSync message)
 * @param description what the call does, for the Event (null: bookkeeping, told in no Event, or a call that tells
 *     its own Event because it names what the call made, such as a new task definition revision)
 */
public record Change(String field, String description, Runnable apply) {}
