package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An Amazon ECS capacity provider: an Auto Scaling group's, or ECS Managed Instances'. */
@Group(EcrRepository.GROUP)
@Version(EcrRepository.VERSION)
@ShortNames({"ecscapacityprovider", "ecscp"})
@Categories({"ecsbridge", "aws"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = PrinterColumns.READY, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Update", jsonPath = ".status.updateStatus", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = PrinterColumns.REASON, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = PrinterColumns.AGE, type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Type", jsonPath = ".status.type",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Account", jsonPath = ".status.accountId", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@JsonClassDescription("An Amazon ECS capacity provider: the capacity of an EC2 Auto Scaling group (account-wide) or of "
    + "ECS Managed Instances (one cluster) that ECS places tasks on. EcsClusters attach it with capacityProviderRefs.")
public class EcsCapacityProvider extends CustomResource<EcsCapacityProviderSpec, EcsCapacityProviderStatus>
    implements Namespaced {

  /** The capacity provider's name in ECS: spec.name, or metadata.name when it is not set. */
  public String capacityProviderName() {
    String name = getSpec() == null ? null : getSpec().name;
    return name != null ? name : getMetadata().getName();
  }
}
