package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.EventRecorderProbe;
import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Events on the real API server: a repeat of the same event bumps the one Event's count, and what the recorder keeps
 * to find it again is where it is and its count, not the API server's whole answer (managedFields included).
 */
class EventRecorderIT {
  private final KubernetesClient k8s = TestEnvironment.get().kube().client();

  @Test
  void aRepeatBumpsTheCountOfTheOneEventAndOnlyItsPlaceAndCountAreKept() {
    String namespace = "ev-" + UUID.randomUUID().toString().substring(0, 8);
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    EcrRepository repository = new EcrRepository();
    repository.setMetadata(new ObjectMetaBuilder().withName("app").withNamespace(namespace)
        .withUid(UUID.randomUUID().toString()).build());
    EventRecorder recorder = new EventRecorder(k8s, "ecs-bridge", "test", Clock.systemUTC());

    recorder.normal(repository, "Created", "created in AWS");
    recorder.normal(repository, "Created", "created in AWS");
    recorder.normal(repository, "Created", "created in AWS");
    recorder.warning(repository, "Throttled", "slow down");

    List<Event> events = k8s.v1().events().inNamespace(namespace).list().getItems();
    assertThat(events).extracting(Event::getReason).containsExactlyInAnyOrder("Created", "Throttled");
    Event created = events.stream().filter(e -> e.getReason().equals("Created")).findFirst().orElseThrow();
    assertThat(created.getCount()).isEqualTo(3);
    assertThat(created.getMetadata().getManagedFields()).as("the API server's answer carries managedFields")
        .isNotEmpty();
    assertThat(EventRecorderProbe.remembered(recorder, repository, "Normal", "Created", "created in AWS"))
        .isEqualTo(new EventRecorderProbe.Kept(namespace, created.getMetadata().getName(), 3));
  }
}
