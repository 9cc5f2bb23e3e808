package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An Amazon ECR repository creation template: the settings of repositories ECR creates under a prefix. */
@Group(EcrRepository.GROUP)
@Version(EcrRepository.VERSION)
@ShortNames({"ecrrepositorycreationtemplate", "ecrrct"})
@Categories({"ecsbridge", "aws"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = PrinterColumns.READY, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Prefix", jsonPath = ".spec.prefix", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = PrinterColumns.REASON, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = PrinterColumns.AGE, type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Account", jsonPath = ".status.accountId", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@JsonClassDescription("An Amazon ECR repository creation template: the settings (tag mutability, encryption, "
    + "policies) ECR gives the repositories it creates itself under a prefix: by pull through cache, by replication, "
    + "or on a push to a repository that does not exist (CREATE_ON_PUSH).")
public class EcrRepositoryCreationTemplate
    extends CustomResource<EcrRepositoryCreationTemplateSpec, EcrRepositoryCreationTemplateStatus>
    implements Namespaced {
}
