package io.ecsbridge.aws;

import java.util.function.Supplier;

/**
 * A write through a batching gateway, then what it must forget of the resource it wrote: whatever the write's outcome
 * (a write that failed may still have changed AWS), so that no read made before it serves a pass after it.
 */
final class Writes {
  private Writes() {}

  static <V> V then(Supplier<V> write, Runnable forget) {
    try {
      return write.get();
    } finally {
      forget.run();
    }
  }

  static void then(Runnable write, Runnable forget) {
    try {
      write.run();
    } finally {
      forget.run();
    }
  }
}
