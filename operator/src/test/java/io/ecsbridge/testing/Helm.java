package io.ecsbridge.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The chart helm/ecs-bridge rendered by the real helm binary (hack/helm). */
public final class Helm {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private Helm() {}

  /** Runs helm with these arguments (the chart's path is the caller's to give). */
  public static Tools.Output helm(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Tools.helm().toString());
    command.addAll(Arrays.asList(args));
    return Tools.run(command, null, Map.of("HELM_CACHE_HOME", tmp("cache"), "HELM_CONFIG_HOME", tmp("config"),
        "HELM_DATA_HOME", tmp("data")), 5);
  }

  private static String tmp(String what) {
    return Path.of(System.getProperty("java.io.tmpdir"), "ecsbridge-helm-" + what).toString();
  }

  /** `helm template` with a values file written from {@code valuesYaml}; fails the test if helm fails. */
  public static String template(String release, String namespace, String valuesYaml, String... extraArgs) {
    Path values = writeValues(valuesYaml);
    List<String> args = new ArrayList<>(List.of("template", release, Tools.chart().toString(), "--namespace",
        namespace, "--values", values.toString()));
    args.addAll(Arrays.asList(extraArgs));
    return helm(args.toArray(String[]::new)).assertSuccess().stdout();
  }

  public static Path writeValues(String valuesYaml) {
    try {
      Path values = Files.createTempFile("ecsbridge-values", ".yaml");
      Files.writeString(values, valuesYaml);
      values.toFile().deleteOnExit();
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rendered documents as generic resources. */
  public static List<GenericKubernetesResource> parse(String rendered) {
    List<GenericKubernetesResource> docs = new ArrayList<>();
    for (String doc : rendered.split("(?m)^---\\s*$")) {
      if (doc.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("#"))) {
        docs.add(YAML.unmarshal(doc, GenericKubernetesResource.class));
      }
    }
    return docs;
  }

  public static List<GenericKubernetesResource> ofKind(List<GenericKubernetesResource> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.getKind())).toList();
  }

  public static <T extends HasMetadata> T as(GenericKubernetesResource doc, Class<T> type) {
    return YAML.convertValue(doc, type);
  }
}
