#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (Playwright drives it; never a downloaded browser).
# Idempotent: does nothing when /usr/lib/chromium/chromium is already there.
set -u

CHROMIUM=/usr/lib/chromium/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install_browser: Chromium missing at $CHROMIUM and not root (no sudo): run 'apt-get install -y chromium' as root." >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq >/tmp/install_browser.log 2>&1 \
    || ! $SUDO apt-get install -y -qq chromium >>/tmp/install_browser.log 2>&1; then
    echo "install_browser: 'apt-get install chromium' failed (see /tmp/install_browser.log)." >&2
    exit 1
fi

if [ ! -x "$CHROMIUM" ]; then
    echo "install_browser: chromium package installed but $CHROMIUM is missing." >&2
    exit 1
fi
echo "install_browser: Chromium installed at $CHROMIUM."
