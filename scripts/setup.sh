#!/usr/bin/env bash
# Create the project-local virtual environment (.venv) and install notes-qa with everything.
# Offline at run time: this is the only step that talks to the package registry.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# torch is pinned: 2.13.0 is a CPU build; an unpinned torch pulls a multi-GB CUDA build.
.venv/bin/python -m pip install -q -e ".[all]" "torch==2.13.0"
# Optional: compile the voice/decision rule core with Cython (same sources, same results, less CPU
# time; see notes_qa/speedups.py). Without Cython or a C compiler everything runs as pure Python.
if .venv/bin/python -m pip install -q "cython>=3.1,<4"; then
  .venv/bin/python -m notes_qa.speedups build || true
else
  echo "notes-qa speedups: Cython not installed; the rule core stays pure Python" >&2
fi
