package io.ecsbridge.testing;

import io.ecsbridge.kinds.Kinds.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** One YAML per kind, samples/&lt;kind in kebab case&gt;.yaml, e.g. samples/ecs-task-definition.yaml. */
public final class Samples {
  private Samples() {}

  public static Path of(Kind<?> kind) {
    return Repo.root().resolve("samples/" + kind.kind().replaceAll("(?<=[a-z0-9])(?=[A-Z])", "-")
        .toLowerCase(Locale.ROOT) + ".yaml");
  }

  /** The kind's sample, its placeholders (see {@link #network}) replaced. */
  public static String read(Kind<?> kind, Map<String, String> placeholders) {
    try {
      String yaml = Files.readString(of(kind));
      // the longest first: subnet-REPLACE_ME_A before subnet-REPLACE_ME
      for (var e : placeholders.entrySet().stream()
          .sorted(Comparator.comparingInt((Map.Entry<String, String> p) -> p.getKey().length()).reversed())
          .toList()) {
        yaml = yaml.replace(e.getKey(), e.getValue());
      }
      return yaml;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A VPC with two subnets and a security group in moto, for the samples' awsvpc placeholders. */
  public static Map<String, String> network(Ec2Client ec2) {
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.2.0.0/16")).vpc().vpcId();
    String a = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.2.1.0/24").availabilityZone("us-east-1a"))
        .subnet().subnetId();
    String b = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.2.2.0/24").availabilityZone("us-east-1b"))
        .subnet().subnetId();
    String sg = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("samples").description("samples")).groupId();
    return Map.of("subnet-REPLACE_ME_A", a, "subnet-REPLACE_ME_B", b, "subnet-REPLACE_ME", a, "sg-REPLACE_ME", sg);
  }
}
