#!/usr/bin/env bash
# Runs the benchmarks with the project's Node and writes bench/RESULTS.md.
#   bash bench/run.sh                      # all
#   bash bench/run.sh platform-deploy-http # one (file name without .ts)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/toolchain.sh"
ensure_node
ensure_deps
cd "$ROOT"
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(platform-deploy platform-deploy-http backend-start backup-status readiness)
for b in "${benches[@]}"; do
  node --require @backstage/cli/config/nodeTransform.cjs "bench/$b.ts"
done
yarn prettier --write bench/RESULTS.md >/dev/null
