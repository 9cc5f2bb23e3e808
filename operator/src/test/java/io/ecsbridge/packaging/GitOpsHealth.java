package io.ecsbridge.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbridge.testing.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Health verdicts of GitOps tools over custom resource objects (JSON files), computed by their real code paths built by
 * hack/gitops: Argo CD's Lua health check run by gopher-lua (the interpreter Argo CD embeds), and kstatus (Flux,
 * kubectl wait, cli-utils) Compute.
 */
final class GitOpsHealth {
  static final Path ARGOCD_SCRIPT = Tools.chart().resolve("files/argocd-health.lua");

  record Verdict(String status, String message) {}

  private GitOpsHealth() {}

  static List<Verdict> argocd(List<Path> objects) {
    List<String> command = new ArrayList<>(List.of(Tools.healthCheck().toString(), "argocd",
        ARGOCD_SCRIPT.toString()));
    objects.forEach(o -> command.add(o.toString()));
    return verdicts(command);
  }

  static List<Verdict> kstatus(List<Path> objects) {
    List<String> command = new ArrayList<>(List.of(Tools.healthCheck().toString(), "kstatus"));
    objects.forEach(o -> command.add(o.toString()));
    return verdicts(command);
  }

  private static List<Verdict> verdicts(List<String> command) {
    ObjectMapper json = new ObjectMapper();
    return Tools.run(command, null, Map.of(), 2).assertSuccess().stdout().lines().map(line -> {
      try {
        JsonNode v = json.readTree(line);
        return new Verdict(v.get("status").asText(), v.get("message").asText());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).toList();
  }
}
