package io.ecsbridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures as they are measured: printed as a table at the end, and written as JSON. */
final class Report {
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final List<String[]> rows = new ArrayList<>();
  private Path json;
  private Path markdown;

  /**
   * Where {@link #section} writes the figures so far (JSON and Markdown), so that a long run stopped or failed part
   * way keeps what it measured.
   */
  void writeTo(Path json, Path markdown) {
    this.json = json;
    this.markdown = markdown;
  }

  /** A figure: its JSON key, its label and unit in the table, its value. */
  void put(String key, String label, Object value) {
    figures.put(key, value);
    rows.add(new String[] {label, shown(value)});
    System.out.printf("[bench] %-58s %s%n", label, shown(value));
  }

  /** A figure kept in the JSON only (a breakdown). */
  void detail(String key, Object value) {
    figures.put(key, value);
  }

  /** A section heading in the table; the figures so far written (see {@link #writeTo}). */
  void section(String title) {
    if (json != null) {
      try {
        write(json, markdown);
      } catch (IOException e) {
        System.err.println("[bench] could not write " + json + ": " + e);
      }
    }
    rows.add(new String[] {"## " + title, ""});
  }

  static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }

  /** The q-quantile (0..1) by nearest rank; NaN when empty. */
  static double quantile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  private static String shown(Object value) {
    if (value instanceof Double d) {
      return d.isNaN() ? "-" : String.valueOf(round(d, 3));
    }
    if (value instanceof Map<?, ?> m) {
      StringBuilder s = new StringBuilder();
      m.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(' ').append(shown(v)));
      return s.length() == 0 ? "none" : s.toString();
    }
    return String.valueOf(value);
  }

  /** The table, Markdown, for docs/operations.md. */
  String table() {
    StringBuilder t = new StringBuilder("| measure | value |\n| --- | --- |\n");
    for (String[] r : rows) {
      t.append(r[0].startsWith("## ") ? "| **" + r[0].substring(3) + "** | |" : "| " + r[0] + " | " + r[1] + " |")
          .append('\n');
    }
    return t.toString();
  }

  void write(Path json, Path markdown) throws IOException {
    Files.createDirectories(json.getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), figures);
    Files.writeString(markdown, table());
  }
}
