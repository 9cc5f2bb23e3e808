package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An Amazon ECR repository. */
@Group(EcrRepository.GROUP)
@Version(EcrRepository.VERSION)
@ShortNames({"ecrrepo", "ecrr"})
@Categories({"ecsbridge", "aws"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = PrinterColumns.READY, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "URI", jsonPath = ".status.repositoryUri", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = PrinterColumns.REASON, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = PrinterColumns.AGE, type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Account", jsonPath = ".status.accountId", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@JsonClassDescription("An Amazon ECR repository: its settings, lifecycle policy and repository policy. Created when "
    + "absent (managementPolicy: Managed); deleted with this resource unless deletionPolicy is Retain. "
    + "status.repositoryUri is where to push and pull.")
public class EcrRepository extends CustomResource<EcrRepositorySpec, EcrRepositoryStatus> implements Namespaced {
  public static final String GROUP = "ecsbridge.io";
  public static final String VERSION = "v1alpha1";

  /** The repository name in AWS: spec.repositoryName, or metadata.name when it is not set. */
  public String repositoryName() {
    String name = getSpec() == null ? null : getSpec().getRepositoryName();
    return name != null ? name : getMetadata().getName();
  }
}
