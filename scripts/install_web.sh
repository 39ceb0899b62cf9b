#!/usr/bin/env bash
# Installs the widget's front-end packages from the lockfile (npm ci) and builds web/dist,
# only when package-lock.json or the widget sources changed.
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm is required for the chat widget (Node 18+); on Debian: apt-get install -y nodejs npm." >&2
  exit 1
fi
want=$(cat package.json package-lock.json build.js $(find src index.html -type f 2>/dev/null | sort) 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ -f dist/.build-stamp ] && [ "$(cat dist/.build-stamp)" = "$want" ] && [ -d node_modules ]; then
  exit 0
fi
echo "==> Installing and building the chat widget (npm ci)"
if ! npm ci --no-audit --no-fund --loglevel=error >/dev/null; then
  echo "error: 'npm ci' failed in web/; check access to the npm registry and run 'make web' again." >&2
  exit 1
fi
npm run --silent build
echo "$want" > dist/.build-stamp
