package io.ecsbridge.packaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbridge.testing.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's Dockerfile, read as Docker would (instructions, continuation lines, exec-form JSON). */
record DockerfileModel(List<String[]> instructions) {
  static DockerfileModel load() {
    try {
      String text = Files.readString(Repo.root().resolve("Dockerfile")).replaceAll("\\\\\\n", " ");
      List<String[]> list = new ArrayList<>();
      for (String line : text.split("\n")) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          String[] parts = l.split("\\s+", 2);
          list.add(new String[] {parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""});
        }
      }
      return new DockerfileModel(list);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> all(String instruction) {
    return instructions.stream().filter(i -> i[0].equals(instruction)).map(i -> i[1]).toList();
  }

  String last(String instruction) {
    List<String> found = all(instruction);
    return found.isEmpty() ? null : found.get(found.size() - 1);
  }

  /** The base image with build args substituted by their defaults. */
  String baseImage() {
    Map<String, String> args = new LinkedHashMap<>();
    for (String arg : all("ARG")) {
      String[] kv = arg.split("=", 2);
      args.put(kv[0].strip(), kv.length > 1 ? kv[1].strip() : "");
    }
    String from = last("FROM").split("\\s+")[0];
    Matcher m = Pattern.compile("\\$\\{?(\\w+)}?").matcher(from);
    return m.replaceAll(r -> Matcher.quoteReplacement(args.getOrDefault(r.group(1), "")));
  }

  /** ENTRYPOINT (exec form) followed by CMD, as the container runs them. */
  List<String> command() {
    List<String> command = new ArrayList<>(json(last("ENTRYPOINT")));
    if (last("CMD") != null) {
      command.addAll(json(last("CMD")));
    }
    return command;
  }

  /** ENV KEY="value" pairs. */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : all("ENV")) {
      Matcher m = Pattern.compile("(\\w+)=(\"([^\"]*)\"|(\\S+))").matcher(e);
      while (m.find()) {
        env.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
      }
    }
    return env;
  }

  /** COPY source -> destination pairs. */
  Map<String, String> copies() {
    Map<String, String> copies = new LinkedHashMap<>();
    for (String c : all("COPY")) {
      String[] parts = c.replaceAll("--\\S+", "").strip().split("\\s+");
      copies.put(parts[0], parts[parts.length - 1]);
    }
    return copies;
  }

  private static List<String> json(String execForm) {
    if (execForm == null) {
      return List.of();
    }
    try {
      return new ObjectMapper().readValue(execForm, new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new AssertionError("not exec form (JSON): " + execForm, e);
    }
  }
}
