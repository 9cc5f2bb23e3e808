package io.ecsbridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md's Troubleshooting tables name every condition reason the operator's code gives: the reasons
 * written as literals or constants where a verdict is made ({@code Health.stalled}, {@code Health.progressing}, an
 * ownership refusal, {@code Retrying.mark}, a terminal {@code AwsException} the operator makes itself), each in a row
 * whose state column says S (Stalled) or R (Reconciling) as the code does. Reasons passed through from elsewhere
 * (AWS's error codes, a dependency's reason) are the "AWS errors" table's general rows.
 */
class TroubleshootingDocTest {

  /** A call that makes a verdict, the index of its reason argument, and the state it gives ('S' or 'R'). */
  private record Site(Pattern call, int reasonArg, char state) {}

  private static final List<Site> SITES = List.of(
      new Site(Pattern.compile("\\bHealth\\.stalled\\("), 0, 'S'),
      new Site(Pattern.compile("\\bHealth\\.progressing\\("), 0, 'R'),
      new Site(Pattern.compile("\\bDecision\\.refuse\\("), 0, 'S'),
      new Site(Pattern.compile("\\bRetrying\\.mark\\("), 1, 'R'),
      new Site(Pattern.compile("\\bnew AwsException\\((?:AwsException\\.)?Kind\\.TERMINAL,"), 0, 'S'));

  private static final Pattern CONSTANT = Pattern.compile("\\bString\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*\"([^\"]*)\"\\s*;");
  private static final Pattern LITERAL = Pattern.compile("\"([A-Z][A-Za-z0-9]*)\"");
  private static final Pattern IDENTIFIER = Pattern.compile("\\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{2,}[A-Z0-9]*)\\b");

  @Test
  void everyReasonInTheCodeHasARowInTheTroubleshootingTables() throws IOException {
    Map<String, Set<Character>> inCode = reasons(mainSources());
    assertThat(inCode).as("the scan finds the reasons of each kind of site")
        .containsKeys("RolloutFailed", "ReferenceNotReady", "AccountRequired", "AccountPending", "AlreadyExists",
            "OwnedByAnotherNamespace", "AwsRetrying", "NoCredentials", "NoRegion", "DependencyStalled",
            "CreateFailed", "UpdateFailed", "EncryptionMismatch", "OutOfSync");
    assertThat(inCode.size()).as("reasons found in the code (50 when written)").isGreaterThanOrEqualTo(50);
    assertThat(missing(inCode, documented(operationsMd()))).as("reasons missing from docs/operations.md's "
        + "Troubleshooting tables, or in a row whose state column (S/R) disagrees with the code").isEmpty();
  }

  @Test
  void aReasonWithoutARowFails() throws IOException {
    String doc = operationsMd();
    String withoutRow = doc.replaceAll("(?m)^\\| `RepositoryNotEmpty` \\|.*\\n", "");
    assertThat(withoutRow).isNotEqualTo(doc);
    Map<String, Set<Character>> inCode = reasons(mainSources());
    assertThat(missing(inCode, documented(withoutRow))).containsExactly("RepositoryNotEmpty");

    String newCode = """
        class Brand {
          static final String BRAND_NEW = "BrandNew";
          Health h(boolean b) {
            return b ? Health.stalled(BRAND_NEW, "m") : Health.progressing(b ? "Other" : "Waiting", "w, x");
          }
          Health moved() { return Health.progressing("ReferenceNotReady", "now Reconciling"); }
          Health stalledNow() { return Health.stalled("ScanPending", "was Reconciling"); }
        }
        """;
    Map<String, Set<Character>> withNew = reasons(List.of(newCode));
    assertThat(withNew).containsOnlyKeys("BrandNew", "Other", "Waiting", "ReferenceNotReady", "ScanPending");
    assertThat(missing(withNew, documented(doc))).as("unknown reasons, and a documented one in the wrong state")
        .containsExactly("BrandNew", "Other", "ScanPending", "Waiting");
  }

  @Test
  void theReadmeLinksTheTroubleshootingSection() throws IOException {
    String readme = Files.readString(Repo.root().resolve("README.md"));
    assertThat(readme).contains("](docs/operations.md#troubleshooting)");
  }

  /** Reason → the states the code gives it ('S', 'R'), from verdict sites in the sources. */
  static Map<String, Set<Character>> reasons(List<String> sources) {
    Map<String, Set<String>> constants = new TreeMap<>();
    for (String source : sources) {
      Matcher m = CONSTANT.matcher(source);
      while (m.find()) {
        constants.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
      }
    }
    Map<String, Set<Character>> reasons = new TreeMap<>();
    for (String source : sources) {
      for (Site site : SITES) {
        Matcher call = site.call().matcher(source);
        while (call.find()) {
          List<String> args = arguments(source, call.end());
          if (args.size() <= site.reasonArg()) {
            continue;
          }
          String arg = args.get(site.reasonArg());
          Set<String> found = new TreeSet<>();
          Matcher literal = LITERAL.matcher(arg);
          while (literal.find()) {
            found.add(literal.group(1));
          }
          Matcher id = IDENTIFIER.matcher(arg.replaceAll("\"[^\"]*\"", ""));
          while (id.find()) {
            found.addAll(constants.getOrDefault(id.group(1), Set.of()));
          }
          for (String reason : found) {
            String r = site.call().pattern().contains("AwsException") && reason.endsWith("Exception")
                ? reason.substring(0, reason.length() - "Exception".length()) : reason;
            reasons.computeIfAbsent(r, k -> new TreeSet<>()).add(site.state());
          }
        }
      }
    }
    return reasons;
  }

  /** The top-level arguments of a call whose "(" ends at {@code from}, as source text. */
  private static List<String> arguments(String source, int from) {
    List<String> args = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (int i = from; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '"') {
        int end = i + 1;
        while (end < source.length() && source.charAt(end) != '"') {
          end += source.charAt(end) == '\\' ? 2 : 1;
        }
        current.append(source, i, Math.min(end + 1, source.length()));
        i = end;
        continue;
      }
      if (c == '(' || c == '{' || c == '[') {
        depth++;
      } else if (c == ')' || c == '}' || c == ']') {
        if (depth == 0) {
          args.add(current.toString().trim());
          return args;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        args.add(current.toString().trim());
        current.setLength(0);
        continue;
      }
      current.append(c);
    }
    return args;
  }

  /** Reason → the row's state column, from the tables of the Troubleshooting section. */
  static Map<String, String> documented(String markdown) {
    int start = markdown.indexOf("\n## Troubleshooting\n");
    assertThat(start).as("docs/operations.md has a Troubleshooting section").isNotNegative();
    int end = markdown.indexOf("\n## ", start + 1);
    String section = markdown.substring(start, end < 0 ? markdown.length() : end);
    Map<String, String> rows = new TreeMap<>();
    for (String line : section.split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("(?<!\\\\)\\|");
      Matcher names = Pattern.compile("`([A-Za-z0-9]+)`").matcher(cells[1]);
      while (names.find()) {
        rows.put(names.group(1), cells[2].trim());
      }
    }
    return rows;
  }

  /** Reasons of the code without a row, or in a row whose state column does not include the code's state. */
  static Set<String> missing(Map<String, Set<Character>> inCode, Map<String, String> documented) {
    Set<String> missing = new TreeSet<>();
    inCode.forEach((reason, states) -> {
      String state = documented.get(reason);
      if (state == null || states.stream().anyMatch(s -> state.indexOf(s) < 0)) {
        missing.add(reason);
      }
    });
    return missing;
  }

  private static List<String> mainSources() throws IOException {
    Path main = Repo.root().resolve("operator/src/main/java");
    try (Stream<Path> files = Files.walk(main)) {
      return files.filter(p -> p.toString().endsWith(".java")).map(p -> {
        try {
          return Files.readString(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    }
  }

  private static String operationsMd() throws IOException {
    return Files.readString(Repo.root().resolve("docs/operations.md"));
  }
}
