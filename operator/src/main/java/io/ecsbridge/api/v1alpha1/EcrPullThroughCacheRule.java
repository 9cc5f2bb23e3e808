package io.ecsbridge.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An Amazon ECR pull through cache rule: repositories under a prefix cache an upstream registry's images. */
@Group(EcrRepository.GROUP)
@Version(EcrRepository.VERSION)
@ShortNames({"ecrpullthroughcacherule", "ecrptc"})
@Categories({"ecsbridge", "aws"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Prefix", jsonPath = ".spec.ecrRepositoryPrefix",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Upstream", jsonPath = ".spec.upstreamRegistryUrl",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Account", jsonPath = ".status.accountId", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class EcrPullThroughCacheRule extends CustomResource<EcrPullThroughCacheRuleSpec, EcrPullThroughCacheRuleStatus>
    implements Namespaced {
}
