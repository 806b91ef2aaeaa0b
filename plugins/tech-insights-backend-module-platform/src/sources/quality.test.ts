import { createQualityFactSource, toQualityFacts } from './quality';
import { PluginClient } from './pluginClient';

const coverage = {
  entityRef: 'component:default/chat-backend',
  lineCoverage: 84,
  branchCoverage: 70,
  criticalPathsCoverage: 95,
  criticalPathFiles: 2,
  reportedAt: '2026-12-01T10:00:00.000Z',
  demo: false,
};
const scans = {
  entityRef: 'component:default/chat-backend',
  productionVersion: '1.4.2',
  scanned: true,
  critical: 1,
  high: 3,
  highOlderThan: 2,
  oldestHighDays: 41,
  demo: false,
};
const options = { highOlderThanDays: 30, productionEnvironment: 'production' };

describe('toQualityFacts', () => {
  it('takes the coverage and the production scan figures, with notes on what fails', () => {
    expect(toQualityFacts(coverage, scans, options)).toEqual({
      applicable: true,
      lineCoverage: 84,
      branchCoverage: 70,
      criticalPathsCoverage: 95,
      productionCriticalVulns: 1,
      highOlderThanDays: 2,
      notes: {
        criticalPathsCoverage: '95 % of critical-path lines, target 100 %',
        productionCriticalVulns: '1 CRITICAL in production version 1.4.2',
        highOlderThanDays:
          '2 HIGH open in production for more than 30 days (oldest 41 days)',
      },
    });
  });

  it('has no data (null) for what was never reported, and says why', () => {
    const facts = toQualityFacts(
      undefined,
      { ...scans, scanned: false, critical: 0, high: 0, highOlderThan: 0 },
      options,
    );
    expect(facts).toMatchObject({
      lineCoverage: null,
      criticalPathsCoverage: null,
      productionCriticalVulns: null,
      highOlderThanDays: null,
    });
    expect(facts.notes).toMatchObject({
      lineCoverage: 'no coverage report (scripts/report-coverage)',
      productionCriticalVulns:
        'production version 1.4.2 was never scanned (scripts/report-scan)',
    });
  });

  it('names the missing annotation and globs matching no file', () => {
    expect(
      toQualityFacts(
        { ...coverage, criticalPathsCoverage: null },
        scans,
        options,
      ).notes?.criticalPathsCoverage,
    ).toBe('no platform-portal.dev/critical-paths annotation');
    const none = toQualityFacts(
      { ...coverage, criticalPathsCoverage: 0, criticalPathFiles: 0 },
      scans,
      options,
    );
    expect(none.criticalPathsCoverage).toBeNull();
    expect(none.notes?.criticalPathsCoverage).toBe(
      'no file of the latest report matches the critical-path globs',
    );
  });
});

describe('createQualityFactSource', () => {
  it('reads each backend once per run and merges by entity', async () => {
    // FAKE of the two backends' JSON (their real endpoints are tested in
    // their own packages: image-scans-backend, packages/backend's module)
    const calls: string[] = [];
    const client: PluginClient = {
      async getJson<T>(pluginId: string, path: string): Promise<T> {
        calls.push(`${pluginId}${path}`);
        if (pluginId === 'code-coverage') return { items: [coverage] } as T;
        return {
          productionEnvironment: 'production',
          highOlderThanDays: 14,
          items: [
            scans,
            { ...scans, entityRef: 'component:default/web', critical: 0 },
          ],
        } as T;
      },
    };
    const source = createQualityFactSource({ client, highOlderThanDays: 14 });
    const facts = await source.read({ logger: {} as any });
    expect(calls).toEqual([
      'code-coverage/platform/v1/entity-facts',
      'image-scans/v1/entity-facts?highOlderThanDays=14',
    ]);
    expect([...facts.keys()].sort()).toEqual([
      'component:default/chat-backend',
      'component:default/web',
    ]);
    expect(facts.get('component:default/web')).toMatchObject({
      lineCoverage: null,
      productionCriticalVulns: 0,
    });
  });
});
