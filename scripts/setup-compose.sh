#!/usr/bin/env bash
# Installs Debian's docker-compose (1.29), the reference the compose corpus
# test (src/verify/compose-reference.test.ts) checks slimstage's reading of
# compose files against with `docker-compose config`. Idempotent.
set -euo pipefail
say() { printf 'setup-compose: %s\n' "$*" >&2; }

if command -v docker-compose >/dev/null 2>&1; then
  say "docker-compose already installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  say "needs root to install Debian's docker-compose (you are $(id -un)); install it with: apt-get install -y docker-compose"
  exit 3
fi
say "installing Debian's docker-compose (apt-get)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
say "docker-compose installed: $(docker-compose version --short 2>/dev/null || echo unknown)"
