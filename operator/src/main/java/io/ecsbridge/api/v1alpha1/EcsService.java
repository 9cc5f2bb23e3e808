package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An Amazon ECS service, with its rollout reported as health and its Application Auto Scaling settings. */
@Group(EcrRepository.GROUP)
@Version(EcrRepository.VERSION)
@ShortNames({"ecsservice", "ecssvc"})
@Categories({"ecsbridge", "aws"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = PrinterColumns.READY, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Running", jsonPath = ".status.runningCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".status.desiredCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Rollout", jsonPath = ".status.rolloutPhase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = PrinterColumns.REASON, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = PrinterColumns.AGE, type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Task Definition", jsonPath = ".status.taskDefinitionRevision",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".spec['cluster','clusterRef.name']",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Account", jsonPath = ".status.accountId", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@JsonClassDescription("An Amazon ECS service: keeps desiredCount tasks of a task definition (an EcsTaskDefinition, or "
    + "an ARN) running in a cluster, rolls out each change and reports the rollout in its conditions (Ready when it "
    + "completed, Stalled when it failed or was rolled back), with optional Application Auto Scaling.")
public class EcsService extends CustomResource<EcsServiceSpec, EcsServiceStatus> implements Namespaced {

  /** The service name in ECS: spec.serviceName, or metadata.name when it is not set. */
  public String serviceName() {
    String name = getSpec() == null ? null : getSpec().serviceName;
    return name != null ? name : getMetadata().getName();
  }
}
