/*
 * Redis for the backup jobs: the connection from REDIS_URL
 * (redis://[user:password@]host:port[/db], rediss:// for TLS) as redis-cli
 * arguments, the password in REDISCLI_AUTH (never on the command line, where
 * `ps` shows it), and commands whose error replies fail (`redis-cli -e`).
 */
const lib = require('./lib');

/** redis-cli's arguments and environment for a redis:// URL. */
function connection(url) {
  const parsed = new URL(url);
  if (!['redis:', 'rediss:'].includes(parsed.protocol)) {
    throw new Error(
      `REDIS_URL must be a redis:// or rediss:// URL, got ${parsed.protocol}`,
    );
  }
  const args = [
    '-h',
    parsed.hostname || '127.0.0.1',
    '-p',
    parsed.port || '6379',
  ];
  if (parsed.protocol === 'rediss:') args.push('--tls');
  if (parsed.username) args.push('--user', decodeURIComponent(parsed.username));
  const env = { ...process.env };
  if (parsed.password) env.REDISCLI_AUTH = decodeURIComponent(parsed.password);
  return { args, env };
}

/** Runs one command; an error reply rejects. Resolves with the reply, trimmed. */
async function cli(conn, command, options = {}) {
  const db = options.db === undefined ? [] : ['-n', String(options.db)];
  const out = await lib.run(
    'redis-cli',
    ['-e', '--no-auth-warning', ...conn.args, ...db, ...command],
    {
      env: conn.env,
    },
  );
  return out.trim();
}

/** `INFO <section>` as a map of its `key:value` lines. */
async function info(conn, section) {
  const fields = new Map();
  for (const line of (await cli(conn, ['INFO', section])).split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) fields.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return fields;
}

/** `db0=12, db9=3` from INFO keyspace (the keys of each database). */
async function keyspace(conn) {
  const parts = [];
  for (const [db, value] of await info(conn, 'keyspace')) {
    parts.push(`${db}=${/keys=(\d+)/.exec(value)?.[1] ?? '?'}`);
  }
  return parts.join(', ') || 'no keys';
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

module.exports = { connection, cli, info, keyspace, sleep };
