#!/usr/bin/env bash
# Installs Debian's docker.io (and debootstrap, for the local bases) if
# missing, starts dockerd if it is not running, then waits until it answers.
# Idempotent: run it as often as you like. Debian/Ubuntu, as root.
# Exit codes: 0 engine ready, 3 not root / install failed / dockerd did not come up.
set -euo pipefail
say() { printf 'setup-engine: %s\n' "$*" >&2; }
LOG=${SLIMSTAGE_DOCKERD_LOG:-/var/log/slimstage-dockerd.log}

if [ "$(id -u)" != 0 ]; then
  say "this needs root to install and start an engine (you are $(id -un)); nothing was changed."
  say "ask an administrator to run it, or point DOCKER_HOST at an engine you can use (e.g. DOCKER_HOST=ssh://you@bigger-host)."
  exit 3
fi
if ! command -v apt-get >/dev/null 2>&1; then
  say "no apt-get here: this set-up is for Debian/Ubuntu; install a container engine yourself, or set DOCKER_HOST"
  exit 3
fi

missing=()
{ command -v dockerd >/dev/null 2>&1 && [ -x /usr/bin/docker ]; } || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
# The zstd program: inspect reads zstd layers with windows over 64 MiB through it.
command -v zstd >/dev/null 2>&1 || missing+=(zstd)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || { say "apt-get update failed: is Debian's mirror reachable?"; exit 3; }
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { say "apt-get install ${missing[*]} failed"; exit 3; }
else
  say "docker.io, debootstrap and zstd already installed"
fi

answers() { DOCKER_HOST=unix:///var/run/docker.sock timeout 10 /usr/bin/docker info >/dev/null 2>&1; }
if answers; then
  say "dockerd already running"
  exit 0
fi
if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
  say "removing the stale /var/run/docker.pid of a dockerd that is gone"
  rm -f /var/run/docker.pid
fi
if pgrep -x dockerd >/dev/null 2>&1; then
  say "dockerd is starting (or hung); waiting for it"
else
  say "starting dockerd (log: $LOG)"
  nohup dockerd >>"$LOG" 2>&1 &
fi
for i in $(seq 1 60); do
  if answers; then
    say "dockerd is up (after ${i} s)"
    exit 0
  fi
  sleep 1
done
say "dockerd did not answer within 60 s; the end of $LOG:"
tail -n 15 "$LOG" >&2 || true
exit 3
