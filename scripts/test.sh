#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh machine: npm
# dependencies, the engine, the local base images, then checks and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/setup-engine.sh
node bin/slimstage.js bases build
# A local registry on loopback with the images the registry:// tests read.
bash scripts/setup-registry.sh >/dev/null
# A second, remote dockerd in its own network namespace (test/remote-engine.engine.test.ts).
bash scripts/setup-remote-engine.sh >/dev/null
# Rootful Podman on its own socket (test/podman.engine.test.ts), a fresh service for each run.
bash scripts/setup-podman.sh --restart >/dev/null
npm run --silent typecheck
npm run --silent check
npm run --silent docs:check
mkdir -p test-artifacts
bash scripts/setup-test-deps.sh
bash scripts/setup-compose.sh
rm -f test-artifacts/vitest.json test-artifacts/summary.json
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json \
  --reporter=./test/summary-reporter.ts || status=$?
# test/summary-reporter.ts printed the closing line (failed tests, failed files
# and set-up errors all count; skipped tests named) and wrote its verdict.
node -e 'process.exit(JSON.parse(require("fs").readFileSync("test-artifacts/summary.json", "utf8")).ok ? 0 : 1)' ||
  { echo "Tests: the suite's summary says it failed, or there is none (the runner did not finish)"; status=1; }
exit "$status"
