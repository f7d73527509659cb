#!/usr/bin/env bash
# Installs Debian's docker.io if missing and starts dockerd if it is not
# running, then waits until it answers. Idempotent. Debian/Ubuntu, as root.
set -euo pipefail
say() { printf 'setup-engine: %s\n' "$*" >&2; }

if [ "$(id -u)" != 0 ]; then
  say "needs root to install and start an engine (you are $(id -un)). Ask an administrator, or point DOCKER_HOST at an existing engine."
  exit 3
fi
if ! command -v dockerd >/dev/null 2>&1 || [ ! -x /usr/bin/docker ]; then
  say "installing Debian's docker.io (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
else
  say "docker.io already installed"
fi
if /usr/bin/docker info >/dev/null 2>&1; then
  say "dockerd already running"
else
  say "starting dockerd (log: /var/log/slimstage-dockerd.log)"
  nohup dockerd >/var/log/slimstage-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    /usr/bin/docker info >/dev/null 2>&1 && break
    sleep 1
  done
  /usr/bin/docker info >/dev/null 2>&1 || { say "dockerd did not answer within 60 s; see /var/log/slimstage-dockerd.log"; exit 3; }
  say "dockerd is up"
fi
