import fs from 'node:fs';
import yaml from 'yaml';
import { readTree } from '../__testUtils__/actions';
import { FakeGitHub } from '../__testUtils__/FakeGitHub';
import {
  dryRun,
  GITOPS_FIXTURE,
  PORTAL_URL,
  Server,
  startScaffolder,
  TEMPLATES_DIR,
} from '../__testUtils__/templateHarness';
import { HOSTILE_CORPUS_SHARDS } from '../__testUtils__/hostileCorpus';

jest.setTimeout(120_000);

const SERVICE = {
  owner: 'group:default/quote-team',
  system: 'system:default/quote',
  monorepo: 'github.com?owner=Memo-2023&repo=mana-monorepo',
  gitopsRepo: 'github.com?owner=Memo-2023&repo=mana-gitops',
};

describe('every template, through the real scaffolder dry run', () => {
  const github = new FakeGitHub();
  let server: Server;

  beforeAll(async () => {
    await github.start();
    // The GitOps repository rollback and promotion fetch their overlay from.
    github.createRepo('Memo-2023', 'mana-gitops', readTree(GITOPS_FIXTURE));
    server = await startScaffolder({ github });
  });
  afterAll(() => github.stop());

  it('covers the nine templates of the catalog location', () => {
    const location = yaml.parse(
      fs.readFileSync(`${TEMPLATES_DIR}/all.yaml`, 'utf8'),
    );
    expect(location.spec.targets).toHaveLength(9);
    for (const target of location.spec.targets) {
      const template = yaml.parse(
        fs.readFileSync(`${TEMPLATES_DIR}/${target}`, 'utf8'),
      );
      expect(template.kind).toBe('Template');
      expect(target).toBe(`./${template.metadata.name}/template.yaml`);
    }
  });

  it("the hostile corpus's shards cover every template of the location, once", () => {
    const location = yaml.parse(
      fs.readFileSync(`${TEMPLATES_DIR}/all.yaml`, 'utf8'),
    );
    const names = location.spec.targets.map((target: string) =>
      target.replace(/^\.\/|\/template\.yaml$/g, ''),
    );
    expect(Object.values(HOSTILE_CORPUS_SHARDS).flat().sort()).toEqual(
      names.sort(),
    );
  });

  it('every template that publishes checks its repositories on the server first, and takes no portal URL from the form', () => {
    const location = yaml.parse(
      fs.readFileSync(`${TEMPLATES_DIR}/all.yaml`, 'utf8'),
    );
    for (const target of location.spec.targets) {
      const template = yaml.parse(
        fs.readFileSync(`${TEMPLATES_DIR}/${target}`, 'utf8'),
      );
      const steps: any[] = template.spec.steps;
      const published = steps
        .filter(step => String(step.action).startsWith('publish:'))
        .map(step => step.input.repoUrl);
      const parameters = [template.spec.parameters].flat();
      expect({
        template: template.metadata.name,
        first: steps[0].action,
        checked: steps[0].input?.repoUrls,
        portalUrlParameter: parameters.some(p => p.properties?.portalUrl),
      }).toEqual({
        template: template.metadata.name,
        first: 'platform:repo:check',
        checked: expect.arrayContaining(published),
        portalUrlParameter: false,
      });
      expect(published.length).toBeGreaterThan(0);
    }
  });

  it('nestjs-service: the service, its workflow, its Terraform and its manifests', async () => {
    const { response, files, output } = await dryRun(server, 'nestjs-service', {
      ...SERVICE,
      name: 'quote-api',
      postgres: true,
      redis: true,
    });
    expect(response.status).toBe(200);
    const names = Object.keys(files);
    for (const file of [
      'monorepo/apps/quote-api/package.json',
      'monorepo/apps/quote-api/src/main.ts',
      'monorepo/apps/quote-api/Dockerfile',
      'monorepo/apps/quote-api/catalog-info.yaml',
      'monorepo/apps/quote-api/mkdocs.yml',
      'monorepo/apps/quote-api/docs/index.md',
      'monorepo/.github/workflows/quote-api.yml',
      'gitops/infra/staging/quote-api/postgres.tf',
      'gitops/infra/production/quote-api/redis.tf',
      'gitops/infra/production/quote-api/dns.tf',
      'gitops/infra/production/quote-api/namespace.tf',
      'gitops/apps/quote-api/base/deployment-blue.yaml',
      'gitops/apps/quote-api/overlays/production/kustomization.yaml',
      'gitops/clusters/staging/quote-api.yaml',
    ]) {
      expect(names).toContain(file);
    }
    expect(names).not.toContain(
      'monorepo/apps/quote-api/.github/workflows/ci.yml',
    );
    // Nothing left unrendered, nothing broken by the templating.
    for (const [file, content] of Object.entries(files)) {
      expect({ file, unrendered: /\$\{\{\s*values\./.test(content) }).toEqual({
        file,
        unrendered: false,
      });
    }
    const entity = yaml.parse(
      files['monorepo/apps/quote-api/catalog-info.yaml'],
    );
    expect(entity).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'quote-api',
        annotations: {
          'github.com/project-slug': 'Memo-2023/mana-monorepo',
          'platform-portal.dev/image': 'ghcr.io/memo-2023/quote-api',
          'platform-portal.dev/health-url.production':
            'https://quote-api.mana.how/health',
        },
      },
      spec: { type: 'service', owner: 'quote-team', system: 'quote' },
    });
    const workflow = yaml.parse(
      files['monorepo/.github/workflows/quote-api.yml'],
    );
    const report = workflow.jobs['deploy-staging'].steps.find((s: any) =>
      /report/i.test(s.name ?? ''),
    );
    expect(report.env.PLATFORM_INGEST_TOKEN).toBe(
      '${{ secrets.PLATFORM_INGEST_TOKEN }}',
    );
    // Where CI reports comes from the portal's config, not from the form.
    expect(report.env.PORTAL_API_URL).toBe(PORTAL_URL);
    expect(report.env.ENTITY_REF).toBe('component:default/quote-api');
    expect(report.run).toContain('/api/platform-deploy/v1/events');
    // Coverage (main only) and the image's Trivy report go with the same
    // credential, by its secret's name, to the same config-derived URL.
    const step = (job: string, name: RegExp) =>
      workflow.jobs[job].steps.find((s: any) => name.test(s.name ?? ''));
    const coverage = step('test', /report coverage/i);
    const scanned = step('image', /scan the image/i);
    const scan = step('image', /report the scan/i);
    for (const posted of [coverage, scan]) {
      expect(posted.env).toMatchObject({
        PLATFORM_INGEST_TOKEN: '${{ secrets.PLATFORM_INGEST_TOKEN }}',
        PORTAL_API_URL: PORTAL_URL,
        ENTITY_REF: 'component:default/quote-api',
      });
    }
    expect(coverage.if).toContain("github.ref == 'refs/heads/main'");
    expect(coverage.run).toContain(
      '/api/code-coverage/report?entity=$ENTITY_REF&coverageType=lcov',
    );
    expect(coverage.run).toContain('@coverage/lcov.info');
    expect(scanned.run).toContain('--format json');
    expect(scan.env.TAG).toBe('${{ steps.tag.outputs.tag }}');
    expect(scan.run).toContain(
      '/api/image-scans/v1/reports?entity=$ENTITY_REF&version=$TAG',
    );
    expect(output.links.map((l: any) => l.title)).toEqual([
      'Code pull request',
      'GitOps pull request',
      'Open in catalog',
    ]);
    // The cost model prices 0.5 CPU / 512 MiB on the CCX32.
    expect(output.text[0].content).toContain('$1.95 a month');
  });

  it.each([
    [
      'sveltekit-web',
      'quote-web',
      'website',
      'src/routes/health/+server.ts',
      '250m',
    ],
    [
      'astro-landing',
      'quote-landing',
      'landing',
      'src/pages/index.astro',
      '100m',
    ],
  ])(
    '%s: the app and its manifests',
    async (template, name, _kind, source, cpu) => {
      const { response, files } = await dryRun(server, template, {
        ...SERVICE,
        name,
      });
      expect(response.status).toBe(200);
      expect(files).toHaveProperty([`monorepo/apps/${name}/${source}`]);
      expect(files).toHaveProperty([`monorepo/apps/${name}/Dockerfile`]);
      expect(files).toHaveProperty([`monorepo/.github/workflows/${name}.yml`]);
      const deployment = yaml.parse(
        files[`gitops/apps/${name}/base/deployment-green.yaml`],
      );
      expect(
        deployment.spec.template.spec.containers[0].resources.limits.cpu,
      ).toBe(cpu);
      expect(Object.keys(files).some(f => f.endsWith('postgres.tf'))).toBe(
        false,
      );
    },
  );

  it('expo-mobile: the app only, no server manifests', async () => {
    const { response, files } = await dryRun(server, 'expo-mobile', {
      ...SERVICE,
      name: 'quote-mobile',
    });
    expect(response.status).toBe(200);
    expect(files).toHaveProperty(['monorepo/apps/quote-mobile/app.json']);
    expect(files).toHaveProperty(['monorepo/apps/quote-mobile/eas.json']);
    expect(Object.keys(files).some(f => f.startsWith('gitops/'))).toBe(false);
    expect(
      yaml.parse(files['monorepo/apps/quote-mobile/catalog-info.yaml']).spec
        .type,
    ).toBe('mobile-app');
  });

  it.each([
    [
      'postgres-database',
      { database: 'quote-analytics' },
      'infra/production/quote-stats/postgres.tf',
      'quote_analytics_production',
    ],
    [
      'redis-cache',
      { keyPrefix: 'stats' },
      'infra/staging/quote-stats/redis.tf',
      '"stats:*"',
    ],
    [
      's3-bucket',
      { corsOrigins: ['https://quote.mana.how'], retentionDays: 7 },
      'infra/production/quote-stats/bucket.tf',
      'days = 7',
    ],
  ])(
    '%s: Terraform for both environments',
    async (template, extra, file, expected) => {
      const { response, files, output } = await dryRun(server, template, {
        name: 'quote-stats',
        owner: SERVICE.owner,
        system: SERVICE.system,
        environments: ['staging', 'production'],
        gitopsRepo: SERVICE.gitopsRepo,
        ...extra,
      });
      expect(response.status).toBe(200);
      expect(files[file]).toContain(expected);
      expect(output.text[0].content).toContain(
        '### Infrastructure for quote-stats',
      );
    },
  );

  it('rollback-service: pins the version on the idle slot of the fetched overlay', async () => {
    const { response, files, output } = await dryRun(
      server,
      'rollback-service',
      {
        entityRef: 'component:default/quote-backend',
        environment: 'production',
        version: 'main-0ld0ld0',
        reason: 'errors after the last deploy',
        gitopsRepo: SERVICE.gitopsRepo,
      },
    );
    expect(response.status).toBe(200);
    const overlay = 'gitops/apps/quote-backend/overlays/production';
    expect(files[`${overlay}/kustomization.yaml`]).toContain(
      '  - name: quote-backend-green # the green slot\n    newName: ghcr.io/memo-2023/quote-backend\n    newTag: main-0ld0ld0\n',
    );
    expect(files[`${overlay}/live-slot.yaml`]).toContain(
      'platform-portal.dev/slot: green',
    );
    expect(output.text[0].content).toContain('traffic: **blue** → **green**');
  });

  it('promote-service: production gets the version staging runs', async () => {
    const { response, files } = await dryRun(server, 'promote-service', {
      entityRef: 'component:default/quote-backend',
      version: 'main-5ta6e00',
      gitopsRepo: SERVICE.gitopsRepo,
    });
    expect(response.status).toBe(200);
    expect(
      files['gitops/apps/quote-backend/overlays/production/compose.yml'],
    ).toContain('image: ghcr.io/memo-2023/quote-backend:main-5ta6e00');
  });

  it('a repository outside the allowed owners is a 403 before anything is rendered', async () => {
    const { response, files } = await dryRun(server, 'nestjs-service', {
      ...SERVICE,
      name: 'quote-api',
      gitopsRepo: 'github.com?owner=someone-else&repo=gitops',
    });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      'repoUrls[1]: someone-else/gitops is not a repository this portal publishes to; allowed are the owners Memo-2023 (platformPortal.scaffolder.allowedOwners) and no single repository (platformPortal.scaffolder.allowedRepos)',
    );
    expect(files).toEqual({});
  });

  it('a form value the template forbids is a 400 before anything runs', async () => {
    const { response } = await dryRun(server, 'nestjs-service', {
      ...SERVICE,
      name: '../../etc',
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('does not match pattern');
  });
});
