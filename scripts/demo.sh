#!/usr/bin/env bash
# The README's main-job command: from a fresh clone on a fresh machine, set up
# what is needed (npm dependencies, the engine, the local bases) and run the
# main job on a built-in example: `slimstage lab lab-000` lints, builds the
# Flask hello lab's single- and multi-stage images, analyzes and verifies
# them, prints the table and a verdict on each of the lab's claims.
# Extra arguments go to `slimstage lab` (e.g. `--report lab-000.html`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/setup-engine.sh
node bin/slimstage.js bases build
exec node bin/slimstage.js lab lab-000 "$@"
