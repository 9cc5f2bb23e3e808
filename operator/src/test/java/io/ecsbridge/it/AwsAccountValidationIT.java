package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real API server refuses invalid AwsAccounts (cluster-scoped) at admission, with the CRD's own message. */
class AwsAccountValidationIT {
  private final KubernetesClient k8s = TestEnvironment.get().kube().client();
  private final List<GenericKubernetesResource> created = new ArrayList<>();

  @AfterEach
  void deleteCreated() {
    created.forEach(r -> k8s.resource(r).delete());
  }

  private GenericKubernetesResource apply(String spec) {
    String yaml = """
        apiVersion: ecsbridge.io/v1alpha1
        kind: AwsAccount
        metadata:
          name: v-%s
        spec:
        %s
        """.formatted(UUID.randomUUID().toString().substring(0, 8), spec.indent(2));
    GenericKubernetesResource r = k8s.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    GenericKubernetesResource answer = k8s.resource(r).create();
    created.add(answer);
    return answer;
  }

  private void rejected(String spec, String message) {
    assertThatThrownBy(() -> apply(spec))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }

  @Test
  void acceptsAFullValidSpec() {
    assertThat(apply("""
        roleArn: arn:aws:iam::111111111111:role/path/ecs-bridge
        externalId: team-a:external-1
        sourceAccountRef: {name: hub}
        defaultRegion: eu-west-1
        allowedRegions: [eu-west-1, us-gov-west-1]
        namespaceSelector:
          matchLabels: {team: a}
          matchExpressions: [{key: env, operator: In, values: [prod]}]
        """).getMetadata().getNamespace()).as("cluster-scoped").isNull();
    assertThat(apply("roleArn: arn:aws-cn:iam::111111111111:role/r").getMetadata().getUid()).isNotBlank();
  }

  @Test
  void roleArnIsRequiredAndAnIamRole() {
    rejected("defaultRegion: eu-west-1", "roleArn: Required value");
    rejected("roleArn: arn:aws:iam::111111111111:user/bob", "roleArn must be an IAM role ARN");
    rejected("roleArn: arn:aws:iam::1111:role/r", "roleArn must be an IAM role ARN");
  }

  @Test
  void externalIdIsWhatStsAccepts() {
    rejected("{roleArn: 'arn:aws:iam::111111111111:role/r', externalId: 'x'}", "at least 2 chars long");
    rejected("{roleArn: 'arn:aws:iam::111111111111:role/r', externalId: 'has space'}", "should match");
  }

  @Test
  void regionsAreRegionsAndTheDefaultIsAllowed() {
    rejected("{roleArn: 'arn:aws:iam::111111111111:role/r', defaultRegion: Europe}", "should match");
    rejected("{roleArn: 'arn:aws:iam::111111111111:role/r', allowedRegions: [eu-west-1, mars]}",
        "should match");
    rejected("{roleArn: 'arn:aws:iam::111111111111:role/r', defaultRegion: us-east-1, allowedRegions: [eu-west-1]}",
        "defaultRegion must be one of allowedRegions");
    assertThat(apply("{roleArn: 'arn:aws:iam::111111111111:role/r', defaultRegion: us-east-1}")
        .getMetadata().getUid()).isNotBlank();
  }

  @Test
  void sourceAccountRefNeedsAName() {
    rejected("{roleArn: 'arn:aws:iam::111111111111:role/r', sourceAccountRef: {}}", "name: Required value");
  }
}
