#!/usr/bin/env bash
# Builds the GitOps health checker (main.go: Argo CD's Lua runtime gopher-lua + Flux's kstatus) from the versions
# pinned in this module, once, into a cache outside the repository, and prints the binary's path on stdout.
# Rebuilds only when go.mod, go.sum or main.go change (a stamp file records their hash).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../go-tool.sh"
dir="$ecsbridge_cache/gitops-health"
stamp=$(cat "$here/go.mod" "$here/go.sum" "$here/main.go" | sha256sum | cut -c1-16)
build_once "$dir/health-check" "$dir" "$stamp" health-check
echo "Building the GitOps health checker (gopher-lua, kstatus) with $(go version | cut -d' ' -f3)..." >&2
with_progress "building the GitOps health checker" env -C "$here" GOFLAGS=-mod=mod CGO_ENABLED=0 \
    go build -trimpath -ldflags "-s -w" -o "$tmp/health-check" .
finish_build "$dir/health-check" "$dir" "$stamp" health-check
