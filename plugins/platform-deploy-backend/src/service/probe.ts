import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/** What one probe found. */
export type ProbeResult = {
  /** 2xx or 3xx (redirects are not followed: a 3xx answers, it is up). */
  ok: boolean;
  statusCode?: number;
  latencyMs: number;
  /** Why the request failed: `TimeoutError`, `AbortError`, `ECONNREFUSED`, ... */
  error?: string;
  /**
   * Why the probe was not made at all: a URL that is not http(s), or an
   * address inside (loopback, private, link-local, ...) of a host that is not
   * allowlisted. A refused probe says nothing about the service's health.
   */
  refused?: string;
};

/** How the prober resolves names: `dns.lookup`'s signature; tests pass their own. */
export type Lookup = net.LookupFunction;

/** Hosts (`host` or `host:port`) that may be probed at any address. */
export type AllowedHosts = (url: URL) => boolean;

/** Refused by the address check (see {@link refusedAddress}). */
class RefusedAddressError extends Error {
  name = 'RefusedAddressError';
}

const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254']);

/**
 * Why an address may not be probed, or undefined when it may: only public
 * unicast addresses may. `ipaddr.js` names the ranges (RFC 6890 and
 * friends), IPv4-mapped IPv6 addresses count as their IPv4 address, so
 * loopback (127/8, ::1), private (RFC 1918, 100.64/10, unique-local fc00::/7),
 * link-local (169.254/16 with the cloud metadata address, fe80::/10),
 * unspecified (0.0.0.0, ::), multicast, broadcast, reserved and the
 * translation ranges (NAT64, 6to4, Teredo, which embed IPv4 addresses) are
 * all refused.
 */
export function refusedAddress(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return `${address} is not an IP address`;
  }
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  if (METADATA_ADDRESSES.has(parsed.toString())) {
    return `${address} is the cloud metadata address`;
  }
  return `${address} is a ${range} address`;
}

/**
 * The allowlist `platformDeploy.healthProbe.allowedHosts`: each entry is a
 * host (any port) or `host:port`; IPv6 literals in brackets (`[fd00::1]:8080`).
 * Names compare in lower case.
 */
export function parseAllowedHosts(entries: string[]): AllowedHosts {
  const rules = entries.map(raw => {
    const entry = raw.trim().toLocaleLowerCase('en-US');
    const withPort = /^(.+):(\d{1,5})$/.exec(entry);
    if (withPort && net.isIP(entry) !== 6) {
      return { host: stripBrackets(withPort[1]), port: withPort[2] };
    }
    if (!entry) {
      throw new Error('platformDeploy.healthProbe.allowedHosts: empty entry');
    }
    return { host: stripBrackets(entry), port: undefined };
  });
  return url => {
    const host = stripBrackets(url.hostname.toLocaleLowerCase('en-US'));
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return rules.some(r => r.host === host && (!r.port || r.port === port));
  };
}

function stripBrackets(host: string) {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * A lookup that resolves with `base` and refuses the connection when any
 * address of the name is refused: checked when the socket connects, after
 * DNS, so a public-looking name that resolves inside is caught, whatever the
 * URL said.
 */
function guardedLookup(base: Lookup): Lookup {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (error, result) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const addresses = (
        Array.isArray(result) ? result : [{ address: result, family: 4 }]
      ) as dns.LookupAddress[];
      for (const { address } of addresses) {
        const reason = refusedAddress(address);
        if (reason) {
          callback(
            new RefusedAddressError(`${hostname} resolves to ${reason}`),
            '',
            0,
          );
          return;
        }
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * One GET of a health URL with a timeout; 2xx and 3xx count as up. No
 * retries (the next cadence is the retry) and no redirects followed. Only
 * http(s), and only public addresses unless the host is in `allowedHosts`:
 * an IP literal is checked before connecting, a name after DNS, at connect
 * time (the request's own `lookup`). `signal` (the scheduled task's) aborts
 * a probe in flight.
 */
export async function probe(
  url: string,
  options: {
    timeoutMs: number;
    allowedHosts?: AllowedHosts;
    lookup?: Lookup;
    signal?: AbortSignal;
  },
): Promise<ProbeResult> {
  const started = Date.now();
  const refused = (reason: string): ProbeResult => ({
    ok: false,
    latencyMs: 0,
    refused: reason,
  });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return refused('not a URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return refused(`${target.protocol} is not http(s)`);
  }
  const allowed = options.allowedHosts?.(target) ?? false;
  const literal = stripBrackets(target.hostname);
  if (!allowed && net.isIP(literal)) {
    // an IP literal is connected to without a lookup: check it here
    const reason = refusedAddress(literal);
    if (reason) return refused(reason);
  }
  const base: Lookup = options.lookup ?? dns.lookup;
  const lookup = allowed ? base : guardedLookup(base);

  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([timeout, options.signal])
    : timeout;
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<ProbeResult>(resolve => {
    const request = client.request(
      target,
      {
        method: 'GET',
        lookup,
        signal,
        // one connection per probe, closed after it: no pooled socket to a
        // probed host outlives the check of its address
        agent: false,
        headers: { 'user-agent': 'platform-portal-health-probe' },
      },
      response => {
        const statusCode = response.statusCode ?? 0;
        response.destroy();
        resolve({
          ok: statusCode >= 200 && statusCode < 400,
          statusCode,
          latencyMs: Date.now() - started,
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof RefusedAddressError) {
        resolve(refused(error.message));
        return;
      }
      let name = error.code ?? error.name;
      if (timeout.aborted) name = 'TimeoutError';
      else if (signal.aborted) name = 'AbortError';
      resolve({ ok: false, latencyMs: Date.now() - started, error: name });
    });
    request.end();
  });
}
