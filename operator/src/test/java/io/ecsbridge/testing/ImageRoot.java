package io.ecsbridge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A command run in an image's own file system (layers extracted into {@code rootfs}), as a container's runtime would
 * run it: chroot, with the machine's /proc and /dev (the JVM, its dynamic loader and its random numbers read them),
 * in a user and mount namespace of its own ({@code unshare --map-root-user --mount}: no root needed, and the mounts
 * end with the process). One process throughout: each step execs the next, so the process's id is the command's.
 * hack/image/cds.sh does the same in bash.
 */
public final class ImageRoot {
  private ImageRoot() {}

  public static List<String> command(Path rootfs, List<String> command) throws IOException {
    Files.createDirectories(rootfs.resolve("proc"));
    Files.createDirectories(rootfs.resolve("dev"));
    List<String> all = new ArrayList<>(List.of("unshare", "--map-root-user", "--mount", "sh", "-c",
        "mount --rbind /proc \"$0/proc\" && mount --rbind /dev \"$0/dev\" && exec chroot \"$0\" \"$@\"",
        rootfs.toString()));
    all.addAll(command);
    return all;
  }
}
