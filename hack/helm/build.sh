#!/usr/bin/env bash
# Builds helm from the version pinned in this module, once, into a cache outside the repository, and prints the
# binary's path on stdout. Rebuilds only when go.mod/go.sum change (a stamp file records their hash).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../go-tool.sh"
version=$(awk '$1=="helm.sh/helm/v3"{print $2; exit} $1=="require" && $2=="helm.sh/helm/v3"{print $3; exit}' "$here/go.mod")
dir="$ecsbridge_cache/helm/$version"
stamp=$(cat "$here/go.mod" "$here/go.sum" "$here/build.sh" | sha256sum | cut -c1-16)  # build.sh: the ldflags
build_once "$dir/helm" "$dir" "$stamp" helm
echo "Building helm $version with $(go version | cut -d' ' -f3) (first time only: a few minutes)..." >&2
# as helm's own Makefile does: the default Kubernetes version of `helm template` and `helm lint` follows client-go
# (v0.36 -> 1.36), otherwise it is 1.20
client_go=$(cd "$here" && GOFLAGS=-mod=mod go list -m -f '{{.Version}}' k8s.io/client-go)
k8s_minor=$(echo "$client_go" | cut -d. -f2)
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$version"
for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  ldflags="$ldflags -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$k8s_minor"
done
with_progress "building helm" env -C "$here" GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$tmp/helm" \
    helm.sh/helm/v3/cmd/helm
finish_build "$dir/helm" "$dir" "$stamp" helm
