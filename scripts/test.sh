#!/usr/bin/env bash
# Runs every test: type check, lint, unit and integration tests (Jest, on
# SQLite and on the local PostgreSQL), and the browser tests (Playwright with
# Debian's Chromium against the portal started by the test). Ends with one
# summary line over all runners.
set -uo pipefail
source "$(dirname "$0")/lib/toolchain.sh"

set -e
ensure_node
ensure_deps
ensure_ingest_token
ensure_apt "${CHROMIUM_PATH:-/usr/bin/chromium}" chromium fonts-liberation
ensure_apt mkdocs mkdocs mkdocs-material python3-pymdownx
# promtool checks and unit-tests the alert rules (deploy/monitoring); the
# health plugin's integration test starts real Prometheus and Alertmanager.
ensure_apt promtool prometheus
ensure_apt prometheus-alertmanager prometheus-alertmanager
# Compose validates the rendered compose.yml files (the scaffolder module's tests).
ensure_apt docker-compose docker-compose
ensure_postgres
ensure_redis
set +e

cd "$ROOT"
REPORTS="$ROOT/.tools/reports"
rm -rf "$REPORTS" && mkdir -p "$REPORTS"

# Database tests run on SQLite and, through
# BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (ensure_postgres), on a
# real PostgreSQL; with CI set, a test file that finds no PostgreSQL fails.
export CI="${CI:-true}"

failed=()
timings=("setup $((SECONDS))s")
stage() {
  local name="$1"
  shift
  local started=$SECONDS
  log "$name: $*"
  if ! "$@"; then
    failed+=("$name")
  fi
  log "$name took $((SECONDS - started))s"
  timings+=("$name $((SECONDS - started))s")
}

stage typecheck yarn tsc:full
# The adoption stage packs our plugins from the declarations this stage emits
# (dist-types); when it passed, they are current and need no second tsc.
[[ " ${failed[*]} " == *" typecheck "* ]] || export PACK_DIST_TYPES_CURRENT=1
# API reports of the plugin packages (plugins/*/report*.api.md) must match the
# declarations the typecheck just emitted (a full, non-incremental build: the
# order TypeScript prints union members in depends on it); the file-type
# message is omitted as upstream does (see README).
stage api-reports yarn backstage-repo-tools api-reports -o ae-wrong-input-file-type 'plugins/*' --ci
stage lint yarn backstage-cli repo lint
stage prettier yarn prettier --check .
# Jest's default is one worker per core but one (on 2 cores: a single worker,
# every file in turn); most of our files wait on backends, databases and child
# processes rather than compute, so two workers per core finish sooner
# (measured in the README). JEST_WORKERS overrides.
stage unit yarn backstage-cli repo test --ci --maxWorkers="${JEST_WORKERS:-$(($(nproc) * 2))}" --json --outputFile="$REPORTS/jest.json"
# The portal's image (scripts/image/): built with Podman and run as
# deploy/kubernetes runs it. Where Podman is missing and cannot be installed
# (not root), the stage says what is missing and is skipped.
image_tests() {
  source "$ROOT/scripts/image/lib.sh"
  if ! ensure_podman; then
    log "image stage skipped: Podman, runc and debootstrap are needed (above)"
    return 0
  fi
  ensure_base_image && build_portal_image || return 1
  timings+=("(image built in ${IMAGE_BUILD_SECONDS}s, $((IMAGE_SIZE / 1000000)) MB)")
  yarn playwright test -c playwright.image.config.ts
}
stage image image_tests
# Browser tests against the app's production build, which the backend serves
# (E2E_APP=dist, playwright.config.ts): a page loads in seconds, where the
# development server's bundle took a minute or more to parse on 2 cores.
browser_tests() {
  yarn workspace app build >"$REPORTS/app-build.log" 2>&1 ||
    { tail -40 "$REPORTS/app-build.log"; return 1; }
  E2E_APP=dist yarn playwright test
}
stage browser browser_tests
# Adoption: fresh create-app apps (default and --legacy) with our packed plugins
# installed as their READMEs say (scripts/adopt/).
stage adopt yarn playwright test -c playwright.adopt.config.ts

log "stage times: ${timings[*]}; total $((SECONDS))s"
node scripts/lib/summary.js "$REPORTS" "${failed[@]}"
