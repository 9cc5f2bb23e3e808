# Sourced by hack/*/build.sh: the shared steps of "build a tool pinned in a Go wrapper module, once, into the cache
# outside the repository". A build script computes its folder and stamp, then:
#   build_once OUTPUT DIR STAMP FILE...   prints OUTPUT and exits when DIR holds every FILE built with STAMP;
#                                         else takes DIR's lock (a concurrent build is waited for, not repeated,
#                                         saying so: see lock.sh) and makes $tmp to build into (removed on exit)
#   with_progress LABEL COMMAND...        runs COMMAND, printing the time so far every 20 s (first builds take
#                                         minutes: they must not look hung)
#   finish_build OUTPUT DIR STAMP FILE... moves the FILEs from $tmp into DIR, writes the stamp, prints OUTPUT

. "$(dirname "${BASH_SOURCE[0]}")/lock.sh"

ecsbridge_cache=${ECSBRIDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecs-bridge}

_fresh() {
  local dir=$1 stamp=$2 f; shift 2
  for f in "$@"; do [ -x "$dir/$f" ] || return 1; done
  [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$stamp" ]
}

build_once() {
  local out=$1 dir=$2 stamp=$3; shift 3
  if _fresh "$dir" "$stamp" "$@"; then echo "$out"; exit 0; fi
  command -v go >/dev/null || { echo "$0: the go tool is needed to build $*" >&2; exit 1; }
  mkdir -p "$dir"
  exec 9>"$dir/.lock"
  take_lock 9 "$dir/.lock" "the build of $* into $dir"
  if _fresh "$dir" "$stamp" "$@"; then echo "$out"; exit 0; fi
  tmp=$(mktemp -d "$dir/.build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
}

with_progress() {
  local label=$1 start=$SECONDS rc=0 ticker; shift
  ( while sleep 20; do echo "  ... $label: $((SECONDS - start)) s so far" >&2; done ) &
  ticker=$!
  "$@" || rc=$?
  kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null || true
  echo "  $label: done in $((SECONDS - start)) s" >&2
  return $rc
}

finish_build() {
  local out=$1 dir=$2 stamp=$3 f; shift 3
  for f in "$@"; do mv "$tmp/$f" "$dir/$f"; done
  echo "$stamp" > "$dir/.stamp"
  echo "Built $* into $dir" >&2
  echo "$out"
}
