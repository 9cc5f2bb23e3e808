#!/usr/bin/env bash
# The jar loop of docs/operations.md "Footprint levers": the embedded stack once, the operator's jar started against
# it LOOP_RUNS times per variant (interleaved), each start's time and CPU to ready, classes loaded at ready and RSS 10 s
# after ready printed (io.ecsbridge.bench.JarLoop). Variants: LOOP_VARIANTS="label=path/to.jar[|jvm options[|NAME=value,...]];..."
# (options after a + are added to the chart's; the settings after a second | are that variant's alone), or instead of
# a jar an image laid out by hack/image/extract.sh (its entrypoint run in its own file system, chroot, with the
# image's environment), default the built jar with the chart's options; LOOP_SETTINGS="NAME=value,..." operator
# settings for every start; LOOP_POD=true starts the images as in a pod (a ServiceAccount's token and
# KUBERNETES_SERVICE_HOST, no kubeconfig); LOOP_IDLE_SECONDS (10): when after ready RSS is read; LOOP_INSPECT=true
# writes operator/target/bench/smaps-<variant>-<run>.txt (/proc/PID/smaps) and inspect-<variant>-<run>.txt at the RSS
# reading (smaps_rollup, status; for a jar, not an image, jcmd: native memory when the variant has
# -XX:NativeMemoryTracking=summary, threads, heap, a class histogram). Does not build: `mvn -DskipTests package`
# first (or copy jars aside).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
MVN=${MVN:-mvn}
# shellcheck source=hack/bench/harness.sh
source "$root/hack/bench/harness.sh"
harness_copy "$root/operator/target/bench/loop"
cp=$HARNESS_CP
echo "[loop] started $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Decsbridge.repo.root="$root" -Dloop.runs="${LOOP_RUNS:-2}" -Dloop.inspect="${LOOP_INSPECT:-false}" -Dloop.idleSeconds="${LOOP_IDLE_SECONDS:-10}" -Dloop.pod="${LOOP_POD:-false}" -Dloop.settings="${LOOP_SETTINGS:-}" \
  -Dloop.variants="${LOOP_VARIANTS:-main=$root/operator/target/ecs-bridge.jar}" -cp "$cp" io.ecsbridge.bench.JarLoop
