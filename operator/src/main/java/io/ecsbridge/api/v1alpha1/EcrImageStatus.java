package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/** One image of an ECR repository, as DescribeImages reports it. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class EcrImageStatus {
  @JsonPropertyDescription("The image's digest (sha256:...).")
  public String imageDigest;

  @JsonPropertyDescription("The tags that point at this image now, sorted; absent when it is untagged.")
  public List<String> imageTags;

  @JsonPropertyDescription("When the image was pushed (RFC 3339).")
  public String imagePushedAt;

  @JsonPropertyDescription("ECR's image scan status (imageScanStatus.status: IN_PROGRESS, COMPLETE, FAILED, ...); "
      + "absent when the image was never scanned.")
  public String scanStatus;

  @JsonPropertyDescription("The scan's findings by severity (imageScanFindingsSummary.findingSeverityCounts, e.g. "
      + "CRITICAL: 1); absent when the scan found nothing or has not completed.")
  public Map<String, Integer> findingSeverityCounts;
}
