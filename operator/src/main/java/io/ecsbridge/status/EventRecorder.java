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
  private final Map<String, Event> recent = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Event> eldest) {
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
    String note = message == null ? "" : (message.length() > 1000 ? message.substring(0, 1000) + "..." : message);
    String key = resource.getMetadata().getUid() + "|" + type + "|" + reason + "|" + note;
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    log.info("event type={} reason={} kind={} namespace={} name={} message={}", type, reason, resource.getKind(),
        resource.getMetadata().getNamespace(), resource.getMetadata().getName(), note);
    try {
      Event previous;
      synchronized (recent) {
        previous = recent.get(key);
      }
      Event written = null;
      if (previous != null) {
        Event bumped = new EventBuilder(previous).withCount(previous.getCount() + 1).withLastTimestamp(now).build();
        try {
          written = client.v1().events().inNamespace(previous.getMetadata().getNamespace())
              .withName(previous.getMetadata().getName())
              .edit(e -> new EventBuilder(e).withCount(bumped.getCount()).withLastTimestamp(now).build());
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
      synchronized (recent) {
        recent.put(key, written);
      }
    } catch (RuntimeException e) {
      log.warn("could not record event reason={} on {}/{}: {}", reason, resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(), e.getMessage());
    }
  }
}
