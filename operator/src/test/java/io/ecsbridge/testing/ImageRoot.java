package io.ecsbridge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A command run in an image's own file system (layers extracted into {@code rootfs}), as a container's runtime would
 * run it: chroot, with the machine's /proc (the dynamic loader reads /proc/self/exe) and of /dev the four devices the
 * JVM reads, in a user and mount namespace of its own ({@code unshare --map-root-user --mount}: no root needed, and
 * the mounts end with the process). One process throughout: each step execs the next, so the process's id is the
 * command's (the bench reads its memory and CPU by it; hack/image/cds.sh, which needs no id, gives the dump a process
 * namespace and a /proc of its own instead).
 */
public final class ImageRoot {
  private ImageRoot() {}

  public static List<String> command(Path rootfs, List<String> command) throws IOException {
    Files.createDirectories(rootfs.resolve("proc"));
    Files.createDirectories(rootfs.resolve("dev"));
    List<String> all = new ArrayList<>(List.of("unshare", "--map-root-user", "--mount", "sh", "-c",
        "mount --rbind /proc \"$0/proc\" && for d in null zero random urandom; do [ -e \"$0/dev/$d\" ] || : > "
            + "\"$0/dev/$d\"; mount --bind \"/dev/$d\" \"$0/dev/$d\" || exit 1; done; exec chroot \"$0\" \"$@\"",
        rootfs.toString()));
    all.addAll(command);
    return all;
  }
}
