#!/usr/bin/env bash
# `make bench N=100 KINDS=repositories,services`: builds the jar and the test harness, then runs
# io.ecsbridge.bench.Bench (operator/src/test/java/io/ecsbridge/bench): the embedded stack (kube-apiserver + etcd +
# moto) in this JVM, the operator as a separate process from operator/target/ecs-bridge.jar. Figures printed and
# written to operator/target/bench/bench-N.json (and .md). BENCH_ARGS: more -Dbench.* settings (see Bench.java).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
MVN=${MVN:-mvn}
N=${N:-100}
KINDS=${KINDS:-repositories,services}
mkdir -p operator/target/bench
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  echo "[bench] building the jar and the test harness..."
  "$MVN" -B -ntp -q -DskipTests package
fi
"$MVN" -B -ntp -q -pl operator dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/operator/target/bench/classpath" >/dev/null
cp="$root/operator/target/test-classes:$root/operator/target/classes:$(cat "$root/operator/target/bench/classpath")"
# shellcheck disable=SC2086
exec java -Decsbridge.repo.root="$root" -Dbench.n="$N" -Dbench.kinds="$KINDS" ${BENCH_ARGS:-} \
  -cp "$cp" io.ecsbridge.bench.Bench
