#!/usr/bin/env bash
# Installs the npm dependencies from the lockfile when node_modules is missing
# or older than the lockfile. Idempotent and quiet when nothing is to do.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "slimstage: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f dist/cli/main.js ] || [ -n "$(find src -newer dist/cli/main.js -name '*.ts' -print -quit 2>/dev/null)" ]; then
  echo "slimstage: compiling TypeScript (npm run build)" >&2
  npm run --silent build
fi
