package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.cache.LeanItemStore;
import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator's informer caches drop managedFields and kubectl's last-applied-configuration
 * ({@link LeanItemStore}); what the operator writes (status, finalizers) must leave them as they are on the server.
 */
class LeanCacheIT extends OperatorIT {

  private EcrRepository applied(String reconcileRequestedAt) {
    EcrRepository repository = resource(EcrRepository.class, "lean", """
        repositoryName: team/lean
        imageScanningConfiguration: {scanOnPush: true}
        """);
    repository.getMetadata().setNamespace(namespace);
    Map<String, String> annotations = new HashMap<>();
    annotations.put(LeanItemStore.LAST_APPLIED, "{}");
    annotations.put(Annotations.RECONCILE_REQUESTED_AT, reconcileRequestedAt);
    repository.getMetadata().setAnnotations(annotations);
    return repository;
  }

  /** As `kubectl apply --server-side` would: the applier's field manager, the last-applied annotation. */
  private void apply(String reconcileRequestedAt) {
    k8s.resource(applied(reconcileRequestedAt)).fieldManager("kubectl").forceConflicts().serverSideApply();
  }

  @Test
  void statusAndFinalizerWritesKeepManagedFieldsAndLastAppliedOnTheServer() {
    apply("first");
    awaitReady(EcrRepository.class, "lean");
    eventually().until(() -> "first".equals(get(EcrRepository.class, "lean").getStatus().getLastHandledReconcileAt()));

    apply("second"); // a reconcile asked for: the operator writes status again
    eventually().until(() -> "second".equals(get(EcrRepository.class, "lean").getStatus()
        .getLastHandledReconcileAt()));

    EcrRepository live = get(EcrRepository.class, "lean");
    // the API server keeps last-applied up to date on an apply (its value: the object as applied)
    assertThat(live.getMetadata().getAnnotations()).containsEntry(Annotations.RECONCILE_REQUESTED_AT, "second")
        .hasEntrySatisfying(LeanItemStore.LAST_APPLIED, v -> assertThat(v).contains("\"repositoryName\":\"team/lean\"")
            .contains("\"ecsbridge.io/reconcile-requested-at\":\"second\""));
    assertThat(live.getMetadata().getFinalizers()).isNotEmpty();
    Map<String, ManagedFieldsEntry> managers = new HashMap<>();
    live.getMetadata().getManagedFields().forEach(m -> managers.put(m.getManager() + " " + m.getSubresource(), m));
    assertThat(managers).containsKey("kubectl null");
    assertThat(managers.get("kubectl null").getFieldsV1().getAdditionalProperties())
        .containsKeys("f:spec", "f:metadata");
    assertThat(managers.keySet()).anyMatch(k -> k.endsWith(" status")); // the operator's own status entry

    k8s.resource(live).delete(); // the finalizer removed from the lean cached copy: the resource goes
    eventually().until(() -> get(EcrRepository.class, "lean") == null);
  }

  @Test
  void aRestartedOperatorReconcilesWhatItsLeanCacheListedAtStart() throws Exception {
    apply("first");
    awaitReady(EcrRepository.class, "lean");
    operator.close();
    aws.ecr().putImageScanningConfiguration(r -> r.repositoryName("team/lean")
        .imageScanningConfiguration(c -> c.scanOnPush(false))); // drift while the operator is down

    startOperator(settings -> {});

    // the start-up pass (the informer's initial list, through the lean store) finds the drift and corrects it
    eventually().until(() -> aws.ecr().describeRepositories(r -> r.repositoryNames("team/lean")).repositories()
        .get(0).imageScanningConfiguration().scanOnPush());
  }
}
