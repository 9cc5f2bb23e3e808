package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What ECR reports about the repository. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What ECR reports of the repository (ARN, URI, registry), with the Ready, Reconciling and "
    + "Stalled conditions. Written by the operator.")
public class EcrRepositoryStatus extends AwsResourceStatus {
  @JsonPropertyDescription("ARN of the repository.")
  public String arn;

  @JsonPropertyDescription("The AWS account id that holds the registry.")
  public String registryId;

  @JsonPropertyDescription("URI to docker push to and pull from.")
  public String repositoryUri;

  @JsonPropertyDescription("When the repository was created (RFC 3339).")
  public String createdAt;

  @JsonPropertyDescription("The latest pushed images (at most 5), newest first: digest, tags, push time, scan status "
      + "and finding counts.")
  public java.util.List<EcrImageStatus> images;
}
