#!/usr/bin/env bash
# Shows that `mvn -Pk3s` selects the same integration tests as the default Failsafe run (`make test`): Failsafe
# runs both ways in JUnit's dry-run mode (junit.platform.execution.dryRun.enabled: every selected test is reported
# as skipped and none is executed, so no control plane starts and no Docker engine is needed), and the (class, test)
# pairs of its two reports must be the same. Fails, printing the difference, when they are not.
set -euo pipefail
cd "$(dirname "$0")/../.."
MVN=${MVN:-mvn}
read -r -a flags <<< "${MVN_FLAGS:--B -ntp}"
out=operator/target/it-selection
rm -rf "$out" && mkdir -p "$out"

list() { # list NAME [maven flags...]: the tests Failsafe selects, one "class#test" a line, into $out/NAME.txt
  local name=$1
  shift
  rm -rf operator/target/failsafe-reports
  if ! "$MVN" "${flags[@]}" -pl operator "$@" test-compile failsafe:integration-test \
      -Djunit.platform.execution.dryRun.enabled=true > "$out/$name.log" 2>&1; then
    tail -40 "$out/$name.log" >&2
    echo "k3s selection: the $name dry run failed (log: $out/$name.log)" >&2
    exit 1
  fi
  cat operator/target/failsafe-reports/TEST-*.xml 2>/dev/null \
    | sed -n 's/.*<testcase name="\([^"]*\)" classname="\([^"]*\)".*/\2#\1/p' | sort > "$out/$name.txt"
  if [ ! -s "$out/$name.txt" ]; then
    echo "k3s selection: the $name dry run reported no test (log: $out/$name.log)" >&2
    exit 1
  fi
}

list default
list k3s -Pk3s
if ! diff -u "$out/default.txt" "$out/k3s.txt" > "$out/diff.txt"; then
  cat "$out/diff.txt"
  echo "k3s selection: -Pk3s does not select the same integration tests as the default run" >&2
  exit 1
fi
tests=$(wc -l < "$out/default.txt")
classes=$(cut -d'#' -f1 "$out/default.txt" | sort -u | wc -l)
echo "k3s selection: -Pk3s selects the same $tests integration tests in $classes classes as the default run" \
  "(lists: $out/default.txt, $out/k3s.txt)"
