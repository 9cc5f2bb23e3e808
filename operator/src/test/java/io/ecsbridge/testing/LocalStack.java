package io.ecsbridge.testing;

import io.ecsbridge.EcsBridgeOperator;
import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.ContainerDefinition;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.config.OperatorConfig;
import io.ecsbridge.status.Conditions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code make run}: the operator doing its job on an embedded local stack. Starts a real kube-apiserver + etcd and
 * the moto server (with the ECS rollout extension), installs the CRDs, runs the operator against moto (never real
 * AWS), applies the samples, pushes the image tags their task definitions run (imageFrom), shows every resource until
 * all are Ready, then what AWS (moto) holds and how to push a tag again (hack/push-image.sh), and keeps running
 * until Ctrl-C, which stops and removes everything. Every server listens on 127.0.0.1 only, on a port free at
 * start-up (the operator's is ECSBRIDGE_HTTP_PORT when set, and must then be free), and the list is printed.
 *
 * <p>Arguments: the folder of samples to apply (default samples/app, else samples). Placeholders in the samples that
 * name network resources ({@code subnet-REPLACE_ME}, {@code sg-REPLACE_ME}) are filled with a VPC's made here in
 * moto's EC2.
 */
public final class LocalStack {
  private static final String NAMESPACE = "demo";
  private static final String LOOPBACK = "127.0.0.1";

  private LocalStack() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (BindException e) {
      System.err.println("[make run] " + e.getMessage()); // a port asked for is taken: the one line that matters
      System.exit(1);
    } catch (Exception e) {
      System.err.println("[make run] failed: " + e);
      System.exit(1);
    }
  }

  /** What has been started so far, stopped in reverse order by Ctrl-C or a failed start. */
  private static final class Started {
    volatile ControlPlane kube;
    volatile MotoServer moto;
    volatile EcsBridgeOperator operator;
  }

  private static void run(String[] args) throws Exception {
    Path root = Repo.root();
    Path samples = args.length > 0 ? Path.of(args[0])
        : Files.isDirectory(root.resolve("samples/app")) ? root.resolve("samples/app") : root.resolve("samples");
    Path run = Path.of(System.getProperty("ecsbridge.run.dir", root.resolve(".run").toString()));
    Files.createDirectories(run);
    int httpPort = askedHttpPort();

    Started started = new Started();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (started.kube != null) {
        say("stopping: operator, moto, kube-apiserver and etcd; removing " + run.resolve("kubeconfig"));
      }
      stop("the operator", started.operator);
      stop("moto", started.moto);
      stop("kube-apiserver and etcd", started.kube);
      try {
        Files.deleteIfExists(run.resolve("kubeconfig"));
        Files.deleteIfExists(run.resolve("kubectl"));
        Files.deleteIfExists(run.resolve("moto-endpoint"));
        try (Stream<Path> cache = Files.exists(run.resolve("kube-cache")) ? Files.walk(run.resolve("kube-cache"))
            : Stream.empty()) {
          cache.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      } catch (IOException ignored) {
        // best effort
      }
      stopped.countDown();
    }, "local-stack-stop"));

    say("starting kube-apiserver + etcd (real binaries, built once into ~/.cache/ecs-bridge)...");
    ControlPlane kube = ControlPlane.start();
    started.kube = kube;
    say("starting moto (the AWS emulator; ecs-bridge never calls real AWS here)...");
    MotoServer moto = MotoServer.start(5);
    started.moto = moto;

    Files.writeString(run.resolve("moto-endpoint"), moto.endpoint() + "\n"); // for hack/push-image.sh
    kube.installCrds();
    Path kubeconfig = run.resolve("kubeconfig");
    Files.writeString(kubeconfig, kube.kubeconfig());
    Path kubectl = ControlPlane.buildBinaries().resolve("kubectl");
    Path wrapper = run.resolve("kubectl");
    Files.writeString(wrapper, "#!/usr/bin/env bash\nexec '" + kubectl + "' --kubeconfig '" + kubeconfig
        + "' --cache-dir '" + run.resolve("kube-cache") + "' \"$@\"\n");
    wrapper.toFile().setExecutable(true);

    KubernetesClient k8s = kube.client();
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("AWS_REGION", TestEnvironment.REGION);
    settings.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
    settings.put("ECSBRIDGE_INSTANCE_ID", "make-run");
    settings.put("ECSBRIDGE_HTTP_PORT", String.valueOf(httpPort));
    settings.put("ECSBRIDGE_HTTP_ADDRESS", LOOPBACK);
    settings.put("ECSBRIDGE_RESYNC_PERIOD", "1m");
    settings.put("ECSBRIDGE_SECRET_REFERENCES", "true"); // samples/app references a Secret
    started.operator = new EcsBridgeOperator(OperatorConfig.load(settings), k8s, TestEnvironment.CREDENTIALS).start();
    say("operator running: logs in " + shown(root, run.resolve("operator.log")));
    say("listening on " + LOOPBACK + " only, on ports free at start-up:");
    say(String.format("  %-15s %-28s %s", "kube-apiserver", kube.apiServerUrl(), "kubeconfig: "
        + shown(root, kubeconfig)));
    say(String.format("  %-15s %-28s %s", "etcd", kube.etcdUrl(), "kube-apiserver's storage; peers: "
        + kube.etcdPeerUrl().getAuthority()));
    say(String.format("  %-15s %-28s %s", "moto", moto.endpoint(), "the AWS emulator, the operator's AWS endpoint"));
    say(String.format("  %-15s %-28s %s", "operator", "http://" + LOOPBACK + ":" + started.operator.httpPort(),
        "/healthz /readyz /metrics"));

    Map<String, String> placeholders = network(new AwsTestClients(moto.endpoint()).ec2());
    List<HasMetadata> applied = apply(k8s, samples, placeholders);
    say("applied " + applied.size() + " resources from " + shown(root, samples) + " into namespace "
        + NAMESPACE);

    // kubectl's first look at an empty discovery cache does not expand categories (`get ecsbridge`): fill it now
    new ProcessBuilder(wrapper.toString(), "api-resources").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    List<String> pushed = pushImages(k8s, new AwsTestClients(moto.endpoint()));
    watchUntilReady(k8s, Duration.ofMinutes(3));
    showAws(moto, applied);
    String kubectlShown = shown(root, wrapper);
    say("""

        The stack keeps running; the operator reconciles what you apply. Try:
          %2$s -n %1$s get ecsbridge
          %2$s -n %1$s describe ecsservice
          %2$s -n %1$s edit configmap shop-web     (change log-level: a new revision rolls out)
          %2$s -n %1$s edit ecstaskdefinition      (change the content: a new revision rolls out)
          export KUBECONFIG=%3$s           (for your own kubectl)""".formatted(NAMESPACE, kubectlShown,
        kubeconfig.startsWith(root) ? "$PWD/" + shown(root, kubeconfig) : kubeconfig.toString()));
    String runDirEnv = run.equals(root.resolve(".run")) ? "" : "ECSBRIDGE_RUN_DIR=" + run + " ";
    for (String image : pushed) {
      int colon = image.lastIndexOf(':');
      say("""
          Push %1$s again (a new digest, as a CI pipeline would), then watch it roll out:
            %2$shack/push-image.sh %3$s %4$s
            %5$s -n %6$s get ecsbridge -w
          You will see EcsTaskDefinition shop-web register a new revision (Updated: the image's new digest, in
          status.images), then EcsService shop-web roll out to it (Reconciling RolloutInProgress, then Ready)."""
          .formatted(image, runDirEnv, image.substring(0, colon), image.substring(colon + 1), kubectlShown,
              NAMESPACE));
    }
    say("Ctrl-C stops and cleans everything.");
    stopped.await();
  }

  /**
   * Pushes the image of every imageFrom tag of the applied task definitions (an OCI manifest through PutImage, as
   * {@code docker push} ends), once the operator has created its repository (the EcrRepository Ready), and asks that
   * EcrRepository for a reconcile so the task definition sees it at once. Returns the images pushed,
   * {@code repository:tag}.
   */
  private static List<String> pushImages(KubernetesClient k8s, AwsTestClients aws) {
    List<String> pushed = new ArrayList<>();
    for (EcsTaskDefinition td : k8s.resources(EcsTaskDefinition.class).inNamespace(NAMESPACE).list().getItems()) {
      for (ContainerDefinition c : td.getSpec().containerDefinitions) {
        if (c.imageFrom == null) {
          continue;
        }
        String ref = c.imageFrom.ecrRepositoryRef.name;
        say("EcsTaskDefinition " + td.getMetadata().getName() + " runs the tag " + c.imageFrom.tag
            + " of EcrRepository " + ref + ": waiting for the operator to create the repository, then pushing it");
        EcrRepository repository = Awaitility.await("EcrRepository " + ref + " Ready").atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
            .until(() -> k8s.resources(EcrRepository.class).inNamespace(NAMESPACE).withName(ref).get(),
                r -> r != null && r.getStatus() != null && Conditions.isTrue(r.getStatus(), Conditions.READY));
        String name = repository.getSpec().repositoryName != null ? repository.getSpec().repositoryName : ref;
        String image = name + ":" + c.imageFrom.tag;
        if (pushed.contains(image)) {
          continue;
        }
        String digest = Images.push(aws.ecr(), name, c.imageFrom.tag);
        pushed.add(image);
        say("pushed " + image + " = " + digest + " to moto's ECR (a minimal OCI manifest, PutImage)");
        k8s.resources(EcrRepository.class).inNamespace(NAMESPACE).withName(ref).edit(r -> {
          Map<String, String> annotations = new LinkedHashMap<>(
              r.getMetadata().getAnnotations() == null ? Map.of() : r.getMetadata().getAnnotations());
          annotations.put(Annotations.RECONCILE_REQUESTED_AT, Instant.now().toString());
          r.getMetadata().setAnnotations(annotations);
          return r;
        });
      }
    }
    return pushed;
  }

  /** Stops one part, if started; a failure is one line, and never keeps the other parts running. */
  private static void stop(String what, AutoCloseable part) {
    if (part == null) {
      return;
    }
    try {
      part.close();
    } catch (Exception e) {
      System.err.println("[make run] stopping " + what + ": " + e);
    }
  }

  /** A VPC with two subnets and a security group in moto, for the samples' awsvpc placeholders. */
  private static Map<String, String> network(Ec2Client ec2) {
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    String a = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a"))
        .subnet().subnetId();
    String b = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b"))
        .subnet().subnetId();
    String sg = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("demo").description("demo")).groupId();
    return Map.of("subnet-REPLACE_ME_A", a, "subnet-REPLACE_ME_B", b, "subnet-REPLACE_ME", a, "sg-REPLACE_ME", sg);
  }

  private static List<HasMetadata> apply(KubernetesClient k8s, Path dir, Map<String, String> placeholders)
      throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
    }
    List<HasMetadata> applied = new ArrayList<>();
    for (Path f : files) {
      String yaml = Files.readString(f);
      for (var e : placeholders.entrySet().stream()
          .sorted((x, y) -> y.getKey().length() - x.getKey().length()).toList()) {
        yaml = yaml.replace(e.getKey(), e.getValue());
      }
      try (InputStream in = new java.io.ByteArrayInputStream(yaml.getBytes())) {
        for (HasMetadata r : k8s.load(in).items()) {
          r.getMetadata().setNamespace(NAMESPACE);
          applied.add(k8s.resource(r).inNamespace(NAMESPACE).serverSideApply());
        }
      }
    }
    return applied;
  }

  /** Prints every ecs-bridge resource's Ready condition whenever something changes, until all are Ready. */
  private static void watchUntilReady(KubernetesClient k8s, Duration limit) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      StringBuilder table = new StringBuilder();
      boolean allReady = true;
      int count = 0;
      for (var crd : k8s.apiextensions().v1().customResourceDefinitions().list().getItems()) {
        if (!"ecsbridge.io".equals(crd.getSpec().getGroup())) {
          continue;
        }
        String kind = crd.getSpec().getNames().getKind();
        var context = io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext.fromCrd(crd);
        for (GenericKubernetesResource r : k8s.genericKubernetesResources(context)
            .inNamespace(NAMESPACE).list().getItems()) {
          count++;
          String ready = condition(r, "Ready", "status");
          allReady &= "True".equals(ready);
          table.append(String.format("  %-18s %-14s Ready=%-5s %-18s %s%n", kind, r.getMetadata().getName(),
              ready, condition(r, "Ready", "reason"), condition(r, "Ready", "message")));
        }
      }
      if (!table.toString().equals(last)) {
        System.out.print("\n" + Instant.now().toString().substring(11, 19) + "\n" + table);
        last = table.toString();
      }
      if (allReady && count > 0) {
        say("everything is Ready");
        return;
      }
      Thread.sleep(500); // a live view for a person, not a test: polling is the point
    }
    say("not everything became Ready within " + limit.toMinutes() + " minutes: see .run/kubectl describe");
  }

  @SuppressWarnings("unchecked")
  private static String condition(GenericKubernetesResource r, String type, String field) {
    Object status = r.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> conditions)) {
      return "-";
    }
    for (Object c : conditions) {
      Map<String, Object> m = (Map<String, Object>) c;
      if (type.equals(m.get("type"))) {
        String v = String.valueOf(m.get(field));
        return v.length() > 90 ? v.substring(0, 87) + "..." : v;
      }
    }
    return "-";
  }

  /** What AWS (moto) now holds, read back with the SDK. */
  private static void showAws(MotoServer moto, List<HasMetadata> applied) {
    AwsTestClients aws = new AwsTestClients(moto.endpoint());
    say("\nIn AWS (moto at " + moto.endpoint() + "):");
    aws.ecr().describeRepositories().repositories().forEach(r -> {
      System.out.println("  ECR repository  " + r.repositoryUri() + "  tags " + r.imageTagMutability());
      aws.ecr().describeImages(q -> q.repositoryName(r.repositoryName())).imageDetails().forEach(i ->
          System.out.println("  ECR image       " + r.repositoryName() + ":" + String.join(",", i.imageTags()) + "  "
              + i.imageDigest()));
    });
    aws.ecs().listClusters().clusterArns().forEach(arn -> {
      var c = aws.ecs().describeClusters(r -> r.clusters(arn)).clusters().get(0);
      System.out.println("  ECS cluster     " + c.clusterName() + "  " + c.status() + "  providers="
          + c.capacityProviders());
      aws.ecs().listServices(r -> r.cluster(arn)).serviceArns().forEach(s -> {
        var svc = aws.ecs().describeServices(r -> r.cluster(arn).services(s)).services().get(0);
        System.out.println("  ECS service     " + svc.serviceName() + "  " + svc.status() + "  running "
            + svc.runningCount() + "/" + svc.desiredCount() + "  " + svc.taskDefinition());
      });
    });
    aws.ecs().listTaskDefinitions().taskDefinitionArns().forEach(t ->
        System.out.println("  task definition " + t));
    aws.autoScaling().describeScalableTargets(r -> r.serviceNamespace("ecs")).scalableTargets().forEach(t ->
        System.out.println("  auto scaling    " + t.resourceId() + "  " + t.minCapacity() + ".." + t.maxCapacity()
            + " tasks, policies " + aws.autoScaling().describeScalingPolicies(r -> r.serviceNamespace("ecs")
                .resourceId(t.resourceId())).scalingPolicies().stream().map(p -> p.policyName()).toList()));
  }

  /**
   * The operator's HTTP port: a free one, unless ECSBRIDGE_HTTP_PORT asks for one, which must then be free (checked
   * before anything starts, so that a taken port costs one line, not a minute).
   */
  private static int askedHttpPort() throws IOException {
    String asked = System.getenv("ECSBRIDGE_HTTP_PORT");
    if (asked == null || asked.isBlank()) {
      return 0;
    }
    int port;
    try {
      port = Integer.parseInt(asked.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("ECSBRIDGE_HTTP_PORT must be a port number, not " + asked);
    }
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
      return port;
    } catch (BindException e) {
      throw new BindException("port " + port + " on " + LOOPBACK + " (ECSBRIDGE_HTTP_PORT, the operator's /healthz"
          + " and /metrics) is taken: free it, or unset ECSBRIDGE_HTTP_PORT for a free port");
    }
  }

  /** A path relative to the repository when it is inside it (.run/kubeconfig), else absolute. */
  private static String shown(Path root, Path path) {
    return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
  }

  private static void say(String message) {
    System.out.println("[make run] " + message);
  }
}
