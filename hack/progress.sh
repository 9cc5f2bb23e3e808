# Sourced by the hack/*/build.sh scripts: `with_progress LABEL COMMAND...` runs COMMAND and, while it runs, prints
# a line to stderr every 20 seconds with the time so far, so that a first build of several minutes never looks hung.
with_progress() {
  local label=$1; shift
  local start=$SECONDS
  ( while sleep 20; do echo "  ... $label: $((SECONDS - start)) s so far" >&2; done ) &
  local ticker=$!
  local rc=0
  "$@" || rc=$?
  kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null || true
  echo "  $label: done in $((SECONDS - start)) s" >&2
  return $rc
}
