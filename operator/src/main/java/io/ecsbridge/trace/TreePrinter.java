package io.ecsbridge.trace;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a trace as a tree with aligned columns, each resource's last Events under it:
 * <pre>
 * NAME                       READY  REASON           MESSAGE
 * EcsService/web             True   RolloutComplete  ...
 * │     Normal  Updated (2m): task definition web:3 → web:4
 * ├─ EcsCluster/main         True   Synced
 * └─ EcsTaskDefinition/web   True   Synced
 *    └─ Secret/db            True   Found
 * </pre>
 */
public final class TreePrinter {
  private record Row(String head, TraceNode node, String eventPrefix) {}

  private TreePrinter() {}

  public static void print(TraceNode root, PrintStream out) {
    List<Row> rows = new ArrayList<>();
    rows(root, "", "", rows);
    int width = Math.max("NAME".length(), rows.stream().mapToInt(r -> label(r).length()).max().orElse(0));
    int reasonWidth = Math.max("REASON".length(), rows.stream().mapToInt(r -> r.node().reason().length()).max()
        .orElse(0));
    String format = "%-" + width + "s  %-5s  %-" + reasonWidth + "s  %s";
    out.println(String.format(format, "NAME", "READY", "REASON", "MESSAGE").stripTrailing());
    for (Row row : rows) {
      TraceNode n = row.node();
      out.println(String.format(format, label(row), n.ready() ? "True" : "False", n.reason(), n.message())
          .stripTrailing());
      for (TraceNode.EventLine e : n.events()) {
        out.println(row.eventPrefix() + "   " + e.type() + "  " + e.reason() + " (" + e.age()
            + (e.count() > 1 ? ", x" + e.count() : "") + "): " + e.message());
      }
    }
  }

  private static String label(Row row) {
    return row.head() + row.node().kind() + "/" + row.node().name();
  }

  private static void rows(TraceNode node, String head, String childPrefix, List<Row> rows) {
    rows.add(new Row(head, node, childPrefix + (node.children().isEmpty() ? "  " : "│ ")));
    List<TraceNode> children = node.children();
    for (int i = 0; i < children.size(); i++) {
      boolean last = i == children.size() - 1;
      rows(children.get(i), childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "), rows);
    }
  }
}
