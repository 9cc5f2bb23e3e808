#!/usr/bin/env bash
# Builds one of ACK's controllers (aws-controllers-k8s/CONTROLLER) from source, once, into the cache outside the
# repository, for `make bench-ack` (docs/operations.md, "Side by side with ACK"). Prints the binary's path.
#   build.sh SRC [CONTROLLER]   CONTROLLER: ecr-controller (the default) or ecs-controller. SRC holds the sources,
#                  each in a folder of its repository's name: CONTROLLER, and every ACK module its go.mod requires,
#                  at the version it names (for ecr-controller v1.8.1: runtime, iam-controller, kms-controller,
#                  secretsmanager-controller; for ecs-controller v1.2.1: runtime, ec2-controller, elbv2-controller,
#                  iam-controller). The Go module proxy serves the rest of their modules (the AWS SDK,
#                  controller-runtime, client-go); it refuses ACK's own (403 Forbidden for
#                  github.com/aws-controllers-k8s/*), hence the sources and a replace directive for each. Two
#                  controllers that require different versions of a module need two SRC folders.
# Rebuilds only when a source's go.mod or Go files, the Go toolchain or this script change (a stamp records them).
# The sources are not changed: the build works on a copy of CONTROLLER's module.
set -euo pipefail
hack=$(cd "$(dirname "$0")/.." && pwd)
self=$hack/ack/build.sh
src=${1:?usage: build.sh SRC [CONTROLLER] (the sources of the controller and of the ACK modules it requires)}
controller=${2:-ecr-controller}
src=$(cd "$src" && pwd -P)
[ -f "$src/$controller/go.mod" ] || {
  echo "$0: no $src/$controller/go.mod (the sources of aws-controllers-k8s/$controller)" >&2; exit 2; }
# the ACK modules the controller's go.mod requires: its require lines only (not module, replace or exclude), each
# module's path (a major version's /vN suffix kept) and its folder, the repository's name
requires=$(awk '
  /^require[[:space:]]*\(/ { block = 1; next }
  block && /^[[:space:]]*\)/ { block = 0; next }
  block || /^require[[:space:]]/ {
    line = $0; sub(/^require[[:space:]]+/, "", line); sub(/^[[:space:]]+/, "", line)
    if (line ~ /^github\.com\/aws-controllers-k8s\/[a-z0-9-]+(\/v[0-9]+)?[[:space:]]+v/) { split(line, f, /[[:space:]]+/); print f[1] }
  }' "$src/$controller/go.mod" | sort -u)
modules=""
for path in $requires; do
  m=${path#github.com/aws-controllers-k8s/}; m=${m%%/*}
  [ -f "$src/$m/go.mod" ] || {
    echo "$0: no $src/$m/go.mod (the sources of aws-controllers-k8s/$m, which $controller requires)" >&2; exit 2; }
  modules="$modules $m"
done
. "$hack/go-tool.sh"
dir="$ecsbridge_cache/ack/$controller"
# the first layout kept the ecr-controller's binary where its folder is now
[ ! -f "$dir" ] || rm -f "$dir" "$ecsbridge_cache/ack/.stamp"
# shellcheck disable=SC2086
stamp=$( (cd "$src" && find "$controller" $modules -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) \
  -print0 | sort -z | xargs -0 sha256sum; go version; sha256sum < "$self") | sha256sum | cut -c1-16)
build_once "$dir/$controller" "$dir" "$stamp" "$controller"
echo "Building ACK's $controller from $src with $(go version | cut -d' ' -f3) (first time only: a few minutes)..." >&2
cp -r "$src/$controller" "$tmp/module"
for path in $requires; do
  m=${path#github.com/aws-controllers-k8s/}; m=${m%%/*}
  (cd "$tmp/module" && go mod edit -replace "$path=$src/$m")
done
with_progress "building ACK's $controller" env -C "$tmp/module" GOFLAGS=-mod=mod CGO_ENABLED=0 \
  GONOSUMDB=github.com/aws-controllers-k8s go build -trimpath -o "$tmp/$controller" ./cmd/controller
finish_build "$dir/$controller" "$dir" "$stamp" "$controller"
