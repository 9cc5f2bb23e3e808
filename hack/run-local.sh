#!/usr/bin/env bash
# `make run`: the operator on an embedded local stack (kube-apiserver + etcd + moto), the samples applied.
# Builds what it needs (the control plane binaries and moto are prepared by `make prereqs` before this runs),
# compiles the operator and its test harness, and runs io.ecsbridge.testing.LocalStack in one JVM.
# Never talks to real AWS: the operator's AWS endpoint is the local moto server. Every server listens on 127.0.0.1
# on a free port (ECSBRIDGE_HTTP_PORT fixes the operator's), and LocalStack prints which.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
MVN=${MVN:-mvn}
mkdir -p .run
echo "[make run] compiling the operator and the local stack launcher..."
"$MVN" -B -ntp -q -DskipTests test-compile
"$MVN" -B -ntp -q -pl operator dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/.run/classpath" >/dev/null
cp="$root/operator/target/test-classes:$root/operator/target/classes:$(cat "$root/.run/classpath")"
exec java -Decsbridge.repo.root="$root" -Dlogback.configurationFile=logback-local.xml -cp "$cp" io.ecsbridge.testing.LocalStack "$@"
