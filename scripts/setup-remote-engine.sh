#!/usr/bin/env bash
# A second, "remote" dockerd for the tests: in its own network namespace, with
# its own data root, exec root and sockets, reached over tcp on the
# namespace's address, so that its containers are not routable from here (as
# with a remote engine or Docker Desktop). Idempotent: running, fine.
#   bash scripts/setup-remote-engine.sh          start it (and load the bases the tests need); prints DOCKER_HOST
#   bash scripts/setup-remote-engine.sh --stop   stop it, remove route, veth and namespace
# Exit codes: 0 ready (or stopped), 3 not root / dockerd did not come up.
set -euo pipefail
say() { printf 'setup-remote-engine: %s\n' "$*" >&2; }
NS=slimstage-remote
HOST_IF=ss-remote-h
NS_IF=ss-remote-n
HOST_ADDR=10.251.77.1
NS_ADDR=10.251.77.2
PORT=2375
# The namespace's bridge and the pool its networks come from; the host routes
# this range nowhere ("unreachable"), so nothing aimed at one of its
# containers can leave the machine through the default route.
BIP=172.31.250.1/24
POOL=172.31.240.0/20
STATE=/var/lib/slimstage-remote
RUN=/var/run/slimstage-remote
LOG=$STATE/dockerd.log
export DOCKER_HOST_REMOTE="tcp://$NS_ADDR:$PORT"
# Bases the remote tests use (moved with docker save | docker load: no registry here).
BASES=(slimstage/debian:bookworm-slim debian:bookworm-slim slimstage/python:3.11-slim python:3.11-slim)

# slimstage serves its offline Python package index on the host's 127.0.0.1:3141, and
# builds that pip-install run with --network host: on this engine, host is the
# namespace, so a tunnel carries the namespace's 127.0.0.1:3141 to the host's
# (what `ssh -R 3141:127.0.0.1:3141` does for a real remote engine). optimize's
# per-run index is pinned to the second port with SLIMSTAGE_RUN_INDEX_PORT.
INDEX_PORTS=(3141 3142)

if [ "$(id -u)" != 0 ]; then
  say "this needs root (network namespace, dockerd); nothing was changed"
  exit 3
fi
if ! command -v socat >/dev/null 2>&1; then
  say "installing socat (apt-get), for the package index tunnel"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends socat >/dev/null 2>&1 ||
    { say "apt-get install socat failed"; exit 3; }
fi

# Running, and not a zombie (a zombie holds its pid until reaped, and dockerd refuses its pidfile then).
alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }

FWD=FORWARD
iptables -S DOCKER-USER >/dev/null 2>&1 && FWD=DOCKER-USER

stop() {
  if [ -f "$RUN/dockerd.pid" ] && kill -0 "$(cat "$RUN/dockerd.pid")" 2>/dev/null; then
    pid=$(cat "$RUN/dockerd.pid")
    say "stopping dockerd $pid"
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  for f in "$RUN"/tunnel-*.pid; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  ip route del unreachable "$POOL" 2>/dev/null || true
  iptables -t nat -D POSTROUTING -s "$HOST_ADDR/30" ! -d "$HOST_ADDR/30" -j MASQUERADE 2>/dev/null || true
  iptables -D "$FWD" -i "$HOST_IF" -j ACCEPT 2>/dev/null || true
  iptables -D "$FWD" -o "$HOST_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT 2>/dev/null || true
  ip link del "$HOST_IF" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  # Its mounts (overlay, netns) under the exec root must go before the directory can.
  grep -o " $RUN[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
}
if [ "${1:-}" = "--stop" ]; then
  stop
  say "stopped; $STATE (images, log) kept"
  exit 0
fi

answers() { DOCKER_HOST=$DOCKER_HOST_REMOTE timeout 10 /usr/bin/docker info >/dev/null 2>&1; }
if ! ip netns exec "$NS" ip addr show "$NS_IF" 2>/dev/null | grep -q "$NS_ADDR"; then
  # Leftovers of a half-made namespace: start clean.
  stop
  say "creating network namespace $NS ($HOST_ADDR <-> $NS_ADDR)"
  ip netns add "$NS"
  ip link add "$HOST_IF" type veth peer name "$NS_IF"
  ip link set "$NS_IF" netns "$NS"
  ip addr add "$HOST_ADDR/30" dev "$HOST_IF"
  ip link set "$HOST_IF" up
  ip netns exec "$NS" ip addr add "$NS_ADDR/30" dev "$NS_IF"
  ip netns exec "$NS" ip link set "$NS_IF" up
  ip netns exec "$NS" ip link set lo up
  ip netns exec "$NS" ip route add default via "$HOST_ADDR"
  ip route add unreachable "$POOL"
  # Its builds reach Debian's mirror and the npm registry as the host's do: masqueraded behind the host.
  iptables -t nat -A POSTROUTING -s "$HOST_ADDR/30" ! -d "$HOST_ADDR/30" -j MASQUERADE
  # The local dockerd sets FORWARD's policy to DROP; DOCKER-USER is where it lets others add rules.
  iptables -I "$FWD" -i "$HOST_IF" -j ACCEPT
  iptables -I "$FWD" -o "$HOST_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
fi
if ! answers; then
  mkdir -p "$STATE/data" "$RUN"
  # A dockerd that died (killed, crashed) leaves its pidfile; the namespace and its containers' shims stay.
  # A dockerd that was just killed may still be on its way out (or a zombie, which kill -0
  # still finds): wait for it to go, then its stale pidfile can be removed.
  for _ in $(seq 1 30); do
    [ -f "$RUN/dockerd.pid" ] && alive "$(cat "$RUN/dockerd.pid")" || break
    sleep 1
  done
  if [ -f "$RUN/dockerd.pid" ] && ! alive "$(cat "$RUN/dockerd.pid")"; then rm -f "$RUN/dockerd.pid"; fi
  say "starting dockerd in $NS on tcp://$NS_ADDR:$PORT (log $LOG)"
  # nsenter, not `ip netns exec`: that remounts /sys and dockerd then finds no devices cgroup.
  nohup nsenter --net=/var/run/netns/"$NS" dockerd \
    --data-root "$STATE/data" --exec-root "$RUN/exec" --pidfile "$RUN/dockerd.pid" \
    -H "tcp://$NS_ADDR:$PORT" -H "unix://$RUN/docker.sock" \
    --bip "$BIP" --default-address-pool "base=$POOL,size=24" \
    >>"$LOG" 2>&1 &
  for i in $(seq 1 60); do
    if answers; then
      say "dockerd is up (after ${i} s)"
      break
    fi
    sleep 1
  done
  answers || { say "dockerd did not answer within 60 s; the end of $LOG:"; tail -n 15 "$LOG" >&2; exit 3; }
fi

tunnel() { # NAME, then socat's arguments
  local name=$1
  shift
  if [ -f "$RUN/tunnel-$name.pid" ] && kill -0 "$(cat "$RUN/tunnel-$name.pid")" 2>/dev/null; then return; fi
  nohup "$@" >>"$STATE/tunnel-$name.log" 2>&1 &
  echo $! >"$RUN/tunnel-$name.pid"
}
for INDEX_PORT in "${INDEX_PORTS[@]}"; do
  tunnel "host-$INDEX_PORT" socat "TCP-LISTEN:$INDEX_PORT,bind=$HOST_ADDR,reuseaddr,fork" "TCP:127.0.0.1:$INDEX_PORT"
  tunnel "ns-$INDEX_PORT" nsenter --net=/var/run/netns/"$NS" socat "TCP-LISTEN:$INDEX_PORT,bind=127.0.0.1,reuseaddr,fork" "TCP:$HOST_ADDR:$INDEX_PORT"
done

load=()
for img in "${BASES[@]}"; do
  want=$(DOCKER_HOST=unix:///var/run/docker.sock docker image inspect --format '{{.Id}}' "$img" 2>/dev/null) ||
    { say "the local engine has no $img (run slimstage bases build)"; exit 3; }
  have=$(DOCKER_HOST=$DOCKER_HOST_REMOTE /usr/bin/docker image inspect --format '{{.Id}}' "$img" 2>/dev/null || true)
  [ "$want" = "$have" ] || load+=("$img")
done
if [ "${#load[@]}" -gt 0 ]; then
  say "loading ${load[*]} into the remote engine (docker save | docker load)"
  DOCKER_HOST=unix:///var/run/docker.sock docker save "${load[@]}" | DOCKER_HOST=$DOCKER_HOST_REMOTE /usr/bin/docker load >/dev/null
fi
echo "$DOCKER_HOST_REMOTE"
