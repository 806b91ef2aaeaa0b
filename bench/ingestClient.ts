/*
 * One sequential ingest client in its own process, as a CI job is: posts
 * the reports it reads from stdin (a JSON array) one per request, each after
 * the answer to the one before, over one keep-alive connection (node:http),
 * and prints `{"count":N,"seconds":S}`. A non-2xx answer ends it with the
 * status and body on stderr.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/ingestClient.ts <url> <authorization> < reports.json
 *
 * Started by bench/platform-deploy-http.ts, which measures the backend with
 * it: Node's fetch in the backend's own process spent about 0.5 ms of that
 * process's event loop per request on the client's side.
 */
import http from 'node:http';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main() {
  const [url, authorization] = process.argv.slice(2);
  const target = new URL(url);
  const bodies = (JSON.parse(await readStdin()) as unknown[]).map(r =>
    JSON.stringify(r),
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: {
            authorization,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode === 200) resolve();
            else {
              reject(
                new Error(
                  `${res.statusCode} ${Buffer.concat(chunks).toString('utf8')}`,
                ),
              );
            }
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const start = process.hrtime.bigint();
  for (const body of bodies) await post(body);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  process.stdout.write(JSON.stringify({ count: bodies.length, seconds }));
}

main().catch(error => {
  process.stderr.write(`${error}\n`);
  process.exit(1);
});
