/*
 * A FAKE Kubernetes API server: a local HTTP server that answers
 * `GET /apis/velero.io/v1/namespaces/<ns>/backups` with a BackupList in
 * Velero's documented format (velero.io/v1 Backup: metadata, status.phase,
 * startTimestamp, completionTimestamp, expiration, errors, warnings),
 * filtering by the `velero.io/schedule-name` label as the API server would,
 * and 401 with a `Status` body for a wrong bearer token. No real API server
 * runs here.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { VeleroBackup } from '../VeleroBackupSource';

/** A Backup object as the API server returns it. */
export function veleroBackup(
  name: string,
  schedule: string,
  phase: string,
  start: string,
  end?: string,
  extra: Partial<NonNullable<VeleroBackup['status']>> = {},
): VeleroBackup & { apiVersion: string; kind: string } {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: {
      name,
      uid: `uid-${name}`,
      creationTimestamp: start,
      labels: { 'velero.io/schedule-name': schedule },
    },
    status: {
      phase,
      startTimestamp: start,
      completionTimestamp: end,
      expiration: '2026-12-24T02:00:00Z',
      ...extra,
    },
  };
}

/** The running fake: its URL, the request paths it saw, and `close`. */
export interface FakeKubernetesApi {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Starts the fake on a free port, serving `backups` in `namespace`. */
export async function startFakeKubernetesApi(options: {
  token: string;
  backups: VeleroBackup[];
  namespace?: string;
}): Promise<FakeKubernetesApi> {
  const namespace = options.namespace ?? 'velero';
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url!);
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'Unauthorized',
          code: 401,
        }),
      );
      return;
    }
    const u = new URL(req.url!, 'http://fake');
    const match = /^\/apis\/velero\.io\/v1\/namespaces\/([^/]+)\/backups$/.exec(
      u.pathname,
    );
    if (!match) {
      res.writeHead(404);
      res.end();
      return;
    }
    const [key, value] = (u.searchParams.get('labelSelector') ?? '').split('=');
    const items = options.backups.filter(
      b =>
        match[1] === namespace && (!key || b.metadata.labels?.[key] === value),
    );
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        apiVersion: 'velero.io/v1',
        kind: 'BackupList',
        metadata: {},
        items,
      }),
    );
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise(r => server.close(() => r())),
  };
}
