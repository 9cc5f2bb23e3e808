#!/usr/bin/env bash
# `make bench N=100 KINDS=repositories,services`: builds the jar and the test harness, then runs
# io.ecsbridge.bench.Bench (operator/src/test/java/io/ecsbridge/bench): the embedded stack (kube-apiserver + etcd +
# moto) in this JVM, the operator as a separate process from the built jar. Figures printed and written to
# operator/target/bench/bench-N.json (and .md). BENCH_ARGS: more -Dbench.* settings (see Bench.java), split on
# spaces; BENCH_JVM_OPTIONS: the operator's JVM options (JAVA_TOOL_OPTIONS; default the chart's), one string.
# The image instead of the jar: `make image`, `hack/image/extract.sh operator/target/ecs-bridge-image.tar DIR`, then
# BENCH_ARGS=-Dbench.jar=DIR (its entrypoint run in its own file system: io.ecsbridge.testing.ImageRoot).
#
# A run at N = 1,000 or 2,000 lasts from 30 minutes to well over an hour: the jar and the harness's classes are
# copied into operator/target/bench/run-N/ first, so that a build in this checkout meanwhile (a test, another
# `make bench`'s build) does not change the code under measurement.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
MVN=${MVN:-mvn}
N=${N:-100}
KINDS=${KINDS:-repositories,services}
# shellcheck source=hack/bench/harness.sh
source "$root/hack/bench/harness.sh"
harness_build
run="$root/operator/target/bench/run-$N"
harness_copy "$run"
cp operator/target/ecs-bridge.jar "$run/ecs-bridge.jar"
cp=$HARNESS_CP
echo "[bench] N=$N KINDS=$KINDS, started $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
exec java -Decsbridge.repo.root="$root" -Dbench.n="$N" -Dbench.kinds="$KINDS" -Dbench.jar="$run/ecs-bridge.jar" \
  ${BENCH_JVM_OPTIONS:+"-Dbench.jvmOptions=$BENCH_JVM_OPTIONS"} ${BENCH_ARGS:-} -cp "$cp" io.ecsbridge.bench.Bench
