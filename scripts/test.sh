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
# Rootful Podman on its own socket (test/podman.engine.test.ts).
bash scripts/setup-podman.sh >/dev/null
npm run --silent typecheck
npm run --silent check
npm run --silent docs:check
mkdir -p test-artifacts
bash scripts/setup-chromium.sh
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json || status=$?
# One plain closing line that any CI reader understands.
node -e '
const r = JSON.parse(require("fs").readFileSync("test-artifacts/vitest.json", "utf8"));
console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' || true
exit "$status"
