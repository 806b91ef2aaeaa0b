import { TestDatabases } from '@backstage/backend-test-utils';
import { testPostgresConnection } from '@platform-portal/backstage-plugin-platform-node/testUtils';
import { ImageScanStore, NewReport } from './ImageScanStore';

jest.setTimeout(60_000);

// fails in CI when PostgreSQL is missing, instead of a silent skip
testPostgresConnection();
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const report = (overrides: Partial<NewReport> = {}): NewReport => ({
  entityRef: 'component:default/chat-backend',
  version: 'main-abc1234',
  imageDigest: `sha256:${'a'.repeat(64)}`,
  contentSha256: 'c1',
  artifactName: 'chat-backend:main-abc1234',
  source: 'http:ci-chat-team',
  findings: Array.from({ length: 200 }, (_, i) => ({
    vulnerabilityId: `CVE-2024-${i}`,
    pkgName: 'libexpat1',
    installedVersion: '2.5.0-1',
    severity: i === 0 ? 'CRITICAL' : 'LOW',
    target: 'image (debian 12.5)',
  })),
  ...overrides,
});

describe.each(databases.eachSupportedId())('ImageScanStore on %s', id => {
  it('stores once, 409 on other content, and keeps first-seen across versions', async () => {
    const store = await ImageScanStore.fromKnex(await databases.init(id));
    expect(await store.storeReport(report())).toBe('stored');
    expect(await store.storeReport(report())).toBe('duplicate');
    await expect(
      store.storeReport(report({ contentSha256: 'c2' })),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(await store.countReports('component:default/chat-backend')).toBe(1);

    expect(await store.storeReport(report({ version: 'main-def5678' }))).toBe(
      'stored',
    );
    const latest = await store.latestReports('component:default/chat-backend', [
      'main-abc1234',
      'main-def5678',
    ]);
    const first = latest.get('main-abc1234')!;
    const second = latest.get('main-def5678')!;
    const findings = await store.findings(second);
    expect(findings).toHaveLength(200);
    expect(
      findings.find(f => f.vulnerabilityId === 'CVE-2024-0')?.firstSeenAt,
    ).toBe(first.receivedAt);
  });
});
