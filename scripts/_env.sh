#!/usr/bin/env bash
# Shared set-up: creates .venv (Python 3.11+), installs the pinned requirements when they changed,
# and checks the system libraries WeasyPrint needs. Safe to run any number of times.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "» Virtuele omgeving maken (.venv)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "» Pakketten installeren (requirements-dev.txt)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements-dev.txt
  echo "$want" > "$stamp"
fi
# The system libraries WeasyPrint needs: library name (as ctypes finds it) = Debian package. The Dockerfile's
# runtime stage installs these same packages (tests/test_container.py checks that they match).
WEASYPRINT_LIBRARIES="pango-1.0=libpango-1.0-0 pangoft2-1.0=libpangoft2-1.0-0"
missing=""
for pair in $WEASYPRINT_LIBRARIES; do
  if ! .venv/bin/python -c "import ctypes.util,sys; sys.exit(0 if ctypes.util.find_library('${pair%%=*}') else 1)"; then
    missing="$missing ${pair#*=}"
  fi
done
if [ -n "$missing" ]; then
  echo "!! WeasyPrint (PDF-documenten) heeft Pango nodig. Installeer het met:" >&2
  echo "!!   Debian/Ubuntu: sudo apt-get install -y$missing" >&2
  echo "!!   macOS: brew install pango" >&2
fi
mkdir -p var
