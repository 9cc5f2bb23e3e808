package io.ecsbridge.status;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Kubernetes Events on our resources so that {@code kubectl describe} tells the story. A repeat of the same
 * event (same object, type, reason and message) bumps the count of the existing Event instead of creating another,
 * as kubectl's own recorder does. Failing to record an Event never fails a reconcile.
 */
public class EventRecorder {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_REMEMBERED = 2048;

  private final KubernetesClient client;
  private final String component;
  private final String instance;
  private final Clock clock;
  /**
   * The Events written lately, by object, type, reason and message: only what a repeat needs (where the Event is and
   * its count), not the API server's answer, whose managedFields and copies of the object's reference made each entry
   * some 3 KiB (5 KiB per resource at steady state, the largest retainer of the heap: docs/operations.md, "Footprint
   * levers").
   */
  record Written(String namespace, String name, int count) {}

  private final Map<String, Written> recent = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
      return size() > MAX_REMEMBERED;
    }
  };

  public EventRecorder(KubernetesClient client, String component, String instance, Clock clock) {
    this.client = client;
    this.component = component;
    this.instance = instance;
    this.clock = clock;
  }

  public void normal(HasMetadata resource, String reason, String message) {
    record(resource, "Normal", reason, message);
  }

  public void warning(HasMetadata resource, String reason, String message) {
    record(resource, "Warning", reason, message);
  }

  private void record(HasMetadata resource, String type, String reason, String message) {
    String note = note(message);
    String key = resource.getMetadata().getUid() + "|" + type + "|" + reason + "|" + note;
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    log.info("event type={} reason={} kind={} namespace={} name={} message={}", type, reason, resource.getKind(),
        resource.getMetadata().getNamespace(), resource.getMetadata().getName(), note);
    try {
      Written previous;
      synchronized (recent) {
        previous = recent.get(key);
      }
      Event written = null;
      if (previous != null) {
        int count = previous.count() + 1;
        try {
          written = client.v1().events().inNamespace(previous.namespace()).withName(previous.name())
              .edit(e -> new EventBuilder(e).withCount(count).withLastTimestamp(now).build());
        } catch (KubernetesClientException e) {
          written = null; // expired or deleted: write a new one
        }
      }
      if (written == null) {
        Event event = new EventBuilder()
            .withNewMetadata()
            // a cluster-scoped resource's Events go to the default namespace, as Kubernetes' own do
            .withNamespace(resource.getMetadata().getNamespace() != null ? resource.getMetadata().getNamespace()
                : "default")
            .withName(resource.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
            .endMetadata()
            .withInvolvedObject(new ObjectReferenceBuilder()
                .withApiVersion(resource.getApiVersion())
                .withKind(resource.getKind())
                .withNamespace(resource.getMetadata().getNamespace())
                .withName(resource.getMetadata().getName())
                .withUid(resource.getMetadata().getUid())
                .withResourceVersion(resource.getMetadata().getResourceVersion())
                .build())
            .withType(type)
            .withReason(reason)
            .withMessage(note)
            .withCount(1)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withNewSource().withComponent(component).endSource()
            .withReportingComponent(component)
            .withReportingInstance(instance)
            .build();
        written = client.v1().events().resource(event).create();
      }
      Written remembered = remembered(written);
      synchronized (recent) {
        recent.put(key, remembered);
      }
    } catch (RuntimeException e) {
      log.warn("could not record event reason={} on {}/{}: {}", reason, resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(), e.getMessage());
    }
  }

  /** What is kept of an Event just written (its count as written; 1 when the answer does not say). */
  static Written remembered(Event written) {
    Integer count = written.getCount();
    return new Written(written.getMetadata().getNamespace(), written.getMetadata().getName(),
        count == null ? 1 : count);
  }

  /** What is remembered for a repeat of this event, if anything (tests). */
  Written remembered(HasMetadata resource, String type, String reason, String message) {
    synchronized (recent) {
      return recent.get(resource.getMetadata().getUid() + "|" + type + "|" + reason + "|" + note(message));
    }
  }

  private static String note(String message) {
    return message == null ? "" : (message.length() > 1000 ? message.substring(0, 1000) + "..." : message);
  }
}
