/*
 * TechDocs in production: CI builds and publishes each entity's site to an
 * S3 bucket, the portal only reads it. The portal's techdocs config is the
 * one app-config.yaml + app-config.production.yaml load to (the real config
 * loader, the bucket's keys from secret files); the bucket is a real
 * S3-compatible server (s3rver); CI's publish is the TechDocs publisher that
 * `techdocs-cli publish --publisher-type awsS3` runs.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';
import catalogBackend from '@backstage/plugin-catalog-backend';
import techdocsBackend from '@backstage/plugin-techdocs-backend';
import { Publisher } from '@backstage/plugin-techdocs-node';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { techdocsModulePrebuild } from '../modules/techdocsPrebuild';
import {
  productionEnv,
  productionFiles,
  writeProductionSecrets,
} from './__testUtils__/productionSecrets';

// s3rver ships without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

jest.setTimeout(120_000);

const repoRoot = path.resolve(__dirname, '../../../..');
const BUCKET = 'platform-portal-techdocs';
/** s3rver accepts only these keys. */
const KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(d => d.isFile())
    .map(d => path.join(d.parentPath, d.name));
}

describe('production TechDocs', () => {
  let workDir: string;
  let secretsDir: string;
  let s3: any;
  let endpoint: string;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'techdocs-production-'));
    fs.cpSync(path.join(__dirname, '../modules/__fixtures__'), workDir, {
      recursive: true,
    });
    s3 = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: path.join(workDir, 's3'),
      configureBuckets: [{ name: BUCKET }],
    });
    const address: AddressInfo = await s3.run();
    endpoint = `http://127.0.0.1:${address.port}`;
    secretsDir = writeProductionSecrets({
      'techdocs-s3-access-key-id': KEYS.accessKeyId,
      'techdocs-s3-secret-access-key': KEYS.secretAccessKey,
    });
  });

  afterAll(async () => {
    await s3?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
    fs.rmSync(secretsDir, { recursive: true, force: true });
  });

  async function productionTechdocsConfig() {
    const env: Record<string, string> = {
      ...productionEnv,
      PORTAL_SECRETS_DIR: secretsDir,
      TECHDOCS_S3_BUCKET: BUCKET,
      TECHDOCS_S3_REGION: 'us-east-1',
      TECHDOCS_S3_ENDPOINT: endpoint,
      // s3rver on an IP address has no bucket host names
      TECHDOCS_S3_FORCE_PATH_STYLE: 'true',
    };
    const { appConfigs } = await loadConfig({
      configRoot: repoRoot,
      configTargets: productionFiles.map(f => ({
        path: path.join(repoRoot, f),
      })),
      experimentalEnvFunc: async name => env[name],
    });
    return ConfigReader.fromConfigs(appConfigs).getConfig('techdocs');
  }

  it('reads the sites CI publishes to the bucket, and never builds one', async () => {
    const techdocs = await productionTechdocsConfig();
    expect(techdocs.getString('builder')).toBe('external');
    expect(techdocs.getString('publisher.type')).toBe('awsS3');
    // the keys came from the secret files
    expect(
      techdocs.getString('publisher.awsS3.credentials.secretAccessKey'),
    ).toBe(KEYS.secretAccessKey);

    const scheduler = mockServices.scheduler.mock();
    const { server } = await startTestBackend({
      features: [
        catalogBackend,
        techdocsBackend,
        techdocsModulePrebuild,
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component'] }],
              locations: [
                { type: 'file', target: path.join(workDir, 'catalog.yaml') },
              ],
            },
            techdocs: techdocs.get(),
          },
        }),
      ],
    });
    const service = mockCredentials.service.header();
    for (let i = 0; ; i++) {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/handbook')
        .set('authorization', service);
      if (res.status === 200) break;
      if (i > 100) throw new Error('the catalog never processed the fixture');
      await new Promise(r => setTimeout(r, 200));
    }
    const page =
      '/api/techdocs/static/docs/default/component/handbook/index.html';

    // Nothing published yet: the portal does not build on view or on sync,
    // and the prebuild module schedules nothing.
    expect(
      (await request(server).get(page).set('authorization', service)).status,
    ).toBe(404);
    const sync = await request(server)
      .get('/api/techdocs/sync/default/component/handbook')
      .set('authorization', service);
    expect(sync.text).toContain('event: finish\ndata: {"updated":false}');
    expect(
      scheduler.scheduleTask.mock.calls.map(([task]) => task.id),
    ).not.toContain('techdocs-prebuild');
    const objectsBefore = listFiles(path.join(workDir, 's3', BUCKET));
    expect(objectsBefore).toEqual([]);

    // CI: `techdocs-cli publish --publisher-type awsS3 --storage-name <bucket>
    // --awsEndpoint <endpoint> --awsS3ForcePathStyle --entity
    // default/Component/handbook --directory site`, with its own (write) keys.
    const site = path.join(workDir, 'site');
    fs.mkdirSync(path.join(site, 'search'), { recursive: true });
    fs.writeFileSync(
      path.join(site, 'index.html'),
      '<html><body><h1>Handbook</h1><p>Published by CI</p></body></html>',
    );
    fs.writeFileSync(
      path.join(site, 'techdocs_metadata.json'),
      JSON.stringify({
        site_name: 'Handbook',
        site_description: '',
        etag: 'ci-build-1',
        build_timestamp: Date.now(),
        files: ['index.html'],
      }),
    );
    fs.writeFileSync(
      path.join(site, 'search/search_index.json'),
      JSON.stringify({ docs: [{ location: '', title: 'Handbook', text: '' }] }),
    );
    const ci = await Publisher.fromConfig(
      new ConfigReader({
        techdocs: {
          publisher: {
            type: 'awsS3',
            awsS3: {
              bucketName: BUCKET,
              region: 'us-east-1',
              endpoint,
              s3ForcePathStyle: true,
              credentials: KEYS,
            },
          },
        },
      }),
      {
        logger: mockServices.logger.mock(),
        discovery: mockServices.discovery(),
      },
    );
    await ci.publish({
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'handbook', namespace: 'default' },
      },
      directory: site,
    });

    const res = await request(server).get(page).set('authorization', service);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Published by CI');
    const metadata = await request(server)
      .get('/api/techdocs/metadata/techdocs/default/component/handbook')
      .set('authorization', service);
    expect(metadata.body).toMatchObject({ etag: 'ci-build-1' });

    // Reading and syncing again writes nothing to the bucket.
    const objectsAfterPublish = listFiles(path.join(workDir, 's3', BUCKET));
    expect(objectsAfterPublish.length).toBeGreaterThanOrEqual(3);
    await request(server)
      .get('/api/techdocs/sync/default/component/handbook')
      .set('authorization', service);
    expect(listFiles(path.join(workDir, 's3', BUCKET))).toEqual(
      objectsAfterPublish,
    );
  });
});
