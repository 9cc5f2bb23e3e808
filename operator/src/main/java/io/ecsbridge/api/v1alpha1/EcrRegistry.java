package io.ecsbridge.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The registry-wide ECR settings of one account and region: one custom resource per account and region claims them
 * (the oldest; the others are Stalled AlreadyClaimed). Settings always exist: they are put, and reset to ECR's
 * defaults on deletion (deletionPolicy: Delete).
 */
@Group(EcrRepository.GROUP)
@Version(EcrRepository.VERSION)
@ShortNames({"ecrregistry"})
@Categories({"ecsbridge", "aws"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Registry", jsonPath = ".status.registryId", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Scan", jsonPath = ".status.scanType", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Account", jsonPath = ".status.accountId", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class EcrRegistry extends CustomResource<EcrRegistrySpec, EcrRegistryStatus> implements Namespaced {}
