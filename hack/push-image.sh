#!/usr/bin/env bash
# Pushes an image to the ECR of `make run`'s moto (never real AWS):  hack/push-image.sh <repository> <tag>
#   e.g. hack/push-image.sh shop/web v1    (while `make run` is running, from the repository's root)
# The image is a minimal OCI manifest with a fresh layer digest (PutImage, as `docker push` ends), so each push of a
# tag gives it a new digest. Then it asks the EcrRepository custom resources of the namespace for a reconcile (ECR
# sends no event on a push; otherwise the operator sees the push on its next resync, at most a minute under
# `make run`): the task definitions with an imageFrom on that tag register a new revision, which their services roll
# out. Knobs: ECSBRIDGE_RUN_DIR (default .run, where `make run` writes moto-endpoint and kubectl), NAMESPACE (demo).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[[ $# -eq 2 ]] || { echo "usage: $0 <repository> <tag>   e.g. $0 shop/web v1" >&2; exit 2; }
run=${ECSBRIDGE_RUN_DIR:-$root/.run}
namespace=${NAMESPACE:-demo}
[[ -s "$run/moto-endpoint" ]] || { echo "push-image: no $run/moto-endpoint: is \`make run\` running?" >&2; exit 1; }
endpoint=$(cat "$run/moto-endpoint")
python=$(bash "$root/hack/moto/ensure-moto.sh")
AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \
  "$python" - "$endpoint" "$1" "$2" <<'PY'
import hashlib, json, os, sys
import boto3
endpoint, repository, tag = sys.argv[1:4]
layer = "sha256:" + hashlib.sha256(os.urandom(32)).hexdigest()
manifest = {
    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 7023,
               "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 32654, "digest": layer}],
}
ecr = boto3.client("ecr", endpoint_url=endpoint)
image = ecr.put_image(repositoryName=repository, imageTag=tag, imageManifest=json.dumps(manifest))["image"]
print(f"push-image: pushed {repository}:{tag} = {image['imageId']['imageDigest']} to moto's ECR at {endpoint}")
PY
if [[ -x "$run/kubectl" ]]; then
  "$run/kubectl" -n "$namespace" annotate ecrrepositories --all --overwrite \
    "ecsbridge.io/reconcile-requested-at=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" >/dev/null
  echo "push-image: asked the EcrRepositories in namespace $namespace for a reconcile; watch the rollout with"
  echo "  $run/kubectl -n $namespace get ecsbridge -w"
fi
