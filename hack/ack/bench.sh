#!/usr/bin/env bash
# `make bench-ack N=100 ACK_SRC=DIR [ACK_CONTROLLER=ecs-controller]`: one of ACK's controllers on the embedded stack
# doing `make bench`'s work of its kind (io.ecsbridge.bench.AckBench), for the side-by-side with ecs-bridge
# (docs/operations.md, "Side by side with ACK"): the ecr-controller (the default) the N repositories, as `make bench
# N=100 KINDS=repositories`; the ecs-controller the N services with their task definitions and clusters, as
# KINDS=services. Builds the controller (hack/ack/build.sh ACK_SRC ACK_CONTROLLER) and the harness; figures printed
# and written to operator/target/bench/ack-KINDS-N.json (and .md). BENCH_ARGS: more -Dbench.* settings
# (AckBench.java), split on spaces; e.g. -Dbench.ackFlags=--reconcile-default-max-concurrent-syncs=10.
# ACK_CPU_LIMIT=100m: the controller under that CPU limit, as its chart's resources.limits.cpu (hack/ack/cpu-limit.sh:
# a cgroup's CPU quota; needs root).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
MVN=${MVN:-mvn}
N=${N:-100}
controller=${ACK_CONTROLLER:-ecr-controller}
case "$controller" in
  ecr-controller) kinds=repositories ;;
  ecs-controller) kinds=services ;;
  *) echo "$0: ACK_CONTROLLER is ecr-controller or ecs-controller, not $controller" >&2; exit 2 ;;
esac
[ -n "${ACK_SRC:-}" ] || { echo "$0: ACK_SRC (the sources of ACK's $controller and its ACK modules: hack/ack/build.sh) is needed" >&2; exit 2; }
cpu_limit=
if [ -n "${ACK_CPU_LIMIT:-}" ]; then # checked before the build
  cpu_limit=$(bash hack/ack/cpu-limit.sh --millicores "$ACK_CPU_LIMIT")
fi
binary=$(bash hack/ack/build.sh "$ACK_SRC" "$controller")
if [ -n "$cpu_limit" ]; then
  binary=$(bash hack/ack/cpu-limit.sh "$ACK_CPU_LIMIT" "$binary" "$root/operator/target/bench")
fi
crds="$ACK_SRC/$controller/config/crd"
# shellcheck source=hack/bench/harness.sh
source "$root/hack/bench/harness.sh"
harness_build
run="$root/operator/target/bench/run-ack-$kinds-$N"
harness_copy "$run"
echo "[bench] ACK's $controller N=$N, started $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
# the binary (or its wrapper) and the limit after BENCH_ARGS: a -D given twice keeps its last value
exec java -Decsbridge.repo.root="$root" -Dbench.n="$N" -Dbench.kinds="$kinds" -Dbench.ackCrds="$crds" ${BENCH_ARGS:-} \
  -Dbench.ack="$binary" ${cpu_limit:+"-Dbench.ackCpuLimit=$cpu_limit"} -cp "$HARNESS_CP" io.ecsbridge.bench.AckBench
