#!/usr/bin/env bash
# Installs Debian's chromium for the HTML report test (driven by playwright-core
# through executablePath, so no browser download from a CDN). Idempotent.
set -euo pipefail
say() { printf 'setup-chromium: %s\n' "$*" >&2; }

if [ -x /usr/bin/chromium ]; then
  say "chromium already installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  say "needs root to install Debian's chromium (you are $(id -un)); install it with: apt-get install -y chromium"
  exit 3
fi
say "installing Debian's chromium (apt-get)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
say "chromium installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown)"
