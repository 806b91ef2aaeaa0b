/*
 * FAKE: stands in for the tenants' code hosts. A local HTTP server whose
 * files a test sets; the real catalog reads a registered `url` location from
 * it through its real URL reader (`backend.reading.allow` names this host).
 */
import http from 'node:http';
import net from 'node:net';

export interface TenantRepos {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** host:port, for backend.reading.allow */
  readonly host: string;
  /** Serves `content` at `path` (e.g. `/mallory/quote-backend/catalog-info.yaml`). */
  set(path: string, content: string): string;
  close(): Promise<void>;
}

export async function startTenantRepos(): Promise<TenantRepos> {
  const files = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const body = files.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (body === undefined) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader('content-type', 'text/yaml');
    res.end(body);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    host: `127.0.0.1:${port}`,
    set(path, content) {
      files.set(path, content);
      return `${url}${path}`;
    },
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
