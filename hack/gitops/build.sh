#!/usr/bin/env bash
# Builds the GitOps health checker (main.go: Argo CD's Lua runtime gopher-lua + Flux's kstatus) from the versions
# pinned in this module, once, into a cache outside the repository, and prints the binary's path on stdout.
# Rebuilds only when go.mod, go.sum or main.go change (a stamp file records their hash).
set -euo pipefail
. "$(dirname "$0")/../progress.sh"
here=$(cd "$(dirname "$0")" && pwd)
cache=${ECSBRIDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecs-bridge}
dir="$cache/gitops-health"
stamp=$(cat "$here/go.mod" "$here/go.sum" "$here/main.go" | sha256sum | cut -c1-16)
if [ -x "$dir/health-check" ] && [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$dir/health-check"; exit 0
fi
command -v go >/dev/null || { echo "build.sh: the go tool is needed to build the health checker" >&2; exit 1; }
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [ -x "$dir/health-check" ] && [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$stamp" ]; then  # built while we waited
  echo "$dir/health-check"; exit 0
fi
tmp=$(mktemp -d "$dir/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "Building the GitOps health checker (gopher-lua, kstatus) with $(go version | cut -d' ' -f3)..." >&2
with_progress "building the GitOps health checker" env -C "$here" GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/health-check" .
mv "$tmp/health-check" "$dir/health-check"
echo "$stamp" > "$dir/.stamp"
echo "$dir/health-check"
