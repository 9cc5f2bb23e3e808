#!/usr/bin/env bash
# `make bench-ack N=100 ACK_SRC=DIR`: ACK's ecr-controller on the embedded stack doing `make bench`'s N repositories
# (io.ecsbridge.bench.AckBench), for the side-by-side with `make bench N=100 KINDS=repositories`
# (docs/operations.md, "Side by side with ACK"). Builds the controller (hack/ack/build.sh ACK_SRC) and the harness;
# figures printed and written to operator/target/bench/ack-N.json (and .md). BENCH_ARGS: more -Dbench.* settings
# (AckBench.java), split on spaces; e.g. -Dbench.ackFlags=--reconcile-default-max-concurrent-syncs=10.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
MVN=${MVN:-mvn}
N=${N:-100}
[ -n "${ACK_SRC:-}" ] || { echo "$0: ACK_SRC (the sources of ACK's ecr-controller and its ACK modules: hack/ack/build.sh) is needed" >&2; exit 2; }
binary=$(bash hack/ack/build.sh "$ACK_SRC")
crds="$ACK_SRC/ecr-controller/config/crd"
# shellcheck source=hack/bench/harness.sh
source "$root/hack/bench/harness.sh"
harness_build
run="$root/operator/target/bench/run-ack-$N"
harness_copy "$run"
echo "[bench] ACK N=$N, started $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
exec java -Decsbridge.repo.root="$root" -Dbench.n="$N" -Dbench.ack="$binary" -Dbench.ackCrds="$crds" \
  ${BENCH_ARGS:-} -cp "$HARNESS_CP" io.ecsbridge.bench.AckBench
