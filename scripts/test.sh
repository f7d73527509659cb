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
npm run --silent docs:check
mkdir -p test-artifacts
bash scripts/setup-chromium.sh
bash scripts/setup-compose.sh
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json || status=$?
# One plain closing line that any CI reader understands.
node -e '
const r = JSON.parse(require("fs").readFileSync("test-artifacts/vitest.json", "utf8"));
console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' || true
exit "$status"
