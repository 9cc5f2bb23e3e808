package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A volume of the task definition with {@code configuredAtLaunch: true}, configured by the service (ECS's
 * ServiceVolumeConfiguration): today an Amazon EBS volume ECS creates for each task and deletes with it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceVolumeConfiguration {
  /** An IAM role ARN (the infrastructure roles of EBS volumes, VPC Lattice and Service Connect TLS). */
  static final String ROLE_ARN_RULE = "self.matches(r'^" + AwsValidation.ROLE_ARN + "$')";
  static final String ROLE_ARN_MESSAGE = "roleArn must be an IAM role ARN: "
      + "arn:<partition>:iam::<12-digit account>:role/<optional path/><name>";

  @JsonPropertyDescription("Name of the task definition's volume (one with configuredAtLaunch: true).")
  @Required
  @Size(min = 1, max = 255)
  public String name;

  @JsonPropertyDescription("The EBS volume ECS creates and attaches to each task.")
  public ManagedEBSVolume managedEBSVolume;

  public enum VolumeType { gp2, gp3, io1, io2, sc1, st1, standard }

  public enum FilesystemType { ext3, ext4, xfs, ntfs }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "has(self.sizeInGiB) || has(self.snapshotId)",
      message = "managedEBSVolume needs sizeInGiB, snapshotId or both")
  @ValidationRule(value = "!has(self.iops) || (has(self.volumeType) && self.volumeType in ['gp3', 'io1', 'io2'])",
      message = "iops is only for volumeType gp3, io1 or io2")
  @ValidationRule(value = "!has(self.volumeType) || !(self.volumeType in ['io1', 'io2']) || has(self.iops)",
      message = "volumeType io1 and io2 need iops")
  @ValidationRule(value = "!has(self.throughput) || (has(self.volumeType) && self.volumeType == 'gp3')",
      message = "throughput is only for volumeType gp3")
  @ValidationRule(value = "!has(self.volumeInitializationRate) || has(self.snapshotId)",
      message = "volumeInitializationRate is only for a volume made from a snapshot (snapshotId)")
  public static class ManagedEBSVolume {
    @JsonPropertyDescription("ARN of the IAM role (infrastructure role) ECS uses to manage the volume. Required.")
    @Required
    @Size(min = 1, max = 2048)
    @ValidationRule(value = ROLE_ARN_RULE, message = ROLE_ARN_MESSAGE)
    public String roleArn;

    @JsonPropertyDescription("Encrypt the volume. Default: the account's EBS encryption-by-default setting.")
    public Boolean encrypted;

    @JsonPropertyDescription("KMS key (id, alias or ARN) of an encrypted volume; the account's default EBS key "
        + "when absent.")
    @Size(min = 1, max = 2048)
    public String kmsKeyId;

    @JsonPropertyDescription("EBS volume type: gp3 (default), gp2, io1, io2, sc1, st1, standard.")
    public VolumeType volumeType;

    @JsonPropertyDescription("Size in GiB (gp2/gp3 1-16384, io1 4-16384, io2 4-65536, st1/sc1 125-16384, standard "
        + "1-1024); default the snapshot's size.")
    @Min(1)
    @Max(65536)
    public Integer sizeInGiB;

    @JsonPropertyDescription("EBS snapshot (snap-...) to create the volume from.")
    @Pattern("^snap-[0-9a-f]+$")
    public String snapshotId;

    @JsonPropertyDescription("MiB/s at which the snapshot's blocks are fetched (100-300); only with snapshotId.")
    @Min(100)
    @Max(300)
    public Integer volumeInitializationRate;

    @JsonPropertyDescription("Provisioned IOPS (gp3: 3000-16000, default 3000; io1/io2: required).")
    @Min(100)
    @Max(256000)
    public Integer iops;

    @JsonPropertyDescription("Throughput in MiB/s (gp3 only: 125-1000, default 125).")
    @Min(125)
    @Max(1000)
    public Integer throughput;

    @JsonPropertyDescription("Tags of the volumes ECS creates.")
    @Size(max = 1)
    public List<EBSTagSpecification> tagSpecifications;

    @JsonPropertyDescription("File system of the volume: xfs (Linux default), ext3, ext4, ntfs (Windows).")
    public FilesystemType filesystemType;
  }

  public enum PropagateTags { TASK_DEFINITION, SERVICE, NONE }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class EBSTagSpecification {
    @JsonPropertyDescription("Always volume.")
    @Required
    @Pattern("^volume$")
    public String resourceType;

    @JsonPropertyDescription("Tags of the volume (key and value).")
    @Size(max = 50)
    public List<Tag> tags;

    @JsonPropertyDescription("Also copy the tags of the TASK_DEFINITION or the SERVICE to the volume, or NONE.")
    public PropagateTags propagateTags;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Tag {
    @JsonPropertyDescription("Tag key (1 to 128 characters; aws: is reserved).")
    @Required
    @Size(min = 1, max = 128)
    @JsonProperty("key")
    public String key;

    @JsonPropertyDescription("Tag value (up to 256 characters).")
    @Size(max = 256)
    public String value;
  }
}
