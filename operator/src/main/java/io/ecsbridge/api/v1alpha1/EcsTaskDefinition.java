package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One Amazon ECS task definition family: each content change registers a new revision. */
@Group(EcrRepository.GROUP)
@Version(EcrRepository.VERSION)
@ShortNames({"ecstaskdef", "ecstd"})
@Categories({"ecsbridge", "aws"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = PrinterColumns.READY, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Revision", jsonPath = ".status.revision", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Reason", jsonPath = PrinterColumns.REASON, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = PrinterColumns.AGE, type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Task Definition", jsonPath = ".status.taskDefinitionArn",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Account", jsonPath = ".status.accountId", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@JsonClassDescription("An Amazon ECS task definition family: each change of the spec registers a new revision, which "
    + "EcsServices referencing it (taskDefinitionRef) roll out. status shows the current revision; deleting the "
    + "resource deregisters the revisions it registered.")
public class EcsTaskDefinition extends CustomResource<EcsTaskDefinitionSpec, EcsTaskDefinitionStatus>
    implements Namespaced {

  /** The family in AWS: spec.family, or metadata.name when it is not set. */
  public String family() {
    String name = getSpec() == null ? null : getSpec().family;
    return name != null ? name : getMetadata().getName();
  }
}
