#!/usr/bin/env bash
# Installs the Debian packages the tests need from the host
# (scripts/test-packages.txt): chromium for the HTML report test (driven by
# playwright-core through executablePath, so no browser download), busybox-static
# for fixture images. Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'setup-test-deps: %s\n' "$*" >&2; }

mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' scripts/test-packages.txt | grep -v '^$')
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -eq 0 ]; then
  say "already installed: ${wanted[*]}"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  say "needs root to install ${missing[*]} (you are $(id -un)); install them with: apt-get install -y ${missing[*]}"
  exit 3
fi
say "installing ${missing[*]} (apt-get)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
say "installed ${missing[*]}"
