#!/usr/bin/env bash
# Prints the path of a python3 interpreter that has the pinned moto (hack/moto/requirements.txt)
# with its server extras (flask, flask-cors) and pytest importable. Nothing else goes to stdout.
#
#   1. python3 on PATH, if it already has exactly that moto version plus flask, flask_cors, pytest;
#   2. otherwise a venv in ${ECSBRIDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecs-bridge}/moto-venv,
#      built once from requirements.txt and rebuilt when that file changes (sha256 stamp).
#
# Knobs: ECSBRIDGE_FORCE_MOTO_VENV=1 skips step 1; ECSBRIDGE_PYTHON picks the python3 that
# checks step 1 and creates the venv (default: python3 on PATH).
# Idempotent; a warm call takes well under a second. Safe to run concurrently (flock).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
req="$here/requirements.txt"
base_python="${ECSBRIDGE_PYTHON:-python3}"

log() { echo "ensure-moto: $*" >&2; }
. "$here/../lock.sh"

# The one moto version, read from the requirements file (e.g. "moto[server]==5.2.1").
moto_version="$(sed -n 's/^moto\(\[[^]]*\]\)\{0,1\}==\([^ ;#]*\).*/\2/p' "$req" | head -n1)"
[[ -n "$moto_version" ]] || { log "no 'moto[server]==X.Y.Z' pin in $req"; exit 1; }

# Exit 0 when interpreter $1 has the pinned moto (by its distribution metadata: importing moto
# itself is slow) and flask, flask_cors and pytest can be found; then print its real executable
# (sys.executable: a pyenv/asdf shim on PATH resolves to the interpreter behind it).
which_moto_python() {
  "$1" - "$moto_version" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
from importlib.util import find_spec
if version("moto") != sys.argv[1] or not all(map(find_spec, ("flask", "flask_cors", "pytest"))):
    sys.exit(1)
print(sys.executable)
PY
}

# 1. The interpreter on PATH.
if [[ "${ECSBRIDGE_FORCE_MOTO_VENV:-0}" != 1 ]] && command -v "$base_python" >/dev/null 2>&1 \
   && which_moto_python "$base_python"; then
  exit 0
fi

# 2. The cached venv.
cache="${ECSBRIDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecs-bridge}"
venv="$cache/moto-venv"
stamp_file="$venv/.ecsbridge-requirements.sha256"
want_stamp="$(sha256sum "$req" | cut -d' ' -f1)"

venv_ok() {
  [[ -x "$venv/bin/python3" && -f "$stamp_file" && "$(cat "$stamp_file")" == "$want_stamp" ]]
}

if ! venv_ok; then
  mkdir -p "$cache"
  exec 9>"$cache/moto-venv.lock"
  if command -v flock >/dev/null 2>&1; then take_lock 9 "$cache/moto-venv.lock" "the build of the moto venv $venv"; fi
  if ! venv_ok; then  # another process may have built it while we waited for the lock
    command -v "$base_python" >/dev/null 2>&1 || { log "$base_python not found"; exit 1; }
    log "building $venv from $req (one-off, takes a minute or two)"
    # Built in place (a venv's scripts embed its path); the stamp, written last, marks it done,
    # so a half-built venv (interrupted, failed) is rebuilt from scratch next time.
    rm -rf "$venv"
    "$base_python" -m venv "$venv" >&2 || { log "'$base_python -m venv' failed (python3-venv missing?)"; exit 1; }
    if ! "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check \
         --progress-bar off -r "$req" >&2; then
      rm -rf "$venv"
      log "pip install -r $req failed"
      exit 1
    fi
    which_moto_python "$venv/bin/python3" >/dev/null || { rm -rf "$venv"; log "venv built but moto $moto_version not importable"; exit 1; }
    echo "$want_stamp" >"$stamp_file"  # written last: a half-built venv has no stamp
    log "ready: $venv"
  fi
fi

echo "$venv/bin/python3"
