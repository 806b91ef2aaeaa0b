#!/usr/bin/env bash
# Runs the portal on its embedded default: SQLite in memory, guest sign-in,
# the estate's catalog. Frontend on http://localhost:3000, backend on :7007.
set -euo pipefail
source "$(dirname "$0")/lib/toolchain.sh"

ensure_node
ensure_deps
ensure_ingest_token
ensure_apt mkdocs mkdocs mkdocs-material python3-pymdownx ||
  log "TechDocs pages will not build until mkdocs is installed; everything else runs"

log "Starting the portal: open http://localhost:3000 (backend on http://localhost:7007)"
cd "$ROOT"
exec yarn start "$@"
