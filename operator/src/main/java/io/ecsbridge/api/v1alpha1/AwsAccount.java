package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An AWS account the operator can act in, written by the platform team (cluster-scoped): the IAM role the operator
 * assumes there, and which namespaces may use it: the namespaced resources it admits live in this account (the
 * operator assumes the role and calls AWS with its credentials).
 */
@Group(EcrRepository.GROUP)
@Version(EcrRepository.VERSION)
@ShortNames({"awsaccount"})
@Categories({"ecsbridge", "aws"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = PrinterColumns.READY, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Account", jsonPath = ".status.accountId", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Namespaces", jsonPath = ".status.namespaceCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Reason", jsonPath = PrinterColumns.REASON, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = PrinterColumns.AGE, type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Role", jsonPath = ".spec.roleArn",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@JsonClassDescription("An AWS account ecs-bridge can act in (cluster-scoped, written by the platform team): the IAM "
    + "role the operator assumes there (STS AssumeRole, optionally through another AwsAccount) and the namespaces "
    + "whose resources may use it. Ready once the role has been assumed; status shows the account id and the "
    + "namespaces it admits.")
public class AwsAccount extends CustomResource<AwsAccountSpec, AwsAccountStatus> {}
