#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh machine: npm
# dependencies, the engine, the local base images, then checks and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/setup-engine.sh
node bin/slimstage.js bases build
npm run --silent typecheck
npm run --silent check
npx vitest run
