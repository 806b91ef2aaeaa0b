import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { execFile } from 'node:child_process';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { platformDeployPlugin } from './plugin';

jest.setTimeout(30_000);

const script = path.resolve(__dirname, '../../../scripts/report-deploy');

/** The script CI calls, run for real against a real backend over HTTP. */
describe('scripts/report-deploy', () => {
  it('reports an event once, even when CI retries the step', async () => {
    const { server } = await startTestBackend({
      features: [
        platformDeployPlugin,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'chat-backend' },
              spec: {
                type: 'service',
                owner: 'chat-team',
                lifecycle: 'production',
              },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            // the mock service token's subject reports for chat-team's entities
            platformPortal: {
              ingest: {
                credentials: [
                  {
                    subject: 'external:test-service',
                    owners: ['group:default/chat-team'],
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    const port = (server.address() as AddressInfo).port;
    const env = {
      ...process.env,
      PLATFORM_URL: `http://localhost:${port}`,
      // What the test backend's mock auth accepts as a service token.
      PLATFORM_INGEST_TOKEN: mockCredentials.service.token(),
      GITHUB_RUN_ID: '1234',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_REPOSITORY: 'Memo-2023/mana-monorepo',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_ACTOR: 'alice',
      GITHUB_SHA: 'abc1234def5678',
    };
    const args = [
      '--entity',
      'component:default/chat-backend',
      '--environment',
      'production',
      '--version',
      'main-abc1234',
      '--status',
      'succeeded',
      '--color',
      'green',
    ];
    const run = promisify(execFile);
    const first = await run(process.execPath, [script, ...args], { env });
    expect(first.stdout).toContain('"stored":1');
    const retry = await run(process.execPath, [script, ...args], { env });
    expect(retry.stdout).toContain('"duplicates":1');

    const res = await request(server)
      .get('/api/platform-deploy/v1/entities/component/default/chat-backend')
      .set('authorization', mockCredentials.user.header());
    expect(res.body.totalHistory).toBe(1);
    expect(res.body.states.production).toMatchObject({
      version: 'main-abc1234',
      liveColor: 'green',
      deployedBy: 'alice',
      runUrl: 'https://github.com/Memo-2023/mana-monorepo/actions/runs/1234',
    });

    await expect(
      run(process.execPath, [script, ...args, '--environment', 'qa'], { env }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('environment') });
  });
});
