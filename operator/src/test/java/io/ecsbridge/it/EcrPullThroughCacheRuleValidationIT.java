package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.AdmissionIT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The real API server rejects invalid EcrPullThroughCacheRules at admission, with the CRD's own message: each rule. */
class EcrPullThroughCacheRuleValidationIT extends AdmissionIT {
  private static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub-AbCdEf";
  private static final String ROLE = "arn:aws:iam::123456789012:role/ecr-upstream";
  private static final String DOCKER_HUB = """
      ecrRepositoryPrefix: hub
      upstreamRegistry: docker-hub
      upstreamRegistryUrl: registry-1.docker.io
      credentialArn: %s
      """.formatted(SECRET);
  private static final String ECR = """
      ecrRepositoryPrefix: upstream
      upstreamRegistry: ecr
      upstreamRegistryUrl: 210987654321.dkr.ecr.eu-west-1.amazonaws.com
      upstreamRepositoryPrefix: team
      customRoleArn: %s
      """.formatted(ROLE);

  EcrPullThroughCacheRuleValidationIT() {
    super("EcrPullThroughCacheRule");
  }

  @Test
  void acceptsEachUpstreamRegistryWithWhatItNeeds() {
    assertThat(apply("hub", DOCKER_HUB).getMetadata().getUid()).isNotBlank();
    apply("ecr", ECR);
    apply("public", "ecrRepositoryPrefix: ecr-public\nupstreamRegistry: ecr-public\nupstreamRegistryUrl: public.ecr.aws");
    apply("quay", "ecrRepositoryPrefix: quay\nupstreamRegistry: quay\nupstreamRegistryUrl: quay.io");
    apply("k8s", "ecrRepositoryPrefix: k8s\nupstreamRegistry: k8s\nupstreamRegistryUrl: registry.k8s.io");
    apply("root", ECR.replace("Prefix: upstream", "Prefix: ROOT"));
    apply("ghcr", "ecrRepositoryPrefix: ghcr/team\nupstreamRegistry: github-container-registry\n"
        + "upstreamRegistryUrl: ghcr.io\ncredentialArn: " + SECRET);
    apply("azure", "ecrRepositoryPrefix: azure\nupstreamRegistry: azure-container-registry\n"
        + "upstreamRegistryUrl: myregistry.azurecr.io\ncredentialArn: " + SECRET);
    apply("gitlab", "ecrRepositoryPrefix: gitlab\nupstreamRegistry: gitlab-container-registry\n"
        + "upstreamRegistryUrl: registry.gitlab.com\ncredentialArn: " + SECRET);
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker-hub", "github-container-registry", "azure-container-registry",
      "gitlab-container-registry"})
  void registriesThatNeedCredentialsRefuseARuleWithout(String registry) {
    rejected("nocred-" + registry.substring(0, 3), "ecrRepositoryPrefix: x1\nupstreamRegistry: " + registry
        + "\nupstreamRegistryUrl: registry-1.docker.io", "need credentialArn");
  }

  @Test
  void anEcrUpstreamNeedsARoleAndTakesNoSecret() {
    rejected("ecr-norole", ECR.replace("customRoleArn: " + ROLE + "\n", ""), "upstreamRegistry ecr needs customRoleArn");
    rejected("ecr-secret", ECR + "credentialArn: " + SECRET, "upstreamRegistry ecr needs customRoleArn");
  }

  @Test
  void ecrPublicAndK8sTakeNoSecretAndRootIsForAnEcrUpstreamOnly() {
    rejected("public-secret", "ecrRepositoryPrefix: ecr-public\nupstreamRegistry: ecr-public\n"
        + "upstreamRegistryUrl: public.ecr.aws\ncredentialArn: " + SECRET, "ecr-public and k8s take no credentialArn");
    rejected("k8s-secret", "ecrRepositoryPrefix: k8s\nupstreamRegistry: k8s\nupstreamRegistryUrl: registry.k8s.io\n"
        + "credentialArn: " + SECRET, "ecr-public and k8s take no credentialArn");
    rejected("root-hub", DOCKER_HUB.replace("Prefix: hub", "Prefix: ROOT"), "ROOT is only for upstreamRegistry ecr");
  }

  @Test
  void roleAndUpstreamPrefixOnlyForAnEcrUpstream() {
    rejected("role-hub", DOCKER_HUB + "customRoleArn: " + ROLE, "only for upstreamRegistry ecr");
    rejected("prefix-hub", DOCKER_HUB + "upstreamRepositoryPrefix: library", "only for upstreamRegistry ecr");
  }

  @ParameterizedTest
  @CsvSource({"ecr-public, registry-1.docker.io", "quay, quay.example.com", "ecr, public.ecr.aws",
      "azure-container-registry, azurecr.io", "docker-hub, docker.io"})
  void theUrlMustBeTheUpstreamRegistrys(String registry, String url) {
    String cred = registry.equals("ecr") ? "customRoleArn: " + ROLE : registry.equals("ecr-public")
        || registry.equals("quay") ? "" : "credentialArn: " + SECRET;
    rejected("url-" + Math.abs((registry + url).hashCode()), "ecrRepositoryPrefix: x1\nupstreamRegistry: " + registry
        + "\nupstreamRegistryUrl: " + url + "\n" + cred, "upstreamRegistryUrl must be the upstream registry's");
  }

  @Test
  void patternsAndEnumsAreEcrs() {
    rejected("prefix-upper", DOCKER_HUB.replace("Prefix: hub", "Prefix: Hub"), "ecrRepositoryPrefix");
    rejected("prefix-short", DOCKER_HUB.replace("Prefix: hub", "Prefix: h"), "ecrRepositoryPrefix");
    rejected("prefix-long", DOCKER_HUB.replace("Prefix: hub", "Prefix: " + "a".repeat(31)), "ecrRepositoryPrefix");
    rejected("registry", DOCKER_HUB.replace("Registry: docker-hub", "Registry: dockerhub"), "upstreamRegistry");
    rejected("secret-name", DOCKER_HUB.replace("ecr-pullthroughcache/", "other-prefix/"), "credentialArn");
    rejected("role", ECR.replace(ROLE, "ecr-upstream"), "customRoleArn must be an IAM role ARN");
    rejected("required", "upstreamRegistry: quay\nupstreamRegistryUrl: quay.io", "ecrRepositoryPrefix");
  }

  @Test
  void theUpstreamAndPrefixAreImmutableCredentialsChangeButStay() {
    apply("imm", ECR);
    rejected("imm", ECR.replace("Prefix: upstream", "Prefix: other"), "ecrRepositoryPrefix is immutable");
    rejected("imm", ECR.replace("210987654321", "111111111111"), "upstreamRegistryUrl is immutable");
    rejected("imm", ECR.replace("upstreamRepositoryPrefix: team", "upstreamRepositoryPrefix: other"),
        "upstreamRepositoryPrefix is immutable");
    rejected("imm", ECR.replace("upstreamRepositoryPrefix: team\n", ""), "upstreamRepositoryPrefix is immutable");
    apply("imm", ECR.replace("role/ecr-upstream", "role/ecr-upstream-2"));
    apply("imm-hub", DOCKER_HUB);
    rejected("imm-hub", DOCKER_HUB.replace("Registry: docker-hub", "Registry: github-container-registry")
        .replace("registry-1.docker.io", "ghcr.io"), "upstreamRegistry is immutable");
    rejected("imm-hub", DOCKER_HUB.replace("credentialArn: " + SECRET + "\n", ""), "need credentialArn");
    apply("imm-quay", "ecrRepositoryPrefix: quay2\nupstreamRegistry: quay\nupstreamRegistryUrl: quay.io\n"
        + "credentialArn: " + SECRET);
    rejected("imm-quay", "ecrRepositoryPrefix: quay2\nupstreamRegistry: quay\nupstreamRegistryUrl: quay.io",
        "credentialArn cannot be removed");
    rejected("imm", ECR.replace("customRoleArn: " + ROLE + "\n", ""), "upstreamRegistry ecr needs customRoleArn");
    rejected("imm", ECR + "region: eu-west-1", "region is immutable");
  }

  @Test
  void theSampleIsAccepted() throws Exception {
    var sample = k8s.getKubernetesSerialization().unmarshal(java.nio.file.Files.readString(io.ecsbridge.testing.Repo
        .root().resolve("samples/ecr-pull-through-cache-rule.yaml")), io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
    sample.getMetadata().setNamespace(namespace);
    assertThat(k8s.resource(sample).create().getMetadata().getUid()).isNotBlank();
  }
}
