import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import techdocsBackend from '@backstage/plugin-techdocs-backend';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { techdocsModulePrebuild } from './techdocsPrebuild';

jest.setTimeout(120_000);

/**
 * The real TechDocs backend (local builder, Debian's mkdocs, local publisher)
 * and the real catalog, fed a component whose docs nobody has opened: after
 * the prebuild task runs, its search index is published, which is what the
 * TechDocs search collator fetches.
 */
describe('techdocsModulePrebuild', () => {
  let workDir: string;

  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'techdocs-prebuild-'));
    fs.cpSync(path.join(__dirname, '__fixtures__'), workDir, {
      recursive: true,
    });
  });

  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

  /**
   * The scheduler records the tasks instead of running them, so the test runs
   * the prebuild when the catalog is ready.
   */
  async function start(builder: string | undefined) {
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    const { server } = await startTestBackend({
      features: [
        catalogBackend,
        techdocsBackend,
        techdocsModulePrebuild,
        scheduler.factory,
        logger.factory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component'] }],
              locations: [
                { type: 'file', target: path.join(workDir, 'catalog.yaml') },
              ],
            },
            techdocs: {
              ...(builder === undefined ? {} : { builder }),
              generator: {
                runIn: 'local',
                mkdocs: { omitTechdocsCorePlugin: true },
              },
              publisher: {
                type: 'local',
                local: { publishDirectory: path.join(workDir, 'published') },
              },
            },
          },
        }),
      ],
    });
    const prebuild = scheduler.scheduleTask.mock.calls
      .map(([task]) => task)
      .find(task => task.id === 'techdocs-prebuild');
    return { server, prebuild, logger };
  }

  const searchIndex =
    '/api/techdocs/static/docs/default/component/handbook/search/search_index.json';

  it('publishes the docs of every entity with a techdocs-ref before anyone opens them', async () => {
    const { server, prebuild } = await start('local');
    const service = mockCredentials.service.header();

    for (let i = 0; ; i++) {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/handbook')
        .set('authorization', service);
      if (res.status === 200) break;
      if (i > 100) throw new Error('the catalog never processed the fixture');
      await new Promise(r => setTimeout(r, 200));
    }
    // Not built yet: nobody has opened the docs.
    expect(
      (await request(server).get(searchIndex).set('authorization', service))
        .status,
    ).toBe(404);

    expect(prebuild).toMatchObject({
      scope: 'global',
      frequency: { minutes: 30 },
    });
    await prebuild!.fn(new AbortController().signal);

    let index: any;
    for (let i = 0; !index; i++) {
      const res = await request(server)
        .get(searchIndex)
        .set('authorization', service);
      if (res.status === 200) index = JSON.parse(res.text);
      else if (i > 200) throw new Error('the docs were never published');
      else await new Promise(r => setTimeout(r, 250));
    }
    expect(index.docs.map((d: { title: string }) => d.title)).toContain(
      'Handbook',
    );
    expect(JSON.stringify(index.docs)).toContain(
      'How the prebuild makes this page searchable',
    );
  });

  const offMessages = (logger: { info: jest.MockInstance<void, any[]> }) =>
    logger.info.mock.calls
      .map(([message]) => String(message))
      .filter(message => message.startsWith('TechDocs prebuild off'));

  it('does nothing when CI publishes the docs (techdocs.builder external), and says why once', async () => {
    const { prebuild, logger } = await start('external');
    expect(prebuild).toBeUndefined();
    expect(offMessages(logger)).toEqual([
      "TechDocs prebuild off: techdocs.builder is 'external', so this backend builds no docs (CI publishes them and the portal only reads them)",
    ]);
  });

  // Failed before: the module ran only for an explicit 'local', while
  // TechDocs builds on first view when techdocs.builder is not set, so those
  // docs stayed out of search (and the log said CI published them).
  it('prebuilds when techdocs.builder is not set, as TechDocs then builds here', async () => {
    const { prebuild, logger } = await start(undefined);
    expect(prebuild).toMatchObject({
      id: 'techdocs-prebuild',
      scope: 'global',
    });
    expect(offMessages(logger)).toEqual([]);
  });
});
