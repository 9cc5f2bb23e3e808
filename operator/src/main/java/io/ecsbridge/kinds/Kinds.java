package io.ecsbridge.kinds;

import io.ecsbridge.accounts.AccountCredentials;
import io.ecsbridge.accounts.AwsAccountReconciler;
import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.EcrPullThroughCacheRule;
import io.ecsbridge.api.v1alpha1.EcrRegistry;
import io.ecsbridge.api.v1alpha1.EcrRepositoryCreationTemplate;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcsCapacityProvider;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.aws.AwsClients;
import io.ecsbridge.aws.SdkAutoScalingGateway;
import io.ecsbridge.aws.SdkCapacityProviderGateway;
import io.ecsbridge.aws.SdkCreationTemplateGateway;
import io.ecsbridge.aws.SdkEcrGateway;
import io.ecsbridge.aws.SdkRegistryGateway;
import io.ecsbridge.aws.SdkParametersGateway;
import io.ecsbridge.aws.SdkPullThroughCacheGateway;
import io.ecsbridge.aws.SdkSecretsGateway;
import io.ecsbridge.aws.SdkServiceDeploymentGateway;
import io.ecsbridge.aws.SdkServiceGateway;
import io.ecsbridge.aws.SdkTaskDefinitionGateway;
import io.ecsbridge.kinds.ecr.EcrPullThroughCacheRuleReconciler;
import io.ecsbridge.kinds.ecr.EcrRegistryReconciler;
import io.ecsbridge.kinds.ecr.EcrRepositoryCreationTemplateReconciler;
import io.ecsbridge.kinds.ecr.EcrRepositoryReconciler;
import io.ecsbridge.kinds.ecs.EcsCapacityProviderReconciler;
import io.ecsbridge.kinds.ecs.EcsClusterReconciler;
import io.ecsbridge.kinds.ecs.EcsServiceReconciler;
import io.ecsbridge.kinds.ecs.EcsTaskDefinitionReconciler;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.kinds.ecs.ImageReferences;
import io.ecsbridge.kinds.ecs.RevisionsInUse;
import io.ecsbridge.kinds.ecs.TaskDefinitionReferences;
import io.ecsbridge.kinds.ecs.TaskDefinitionSecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every kind the operator serves, one entry each, a kind after the kinds it refers to (the order users create
 * them). Everything that depends on the set of kinds reads this list: registration and the start-up check
 * (EcsBridgeOperator), the files `make crds` generates from it (helm/ecs-bridge/files/kinds.yaml, which the chart's
 * RBAC rules and Argo CD health checks read, and docs/iam-policy.json) and the tests that cover every kind.
 */
public final class Kinds {

  /**
   * What a kind's reconciler is built from: the operator's shared context, AWS clients and Kubernetes client, and
   * whether EcsTaskDefinitions may read Secrets (ECSBRIDGE_SECRET_REFERENCES), and the credentials of each AwsAccount
   * (kept by the AwsAccount reconciler).
   */
  public record Wiring(OperatorContext context, AwsClients aws, KubernetesClient client, boolean secretReferences,
      java.time.Duration imageTagPoll, AccountCredentials accounts) {
    /** The region of a resource: its spec's, else the operator's default. */
    public Function<String, String> regions() {
      return aws::region;
    }
  }

  /**
   * One kind: its custom resource class (group, version, kind, plural and short names come from its annotations, as
   * in its CRD), how its reconciler is built, the AWS actions (IAM {@code prefix:Operation}) that reconciler
   * needs, which docs/iam-policy.json allows, and the core Kubernetes resources it reads (get, list, watch: the
   * chart's RBAC grants them).
   */
  public record Kind<R extends CustomResource<?, ?>>(Class<R> type, Function<Wiring, Reconciler<R>> factory,
      List<String> awsActions, List<String> reads) {
    public Kind {
      awsActions = List.copyOf(awsActions);
      reads = List.copyOf(reads);
    }

    /** This kind, reading (informers on) the given core resources, e.g. configmaps. */
    public Kind<R> reading(String... resources) {
      return new Kind<>(type, factory, awsActions, List.of(resources));
    }

    public String kind() {
      return HasMetadata.getKind(type);
    }

    /** A cluster-scoped kind (AwsAccount): not namespaced, watched cluster-wide, granted by a ClusterRole. */
    public boolean clusterScoped() {
      return !Namespaced.class.isAssignableFrom(type);
    }

    public String group() {
      return HasMetadata.getGroup(type);
    }

    public String plural() {
      return HasMetadata.getPlural(type);
    }

    public List<String> shortNames() {
      return List.of(CustomResource.getShortNames(type));
    }

    /** The CRD's name, {@code <plural>.<group>}. */
    public String crdName() {
      return HasMetadata.getFullResourceName(type);
    }

    /** JOSDK's controller name: it names the per-controller metrics ({@code ..._ecrrepository}) and field manager. */
    public String controllerName() {
      return kind().toLowerCase(Locale.ROOT);
    }

    public Reconciler<R> newReconciler(Wiring wiring) {
      return factory.apply(wiring);
    }
  }

  public static final List<Kind<?>> ALL = List.of(
      kind(EcrRepository.class,
          w -> new EcrRepositoryReconciler(w.context(), new SdkEcrGateway(w.aws()), w.regions()),
          "ecr:CreateRepository", "ecr:DeleteRepository", "ecr:DescribeRepositories", "ecr:DescribeImages",
          "ecr:PutImageTagMutability",
          "ecr:PutImageScanningConfiguration", "ecr:GetLifecyclePolicy", "ecr:PutLifecyclePolicy",
          "ecr:DeleteLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:SetRepositoryPolicy",
          "ecr:DeleteRepositoryPolicy", "ecr:ListTagsForResource", "ecr:TagResource", "ecr:UntagResource"),
      kind(EcsCapacityProvider.class,
          w -> new EcsCapacityProviderReconciler(w.context(), new SdkCapacityProviderGateway(w.aws()), w.regions()),
          "ecs:CreateCapacityProvider", "ecs:UpdateCapacityProvider", "ecs:DescribeCapacityProviders",
          "ecs:DeleteCapacityProvider", "ecs:TagResource", "ecs:UntagResource", "iam:PassRole",
          "iam:CreateServiceLinkedRole"),
      kind(EcsCluster.class,
          w -> new EcsClusterReconciler(w.context(), w.aws().clusters(), w.regions()),
          "ecs:CreateCluster", "ecs:UpdateCluster", "ecs:UpdateClusterSettings", "ecs:PutClusterCapacityProviders",
          "ecs:DescribeClusters", "ecs:DeleteCluster", "ecs:ListServices", "ecs:DescribeServices",
          "ecs:TagResource", "ecs:UntagResource"),
      kind(EcsTaskDefinition.class,
          w -> new EcsTaskDefinitionReconciler(w.context(), new SdkTaskDefinitionGateway(w.aws()), w.regions(),
              RevisionsInUse.ecsServices(w.client()), TaskDefinitionReferences.Lookup.informers(),
              w.secretReferences() ? new SdkSecretsGateway(w.aws()) : null, TaskDefinitionSecrets.Lookup.informers(),
              new ImageReferences(ImageReferences.Repositories.informers(), new SdkEcrGateway(w.aws()), w.regions(),
                  w.imageTagPoll()),
              new SdkParametersGateway(w.aws())),
          "ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:ListTaskDefinitions",
          "ecs:DeregisterTaskDefinition", "ecs:ListTagsForResource", "ecs:TagResource", "ecs:UntagResource",
          "iam:PassRole", "ecr:DescribeImages", "secretsmanager:CreateSecret", "secretsmanager:TagResource",
          "secretsmanager:GetSecretValue", "secretsmanager:ListSecrets", "secretsmanager:DeleteSecret",
          "ssm:PutParameter", "ssm:AddTagsToResource", "ssm:GetParametersByPath", "ssm:DeleteParameters")
          .reading("configmaps", "secrets"),
      kind(EcsService.class,
          w -> new EcsServiceReconciler(w.context(), new SdkServiceGateway(w.aws()),
              new SdkServiceDeploymentGateway(w.aws()), new SdkAutoScalingGateway(w.aws()), w.regions()),
          "ecs:CreateService", "ecs:UpdateService", "ecs:DescribeServices", "ecs:DeleteService", "ecs:DescribeClusters",
          "ecs:DescribeTaskDefinition", "ecs:TagResource", "ecs:UntagResource", "ecs:DescribeServiceRevisions",
          "ecs:ListServiceDeployments", "ecs:DescribeServiceDeployments", "ecs:StopServiceDeployment", "iam:PassRole",
          "application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget",
          "application-autoscaling:DescribeScalableTargets", "application-autoscaling:PutScalingPolicy",
          "application-autoscaling:DeleteScalingPolicy", "application-autoscaling:DescribeScalingPolicies",
          "application-autoscaling:PutScheduledAction", "application-autoscaling:DeleteScheduledAction",
          "application-autoscaling:DescribeScheduledActions", "application-autoscaling:ListTagsForResource",
          "application-autoscaling:TagResource", "application-autoscaling:UntagResource",
          "iam:CreateServiceLinkedRole"),
      kind(EcrRegistry.class,
          w -> new EcrRegistryReconciler(w.context(), new SdkRegistryGateway(w.aws()), w.regions()),
          "ecr:GetRegistryScanningConfiguration", "ecr:PutRegistryScanningConfiguration", "ecr:DescribeRegistry",
          "ecr:PutReplicationConfiguration", "ecr:GetRegistryPolicy", "ecr:PutRegistryPolicy",
          "ecr:DeleteRegistryPolicy", "iam:CreateServiceLinkedRole"),
      kind(EcrPullThroughCacheRule.class,
          w -> new EcrPullThroughCacheRuleReconciler(w.context(), new SdkPullThroughCacheGateway(w.aws()),
              w.regions()),
          "ecr:CreatePullThroughCacheRule", "ecr:DescribePullThroughCacheRules", "ecr:UpdatePullThroughCacheRule",
          "ecr:DeletePullThroughCacheRule", "iam:PassRole"),
      kind(EcrRepositoryCreationTemplate.class,
          w -> new EcrRepositoryCreationTemplateReconciler(w.context(), new SdkCreationTemplateGateway(w.aws()),
              w.regions()),
          "ecr:CreateRepositoryCreationTemplate", "ecr:DescribeRepositoryCreationTemplates",
          "ecr:UpdateRepositoryCreationTemplate", "ecr:DeleteRepositoryCreationTemplate", "iam:PassRole"),
      // not an AWS resource: assumes the account's role (GetCallerIdentity needs no permission)
      kind(AwsAccount.class, w -> new AwsAccountReconciler(w.context(), w.accounts()), "sts:AssumeRole")
          .reading("namespaces"));

  private Kinds() {}

  private static <R extends CustomResource<?, ?>> Kind<R> kind(Class<R> type,
      Function<Wiring, Reconciler<R>> factory, String... awsActions) {
    return new Kind<>(type, factory, List.of(awsActions), List.of());
  }
}
