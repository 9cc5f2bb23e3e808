#!/usr/bin/env bash
# The image's class-data sharing archive (DESIGN.md "Footprint"; docs/operations.md "Footprint levers"): the classes
# the operator loads from its start to ready (hack/image/start-classes.lst, `make cds-list`), archived by the image's
# own JVM inside the image's own file system, at the paths the container will see. Java 17 maps an archive only for
# the class path, the jar files (size and modification time) and the JVM build it was dumped with, so it is made from
# the image itself: TARBALL (the image Jib built without the archive; its layers are the final image's but one)
# extracted (hack/image/extract.sh), then `java -Xshare:dump` run in it by chroot, in a user, mount and process
# namespace of its own (no root needed: `unshare --map-root-user`). The archive goes to OUT/opt/ecs-bridge/ecs-bridge.jsa, which
# Jib adds to the image; the entrypoint names it (operator/pom.xml). Where user namespaces are not allowed this fails
# and says so; IMAGE_CDS=off then builds the image without the archive (the operator starts the same, about 0.8 s
# slower; ImageIT skips its archive test).
#   hack/image/cds.sh operator/target/ecs-bridge-image-without-cds.tar operator/target/image-cds
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tarball=$1 out=$2
list=$root/hack/image/start-classes.lst
work=$out-root
rm -rf "$out" "$work"
mkdir -p "$out"
if [[ "${IMAGE_CDS:-on}" == off ]]; then
  echo "image: IMAGE_CDS=off: the image is built without its class-data sharing archive" >&2
  exit 0
fi
bash "$root/hack/image/extract.sh" "$tarball" "$work"
rootfs=$work/rootfs
mkdir -p "$rootfs/proc" "$rootfs/dev" "$rootfs/opt/ecs-bridge"
rm -f "$rootfs/opt/ecs-bridge/ecs-bridge.jsa"
cp "$list" "$rootfs/tmp/start-classes.lst"
# The image's JVM in the image's file system: chroot in a user, mount and process namespace of its own (no root
# needed; the mounts end with it), with a /proc of its own (the dynamic loader reads /proc/self/exe) and of /dev only
# the four devices the JVM reads; none of the build's environment (JAVA_TOOL_OPTIONS and the like would change the
# dump or break it). Where a fresh /proc cannot be mounted (a container whose /proc has masked paths refuses it to a
# user namespace), the machine's /proc is bound instead, as the tests' ImageRoot does.
devices='for d in null zero random urandom; do [ -e "$0/dev/$d" ] || : > "$0/dev/$d"; mount --bind "/dev/$d" "$0/dev/$d" || exit 1; done'
own_proc=(env -i PATH="$PATH" unshare --map-root-user --mount --pid --fork --mount-proc="$rootfs/proc" sh -c \
  "$devices; exec chroot \"\$0\" \"\$@\"" "$rootfs")
bound_proc=(env -i PATH="$PATH" unshare --map-root-user --mount sh -c \
  "mount --rbind /proc \"\$0/proc\" && $devices; exec chroot \"\$0\" \"\$@\"" "$rootfs")
if probe=$("${own_proc[@]}" /opt/java/bin/java -version 2>&1); then
  inside=("${own_proc[@]}")
elif probe2=$("${bound_proc[@]}" /opt/java/bin/java -version 2>&1); then
  echo "image: a /proc of its own could not be mounted ($(echo "$probe" | head -1)): the machine's is bound" >&2
  inside=("${bound_proc[@]}")
else
  echo "image: the image's JVM cannot be run in its own file system here (unshare --map-root-user --mount, chroot):" \
    "$(echo "$probe2" | head -2 | tr '\n' ' ')" >&2
  echo "image: (user namespaces not allowed?) IMAGE_CDS=off builds the image without its class-data sharing archive" >&2
  exit 1
fi
log=$work/dump.log
# a heap that keeps compressed pointers on, as the container's does (an archive is mapped only with the same setting)
"${inside[@]}" /opt/java/bin/java -Xshare:dump -XX:+UseSerialGC -Xmx256m -XX:SharedClassListFile=/tmp/start-classes.lst \
  -XX:SharedArchiveFile=/opt/ecs-bridge/ecs-bridge.jsa -cp @/app/jib-classpath-file >"$log" 2>&1 \
  || { tail -20 "$log" >&2; echo "image: -Xshare:dump failed (the whole output: $log)" >&2; exit 1; }
mkdir -p "$out/opt/ecs-bridge"
cp "$rootfs/opt/ecs-bridge/ecs-bridge.jsa" "$out/opt/ecs-bridge/ecs-bridge.jsa"
listed=$(grep -cv '^#' "$list")
missing=$(grep -c 'Preload Warning: Cannot find' "$log" || true)
echo "image: class-data sharing archive $(du -m "$out/opt/ecs-bridge/ecs-bridge.jsa" | cut -f1) MiB, of the $listed" \
  "entries of hack/image/start-classes.lst, $missing not in the image (the dump's log: $log)"
