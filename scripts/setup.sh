#!/usr/bin/env bash
# Create .venv and install regbot into it. Idempotent: re-runs only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${REGBOT_VENV:-.venv}
stamp="$VENV/.regbot-installed"
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# torch first: 2.13.0 is the CPU wheel on this machine's disk. Anything that pulls torch before this line
# would fetch a multi-GB CUDA build instead.
"$VENV/bin/python" -m pip install --quiet torch==2.13.0
"$VENV/bin/python" -m pip install --quiet -e .
echo "$want" > "$stamp"
