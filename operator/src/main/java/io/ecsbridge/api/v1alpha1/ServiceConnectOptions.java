package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Service Connect's newer members (ECS's ServiceConnectTlsConfiguration, TimeoutConfiguration, access logs). */
public final class ServiceConnectOptions {
  private ServiceConnectOptions() {}

  public enum AccessLogFormat { TEXT, JSON }

  public enum IncludeQueryParameters { ENABLED, DISABLED }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Tls {
    @JsonPropertyDescription("The AWS Private CA authority that signs the proxies' certificates.")
    @Required
    public IssuerCertificateAuthority issuerCertificateAuthority;

    @JsonPropertyDescription("KMS key (ARN) that encrypts the private keys; an AWS owned key when absent.")
    @Size(min = 1, max = 2048)
    public String kmsKey;

    @JsonPropertyDescription("ARN of the IAM role (infrastructure role) ECS uses for the certificates.")
    @Size(min = 1, max = 2048)
    @ValidationRule(value = ServiceVolumeConfiguration.ROLE_ARN_RULE,
        message = ServiceVolumeConfiguration.ROLE_ARN_MESSAGE)
    public String roleArn;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class IssuerCertificateAuthority {
    @JsonPropertyDescription("ARN of the AWS Private CA certificate authority.")
    @Required
    @Size(min = 1, max = 2048)
    @ValidationRule(value = "self.matches(r'^arn:aws(-[a-z]+)*:acm-pca:[a-z0-9-]+:[0-9]{12}:"
        + "certificate-authority/[0-9a-f-]+$')",
        message = "awsPcaAuthorityArn must be an AWS Private CA ARN: "
            + "arn:aws:acm-pca:<region>:<account>:certificate-authority/<id>")
    public String awsPcaAuthorityArn;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Timeout {
    @JsonPropertyDescription("Seconds a connection may stay idle (0 turns the timeout off). ECS's default: 300 "
        + "for HTTP, HTTP2 and GRPC, 1 hour for TCP.")
    @Min(0)
    @Max(2147483647)
    public Integer idleTimeoutSeconds;

    @JsonPropertyDescription("Seconds for the whole request (HTTP, HTTP2 and GRPC only; 0 turns it off). ECS's "
        + "default: 15.")
    @Min(0)
    @Max(2147483647)
    public Integer perRequestTimeoutSeconds;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AccessLogConfiguration {
    @JsonPropertyDescription("TEXT or JSON.")
    @Required
    public AccessLogFormat format;

    @JsonPropertyDescription("Include the HTTP query parameters in the access logs: ENABLED or DISABLED "
        + "(default).")
    public IncludeQueryParameters includeQueryParameters;
  }
}
