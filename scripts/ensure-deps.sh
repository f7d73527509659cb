#!/usr/bin/env bash
# Installs the npm dependencies from the lockfile when node_modules is missing
# or older than the lockfile. Idempotent and quiet when nothing is to do.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "slimstage: installing npm dependencies from the lockfile" >&2
  # `npm ci` is the first choice; npm 11 rejects a lockfile that lacks the
  # other platforms' optional binaries (biome's), which this machine's npm
  # config omits, so fall back to `npm install`, which keeps the locked versions.
  npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-audit --no-fund --loglevel=error
fi
if [ ! -f dist/cli/main.js ] || [ -n "$(find src -newer dist/cli/main.js \( -name '*.ts' -o -name wheelhouse.txt \) -print -quit 2>/dev/null)" ]; then
  echo "slimstage: compiling TypeScript (npm run build)" >&2
  npm run --silent build
fi
