#!/usr/bin/env bash
# Prints the path of a python3 with hack/dashboard/requirements.txt installed: a venv in
# ${ECSBRIDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecs-bridge}/dashboard-venv, built once and rebuilt when
# requirements.txt changes (sha256 stamp), as hack/moto/ensure-moto.sh does. Nothing else goes to stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
req="$here/requirements.txt"
cache="${ECSBRIDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecs-bridge}"
venv="$cache/dashboard-venv"
stamp="$venv/.ecsbridge-requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
log() { echo "ensure-venv: $*" >&2; }
. "$here/../lock.sh"
ok() { [[ -x "$venv/bin/python3" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; }
if ! ok; then
  mkdir -p "$cache"
  exec 9>"$cache/dashboard-venv.lock"
  if command -v flock >/dev/null 2>&1; then take_lock 9 "$cache/dashboard-venv.lock" "the build of $venv"; fi
  if ! ok; then
    log "building $venv from $req (one-off)"
    rm -rf "$venv"
    "${ECSBRIDGE_PYTHON:-python3}" -m venv "$venv" >&2
    if ! "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check --progress-bar off -r "$req" >&2; then
      rm -rf "$venv"; log "pip install -r $req failed"; exit 1
    fi
    echo "$want" >"$stamp"
  fi
fi
echo "$venv/bin/python3"
