# Sourced by run.sh, loop.sh and hack/ack/bench.sh: the harness's class path, taken apart from the checkout.
# harness_build builds the jar and the test harness (mvn package, tests skipped) unless BENCH_SKIP_BUILD=1.
# harness_copy DIR makes DIR afresh with the test harness's classes, the operator's classes and the test-scope class
# path (Maven's), and sets HARNESS_CP to them, so that a build in this checkout meanwhile does not change the code
# under measurement.
harness_build() {
  mkdir -p operator/target/bench
  if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
    echo "[bench] building the jar and the test harness..."
    "${MVN:-mvn}" -B -ntp -q -DskipTests package
  fi
}

harness_copy() {
  local dir=$1
  rm -rf "$dir"
  mkdir -p "$dir"
  "${MVN:-mvn}" -B -ntp -q -pl operator dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$dir/classpath" >/dev/null
  cp -r operator/target/test-classes "$dir/test-classes"
  cp -r operator/target/classes "$dir/classes"
  HARNESS_CP="$dir/test-classes:$dir/classes:$(cat "$dir/classpath")"
}
