#!/usr/bin/env bash
# The README's main-job command: from a fresh clone on a fresh machine, set up
# what is needed (npm dependencies, the engine, the local bases) and run the
# main job on a built-in example.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/setup-engine.sh
node bin/slimstage.js bases build
exec node bin/slimstage.js doctor "$@"
