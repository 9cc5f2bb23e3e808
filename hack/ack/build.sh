#!/usr/bin/env bash
# Builds ACK's ecr-controller (aws-controllers-k8s/ecr-controller) from source, once, into the cache outside the
# repository, for `make bench-ack` (docs/operations.md, "Side by side with ACK"). Prints the binary's path.
#   build.sh SRC   SRC holds the sources, each in a folder of its repository's name: ecr-controller, and the ACK
#                  modules its go.mod requires at the versions it names (runtime, iam-controller, kms-controller,
#                  secretsmanager-controller). The Go module proxy serves the rest of its modules (the AWS SDK,
#                  controller-runtime, client-go); it refuses ACK's own (403 Forbidden for
#                  github.com/aws-controllers-k8s/*), hence the sources and a replace directive for each.
# Rebuilds only when a source's go.mod or Go files, the Go toolchain or this script change (a stamp records them).
# The sources are not changed: the build works on a copy of ecr-controller's module.
set -euo pipefail
hack=$(cd "$(dirname "$0")/.." && pwd)
self=$hack/ack/build.sh
src=${1:?usage: build.sh SRC (the sources of ecr-controller and of the ACK modules it requires)}
src=$(cd "$src" && pwd -P)
modules="runtime iam-controller kms-controller secretsmanager-controller"
for m in ecr-controller $modules; do
  [ -f "$src/$m/go.mod" ] || { echo "$0: no $src/$m/go.mod (the sources of aws-controllers-k8s/$m)" >&2; exit 2; }
done
. "$hack/go-tool.sh"
dir="$ecsbridge_cache/ack"
stamp=$( (cd "$src" && find ecr-controller $modules -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) \
  -print0 | sort -z | xargs -0 sha256sum; go version; sha256sum < "$self") | sha256sum | cut -c1-16)
build_once "$dir/ecr-controller" "$dir" "$stamp" ecr-controller
echo "Building ACK's ecr-controller from $src with $(go version | cut -d' ' -f3) (first time only: a few minutes)..." >&2
cp -r "$src/ecr-controller" "$tmp/module"
for m in $modules; do
  (cd "$tmp/module" && go mod edit -replace "github.com/aws-controllers-k8s/$m=$src/$m")
done
with_progress "building ACK's ecr-controller" env -C "$tmp/module" GOFLAGS=-mod=mod CGO_ENABLED=0 \
  GONOSUMDB=github.com/aws-controllers-k8s go build -trimpath -o "$tmp/ecr-controller" ./cmd/controller
finish_build "$dir/ecr-controller" "$dir" "$stamp" ecr-controller
