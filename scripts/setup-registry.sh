#!/usr/bin/env bash
# A local registry for the registry:// tests: Debian's docker-registry (the
# distribution registry 2.8) on 127.0.0.1:PORT with its own root, started by
# hand (the package's service stays off), plus the images the tests read,
# pushed from the engine. Idempotent: installed, running, pushed: fine.
# Prints the registry's address (127.0.0.1:PORT) on stdout.
# Exit codes: 0 ready, 3 not root / install failed / the registry did not come up.
set -euo pipefail
say() { printf 'setup-registry: %s\n' "$*" >&2; }
PORT=${SLIMSTAGE_TEST_REGISTRY_PORT:-5015}
ROOT=${SLIMSTAGE_TEST_REGISTRY_ROOT:-/var/lib/slimstage-test-registry}
ADDR="127.0.0.1:$PORT"
# The engine's images the tests compare with their registry copies (registry name: slimstage-test/NAME).
IMAGES=(debian:bookworm-slim)

if [ "$(id -u)" != 0 ]; then
  say "this needs root (apt-get, a root-owned registry directory); nothing was changed"
  exit 3
fi
missing=()
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } ||
    { say "apt-get install ${missing[*]} failed"; exit 3; }
fi

answers() { curl -fsS -o /dev/null --max-time 3 "http://$ADDR/v2/" 2>/dev/null; }
if answers; then
  say "the registry already answers on $ADDR"
else
  mkdir -p "$ROOT/data"
  cat >"$ROOT/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $ROOT/data
  delete:
    enabled: true
http:
  addr: $ADDR
EOF
  say "starting docker-registry on $ADDR (root $ROOT, log $ROOT/registry.log)"
  nohup docker-registry serve "$ROOT/config.yml" >>"$ROOT/registry.log" 2>&1 &
  echo $! >"$ROOT/registry.pid"
  for _ in $(seq 1 30); do
    answers && break
    sleep 0.5
  done
  answers || { say "the registry did not answer; the end of $ROOT/registry.log:"; tail -n 10 "$ROOT/registry.log" >&2; exit 3; }
fi

# Push what the tests read, once per image id (the engine's 127.0.0.0/8 registries are insecure by default).
for img in "${IMAGES[@]}"; do
  remote="$ADDR/slimstage-test/$img"
  id=$(docker image inspect --format '{{.Id}}' "$img" 2>/dev/null) || { say "the engine has no $img (run slimstage bases build)"; exit 3; }
  stamp="$ROOT/pushed-$(printf '%s' "$img" | tr '/:' '__')"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$id" ] && curl -fsS -o /dev/null --max-time 5 \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$ADDR/v2/slimstage-test/${img%%:*}/manifests/${img#*:}"; then
    continue
  fi
  say "pushing $img to $remote"
  docker tag "$img" "$remote"
  # The temporary tag goes again whatever happens; the image itself stays.
  if ! docker push "$remote" >/dev/null; then
    docker rmi "$remote" >/dev/null 2>&1 || true
    say "docker push $remote failed"
    exit 3
  fi
  docker rmi "$remote" >/dev/null
  printf '%s' "$id" >"$stamp"
done
echo "$ADDR"
