package io.ecsbridge.trace;

import io.ecsbridge.kinds.Kinds;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code java -jar ecs-bridge.jar trace KIND/NAME [-n NAMESPACE]}: a resource and what it references, as a tree. */
@Command(name = "trace", usageHelpAutoWidth = true,
    exitCodeOnInvalidInput = TraceCommand.FAILED, exitCodeOnExecutionException = TraceCommand.FAILED,
    description = {"Shows a custom resource and everything it references (cluster, task definition, repository, "
        + "capacity providers, ConfigMaps and Secrets, the AwsAccount that selects its namespace), recursively, "
        + "each with its Ready/Reconciling/Stalled condition and reason and its last Events, as a tree. It reads "
        + "the API server with the kubeconfig kubectl uses (KUBECONFIG, ~/.kube/config, or in-cluster)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every resource in the tree is Ready", "1:a resource in the tree is not Ready (or missing)",
        "2:bad arguments, or the API server cannot be read"},
    footer = {"%nExamples:", "  java -jar ecs-bridge.jar trace ecsservice/web -n shop",
        "  java -jar ecs-bridge.jar trace ecstd web", "  java -jar ecs-bridge.jar trace awsaccount/prod"})
public final class TraceCommand implements Callable<Integer> {
  static final int NOT_READY = 1;
  static final int FAILED = 2;

  @Parameters(index = "0", paramLabel = "KIND[/NAME]",
      description = "The kind (kind, plural, singular or short name: ecsservice, ecsservices, ecssvc) and name.")
  String target;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The name, if not given as KIND/NAME.")
  String name;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "The namespace; default: the kubeconfig context's, else default.")
  String namespace;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  @Option(names = "--events", paramLabel = "N", defaultValue = "3",
      description = "How many of each resource's latest Events to show (default: ${DEFAULT-VALUE}; 0: none).")
  int events;

  private final KubernetesClient client;
  private final PrintStream out;
  private final PrintStream err;

  TraceCommand(KubernetesClient client, PrintStream out, PrintStream err) {
    this.client = client;
    this.out = out;
    this.err = err;
  }

  /** Runs the command line (the arguments after {@code trace}) and returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      return run(client, args, out, err);
    }
  }

  static int run(KubernetesClient client, String[] args, PrintStream out, PrintStream err) {
    CommandLine line = new CommandLine(new TraceCommand(client, out, err));
    line.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
    line.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    return line.execute(args);
  }

  @Override
  public Integer call() {
    String kindName = target.contains("/") ? target.substring(0, target.indexOf('/')) : target;
    String resourceName = target.contains("/") ? target.substring(target.indexOf('/') + 1) : name;
    if (resourceName == null || resourceName.isBlank() || (target.contains("/") && name != null)) {
      err.println("trace: give the resource as KIND/NAME or KIND NAME, e.g. ecsservice/web");
      return FAILED;
    }
    Kinds.Kind<?> kind = KindNames.find(kindName).orElse(null);
    if (kind == null) {
      err.println("trace: unknown kind " + kindName + "; one of " + Kinds.ALL.stream()
          .map(k -> k.kind().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", ")));
      return FAILED;
    }
    String ns = namespace != null ? namespace
        : client.getNamespace() != null ? client.getNamespace() : "default";
    TraceNode root;
    try {
      root = new Tracer(client, events, Clock.systemUTC()).trace(kind, ns, resourceName);
    } catch (KubernetesClientException e) {
      err.println("trace: cannot read the API server " + client.getConfiguration().getMasterUrl() + ": "
          + (e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage()));
      return FAILED;
    }
    if (root.reason().equals("Unreadable") && root.children().isEmpty()) {
      err.println("trace: cannot read " + kind.kind() + "/" + resourceName + " from "
          + client.getConfiguration().getMasterUrl() + ": " + root.message());
      return FAILED;
    }
    TreePrinter.print(root, out);
    return root.allReady() ? 0 : NOT_READY;
  }

  /** The kinds trace accepts, for the operator's --help. */
  public static List<String> kinds() {
    return Kinds.ALL.stream().map(k -> k.kind().toLowerCase(java.util.Locale.ROOT)).toList();
  }
}
