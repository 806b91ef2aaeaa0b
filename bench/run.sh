#!/usr/bin/env bash
# Runs the benchmarks with the project's Node and writes bench/RESULTS.md.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/toolchain.sh"
ensure_node
ensure_deps
cd "$ROOT"
node --require @backstage/cli/config/nodeTransform.cjs bench/platform-deploy.ts
