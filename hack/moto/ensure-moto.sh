#!/usr/bin/env bash
# Prints the path of a python3 that has the pinned moto (hack/moto/requirements.txt) with its server extras.
# Uses the machine's python3 when it already has exactly that version; otherwise creates (once) a venv in
# ${ECSBRIDGE_CACHE:-~/.cache/ecs-bridge}/moto-venv from PyPI, rebuilt when the pins change.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
req="$here/requirements.txt"
want=$(sed -n 's/^moto\[server\]==\([0-9.]*\).*/\1/p' "$req")
cache=${ECSBRIDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecs-bridge}
venv="$cache/moto-venv"
stamp=$(sha256sum "$req" | cut -c1-16)

has_moto() {
  "$1" - "$want" <<'PY' >/dev/null 2>&1
import sys, moto, flask, flask_cors
sys.exit(0 if moto.__version__ == sys.argv[1] else 1)
PY
}

system=$(command -v python3 || true)
if [ -z "${ECSBRIDGE_FORCE_MOTO_VENV:-}" ] && [ -n "$system" ] && has_moto "$system"; then
  readlink -f "$system"; exit 0
fi
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.stamp" 2>/dev/null)" = "$stamp" ] && has_moto "$venv/bin/python"; then
  echo "$venv/bin/python"; exit 0
fi
[ -n "$system" ] || { echo "ensure-moto.sh: python3 is needed" >&2; exit 1; }
echo "Installing moto $want into $venv (first time only)..." >&2
rm -rf "$venv"
"$system" -m venv "$venv" >&2
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" pytest >&2
has_moto "$venv/bin/python" || { echo "ensure-moto.sh: moto $want did not install" >&2; exit 1; }
echo "$stamp" > "$venv/.stamp"
echo "$venv/bin/python"
