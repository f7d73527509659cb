#!/usr/bin/env bash
# Podman as a second kind of engine: Debian's podman 4.3 (with buildah),
# rootful, its Docker-compatible API on a socket of our own
# (`podman system service --time=0`), with default ulimits cleared (podman
# run otherwise fails here with "error setting rlimits"). Idempotent.
#   bash scripts/setup-podman.sh         start it; prints its DOCKER_HOST
#   bash scripts/setup-podman.sh --stop  stop the service (images kept)
#   bash scripts/setup-podman.sh --restart  a fresh service (what the test suite uses: a
#        long-lived service can keep state from an earlier run, such as buildah's
#        cache-mount locks, and a later build that needs one waits for ever)
# Exit codes: 0 ready (or stopped), 3 not root / install failed / no answer.
set -euo pipefail
say() { printf 'setup-podman: %s\n' "$*" >&2; }
STATE=/var/lib/slimstage-podman
RUN=/run/slimstage-podman
SOCK=$RUN/podman.sock
CONF=$STATE/containers.conf
LOG=$STATE/service.log
export CONTAINERS_CONF=$CONF

if [ "$(id -u)" != 0 ]; then
  say "this needs root (rootful podman); nothing was changed"
  exit 3
fi
stop_service() {
  if [ -f "$RUN/service.pid" ] && kill -0 "$(cat "$RUN/service.pid")" 2>/dev/null; then
    local pid
    pid=$(cat "$RUN/service.pid")
    kill "$pid"
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN/service.pid"
}
if [ "${1:-}" = "--stop" ]; then
  stop_service
  say "stopped"
  exit 0
fi
if [ "${1:-}" = "--restart" ]; then
  stop_service
fi
# catatonit: the init podman runs for containers started with Init (the tracer needs one).
if ! command -v podman >/dev/null 2>&1 || [ ! -x /usr/libexec/podman/catatonit ]; then
  say "installing podman, buildah and catatonit (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends podman buildah catatonit >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends podman buildah catatonit >/dev/null; } ||
    { say "apt-get install podman buildah failed"; exit 3; }
fi
mkdir -p "$STATE" "$RUN"
printf '[containers]\ndefault_ulimits = []\n' >"$CONF"

answers() { curl -fsS -o /dev/null --max-time 5 --unix-socket "$SOCK" http://d/_ping 2>/dev/null; }
if ! answers; then
  say "starting podman system service on $SOCK (log $LOG)"
  rm -f "$SOCK"
  nohup podman system service --time=0 "unix://$SOCK" >>"$LOG" 2>&1 &
  echo $! >"$RUN/service.pid"
  for _ in $(seq 1 60); do
    answers && break
    sleep 0.5
  done
  answers || { say "podman did not answer; the end of $LOG:"; tail -n 10 "$LOG" >&2; exit 3; }
fi
echo "unix://$SOCK"
