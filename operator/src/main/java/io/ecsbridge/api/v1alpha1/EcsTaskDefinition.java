package io.ecsbridge.api.v1alpha1;

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
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Revision", jsonPath = ".status.revision", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Account", jsonPath = ".status.accountId", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class EcsTaskDefinition extends CustomResource<EcsTaskDefinitionSpec, EcsTaskDefinitionStatus>
    implements Namespaced {

  /** The family in AWS: spec.family, or metadata.name when it is not set. */
  public String family() {
    String name = getSpec() == null ? null : getSpec().family;
    return name != null ? name : getMetadata().getName();
  }
}
