package io.ecsbridge.testing;

import java.security.SecureRandom;
import java.util.HexFormat;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * An image pushed to moto's ECR as `docker push` ends: PutImage of a minimal OCI manifest. Each push has a fresh
 * layer digest, so pushing a tag again moves it to a new image digest (hack/push-image.sh does the same in Python).
 */
public final class Images {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Images() {}

  /** Pushes {@code repository:tag} and returns the new image digest ({@code sha256:...}). */
  public static String push(EcrClient ecr, String repository, String tag) {
    byte[] layer = new byte[32];
    RANDOM.nextBytes(layer);
    String manifest = ("{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\","
        + " \"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\", \"size\": 7023,"
        + " \"digest\": \"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7\"},"
        + " \"layers\": [{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\", \"size\": 32654,"
        + " \"digest\": \"sha256:%s\"}]}").formatted(HexFormat.of().formatHex(layer));
    return ecr.putImage(r -> r.repositoryName(repository).imageTag(tag).imageManifest(manifest)).image().imageId()
        .imageDigest();
  }
}
