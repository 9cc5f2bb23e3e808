package io.ecsbridge.trace;

import io.ecsbridge.kinds.Kinds;
import java.util.Locale;
import java.util.Optional;

/** A kind as kubectl accepts it: kind, plural, singular or short name, any case (ecsservice, ecssvc, EcsService). */
final class KindNames {
  private KindNames() {}

  static Optional<Kinds.Kind<?>> find(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    // "ecsservices.ecsbridge.io" as kubectl also accepts
    String group = "." + Kinds.ALL.get(0).group();
    if (wanted.endsWith(group)) {
      wanted = wanted.substring(0, wanted.length() - group.length());
    }
    for (Kinds.Kind<?> kind : Kinds.ALL) {
      if (kind.kind().toLowerCase(Locale.ROOT).equals(wanted) || kind.plural().equals(wanted)
          || kind.shortNames().contains(wanted)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  static Optional<Kinds.Kind<?>> byKind(String kind) {
    return Kinds.ALL.stream().filter(k -> k.kind().equals(kind)).findFirst();
  }
}
