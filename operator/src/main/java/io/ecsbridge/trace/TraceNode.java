package io.ecsbridge.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * One resource of a trace: its kind and name, whether it is Ready, the reason and message of the condition that
 * matters (Stalled, else Reconciling, else Ready), its last Events, and what it references.
 */
public record TraceNode(String kind, String name, boolean ready, String reason, String message,
    List<EventLine> events, List<TraceNode> children) {

  /** An Event as the trace shows it: type, reason, how long ago, message, count. */
  public record EventLine(String type, String reason, String age, String message, int count) {}

  public TraceNode {
    events = List.copyOf(events);
    children = new ArrayList<>(children);
  }

  /** Every node of this tree Ready. */
  public boolean allReady() {
    return ready && children.stream().allMatch(TraceNode::allReady);
  }
}
