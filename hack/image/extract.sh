#!/usr/bin/env bash
# An OCI image tarball (make image) laid out as a container's runtime would: DIR/rootfs (the layers applied in order),
# DIR/entrypoint (the image's entrypoint, one argument per line) and DIR/env (its environment, NAME=value a line). Used
# by hack/image/cds.sh (the class-data sharing archive is dumped inside the image's own file system) and by the jar
# loop's image variants (hack/bench/loop.sh: LOOP_VARIANTS="image=DIR"). Layers hold no whiteouts (Jib writes none).
#   hack/image/extract.sh operator/target/ecs-bridge-image.tar operator/target/image-root
set -euo pipefail
tarball=$1 out=$2
rm -rf "$out"
mkdir -p "$out/layout" "$out/rootfs"
tar -xf "$tarball" -C "$out/layout" 2>/dev/null
python3 - "$out" <<'PY'
import json, subprocess, sys
out = sys.argv[1]
blob = lambda d: f"{out}/layout/blobs/" + d.replace(":", "/")
index = json.load(open(f"{out}/layout/index.json"))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
config = json.load(open(blob(manifest["config"]["digest"])))
for layer in manifest["layers"]:
    subprocess.run(["tar", "--warning=no-unknown-keyword", "-xzf", blob(layer["digest"]), "-C", f"{out}/rootfs"],
                   check=True)
with open(f"{out}/entrypoint", "w") as f:
    f.write("\n".join(config["config"]["Entrypoint"]) + "\n")
with open(f"{out}/env", "w") as f:
    f.write("".join(e + "\n" for e in config["config"].get("Env", [])))
PY
rm -rf "$out/layout"
