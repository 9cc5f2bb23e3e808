package io.ecsbridge.status;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** What an {@link EventRecorder} keeps of an event (tests in other packages). */
public final class EventRecorderProbe {
  /** Where the Event is and its count. */
  public record Kept(String namespace, String name, int count) {}

  private EventRecorderProbe() {}

  public static Kept remembered(EventRecorder recorder, HasMetadata resource, String type, String reason,
      String message) {
    EventRecorder.Written written = recorder.remembered(resource, type, reason, message);
    return written == null ? null : new Kept(written.namespace(), written.name(), written.count());
  }
}
