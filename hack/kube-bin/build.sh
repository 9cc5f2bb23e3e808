#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from the versions pinned in this module, once, into a cache
# outside the repository, laid out as fabric8 kube-api-test expects (k8s/<version>-linux-amd64/), so
# that it finds them and never downloads anything. Prints the binaries' folder on stdout.
# Rebuilds only when go.mod/go.sum change (a stamp file records their hash).
set -euo pipefail
. "$(dirname "$0")/../progress.sh"
here=$(cd "$(dirname "$0")" && pwd)
k8s_version=$(awk '$1=="k8s.io/kubernetes"{print $2; exit}' "$here/go.mod" | sed 's/^v//')
cache=${ECSBRIDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecs-bridge}
dir="$cache/kubeapitest/k8s/${k8s_version}-linux-amd64"
stamp=$(cat "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-16)
if [ -x "$dir/kube-apiserver" ] && [ -x "$dir/etcd" ] && [ -x "$dir/kubectl" ] \
    && [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$dir"; exit 0
fi
command -v go >/dev/null || { echo "build.sh: the go tool is needed to build kube-apiserver and etcd" >&2; exit 1; }
mkdir -p "$dir"
tmp=$(mktemp -d "$dir/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "Building kube-apiserver, kubectl and etcd v${k8s_version} with $(go version | cut -d' ' -f3) (first time only: several minutes)..." >&2
major=${k8s_version%%.*}; minor=${k8s_version#*.}; minor=${minor%%.*}
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v${k8s_version} \
  -X k8s.io/component-base/version.gitMajor=${major} -X k8s.io/component-base/version.gitMinor=${minor} \
  -X k8s.io/client-go/pkg/version.gitVersion=v${k8s_version} \
  -X k8s.io/client-go/pkg/version.gitMajor=${major} -X k8s.io/client-go/pkg/version.gitMinor=${minor}"
with_progress "building kube-apiserver, kubectl and etcd" env -C "$here" GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
with_progress "building kube-apiserver, kubectl and etcd" env -C "$here" GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3
mv "$tmp/kube-apiserver" "$tmp/kubectl" "$tmp/etcd" "$dir/"
echo "$stamp" > "$dir/.stamp"
echo "Built into $dir" >&2
echo "$dir"
