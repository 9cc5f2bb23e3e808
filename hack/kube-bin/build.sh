#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from the versions pinned in this module, once, into a cache
# outside the repository, laid out as fabric8 kube-api-test expects (k8s/<version>-linux-amd64/), so
# that it finds them and never downloads anything. Prints the binaries' folder on stdout.
# Rebuilds only when go.mod/go.sum change (a stamp file records their hash).
#   build.sh [newest|oldest]   newest (the default): this module; oldest: hack/kube-bin-oldest, the oldest
#                              Kubernetes minor we support (docs/operations.md, Compatibility). Each version has
#                              its own folder in the cache.
set -euo pipefail
hack=$(cd "$(dirname "$0")/.." && pwd)
case "${1:-newest}" in
  newest) here=$hack/kube-bin ;;
  oldest) here=$hack/kube-bin-oldest ;;
  *) echo "$0: expected newest or oldest, not '$1'" >&2; exit 2 ;;
esac
. "$hack/go-tool.sh"
k8s_version=$(awk '$1=="k8s.io/kubernetes"{print $2; exit}' "$here/go.mod" | sed 's/^v//')
dir="$ecsbridge_cache/kubeapitest/k8s/${k8s_version}-linux-amd64"
stamp=$(cat "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-16)
build_once "$dir" "$dir" "$stamp" kube-apiserver kubectl etcd
echo "Building kube-apiserver, kubectl and etcd v${k8s_version} with $(go version | cut -d' ' -f3) (first time only: several minutes)..." >&2
major=${k8s_version%%.*}; minor=${k8s_version#*.}; minor=${minor%%.*}
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v${k8s_version} \
  -X k8s.io/component-base/version.gitMajor=${major} -X k8s.io/component-base/version.gitMinor=${minor} \
  -X k8s.io/client-go/pkg/version.gitVersion=v${k8s_version} \
  -X k8s.io/client-go/pkg/version.gitMajor=${major} -X k8s.io/client-go/pkg/version.gitMinor=${minor}"
with_progress "building kube-apiserver, kubectl and etcd" env -C "$here" GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
with_progress "building kube-apiserver, kubectl and etcd" env -C "$here" GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3
finish_build "$dir" "$dir" "$stamp" kube-apiserver kubectl etcd
