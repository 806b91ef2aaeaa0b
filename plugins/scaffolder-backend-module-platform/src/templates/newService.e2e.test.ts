import { mockCredentials } from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { FakeGitHub } from '../__testUtils__/FakeGitHub';
import {
  ALICE,
  formDefaults,
  loadTemplate,
  Server,
  startScaffolder,
  TEMPLATES_DIR,
} from '../__testUtils__/templateHarness';
import { waitFor } from '../__testUtils__/waitFor';

jest.setTimeout(180_000);

/**
 * The nestjs-service template run for real, end to end: the real scaffolder
 * takes it from the real catalog (registered from templates/all.yaml as in
 * app-config.yaml), renders the skeleton, the Terraform and the manifests,
 * opens two pull requests on the FAKE GitHub (REST API as documented,
 * backed by real git repositories) and registers the new component, which
 * the catalog reads back from the pull request's branch.
 */
describe('a new service from the nestjs-service template', () => {
  const github = new FakeGitHub();
  let server: Server;

  beforeAll(async () => {
    await github.start();
    github.createRepo('Memo-2023', 'mana-monorepo', {
      'README.md': '# mana monorepo\n',
      'apps/chat-backend/package.json': '{ "name": "chat-backend" }\n',
    });
    github.createRepo('Memo-2023', 'mana-gitops', {
      'README.md': '# GitOps\n',
      'infra/production/chat-backend/versions.tf': '# existing\n',
    });
    server = await startScaffolder({
      github,
      extraFeatures: [catalogBackend, scaffolderEntityModel],
      config: {
        catalog: {
          rules: [{ allow: ['Component', 'Template', 'Location'] }],
          locations: [
            {
              type: 'file',
              target: path.join(TEMPLATES_DIR, 'all.yaml'),
              rules: [{ allow: ['Template', 'Location'] }],
            },
          ],
        },
      },
    });
  });
  afterAll(() => github.stop());

  const api = (method: 'get' | 'post', url: string) =>
    request(server)
      [method](url)
      .set('authorization', mockCredentials.user.header(ALICE));

  beforeAll(async () => {
    // The catalog ingests the template location in the background.
    let status = 0;
    await waitFor(
      'the catalog to hold template:default/nestjs-service',
      async () => {
        status = (
          await api(
            'get',
            '/api/catalog/entities/by-name/template/default/nestjs-service',
          )
        ).status;
        return status === 200 ? true : undefined;
      },
      { lastSeen: () => `HTTP ${status}` },
    );
  });

  it('opens both pull requests and registers the component', async () => {
    const values = {
      ...formDefaults(loadTemplate('nestjs-service')),
      name: 'quote-api',
      description: 'Quotes of the day.',
      owner: 'group:default/quote-team',
      system: 'system:default/quote',
      postgres: true,
    };
    const created = await api('post', '/api/scaffolder/v2/tasks').send({
      templateRef: 'template:default/nestjs-service',
      values,
    });
    expect(created.status).toBe(201);

    let task: any;
    await waitFor(
      'the task to end',
      async () => {
        task = (await api('get', `/api/scaffolder/v2/tasks/${created.body.id}`))
          .body;
        return ['completed', 'failed', 'cancelled'].includes(task.status)
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, lastSeen: () => String(task?.status) },
    );
    const events = (
      await api('get', `/api/scaffolder/v2/tasks/${created.body.id}/events`)
    ).body;
    const errors = events
      .filter((e: any) => e.body?.error || e.body?.status === 'failed')
      .map((e: any) => e.body.message ?? JSON.stringify(e.body.error));
    expect({ status: task.status, errors }).toEqual({
      status: 'completed',
      errors: [],
    });

    // Two pull requests, each on its own branch from main.
    expect(github.pulls.map(p => [p.repo, p.head, p.base, p.title])).toEqual([
      [
        'mana-monorepo',
        'new-service-quote-api',
        'main',
        'New service: quote-api',
      ],
      [
        'mana-gitops',
        'new-service-quote-api',
        'main',
        'Infrastructure and deployment: quote-api',
      ],
    ]);

    // The code branch: the existing tree plus the new service and workflow.
    const code = github.readBranch(
      'Memo-2023',
      'mana-monorepo',
      'new-service-quote-api',
    );
    expect(code['apps/chat-backend/package.json']).toBe(
      '{ "name": "chat-backend" }\n',
    );
    expect(JSON.parse(code['apps/quote-api/package.json']).name).toBe(
      'quote-api',
    );
    expect(code['apps/quote-api/Dockerfile']).toMatch(/^USER /m);
    expect(code['apps/quote-api/Dockerfile']).toMatch(/^HEALTHCHECK /m);
    expect(Object.keys(code)).toContain('.github/workflows/quote-api.yml');
    expect(Object.keys(code)).not.toContain(
      'apps/quote-api/.github/workflows/ci.yml',
    );
    expect(
      yaml.parse(code['apps/quote-api/catalog-info.yaml']).metadata.description,
    ).toBe('Quotes of the day.');

    // The GitOps branch: Terraform and manifests, no secret value.
    const gitops = github.readBranch(
      'Memo-2023',
      'mana-gitops',
      'new-service-quote-api',
    );
    expect(Object.keys(gitops)).toEqual(
      expect.arrayContaining([
        'infra/staging/quote-api/postgres.tf',
        'infra/production/quote-api/dns.tf',
        'apps/quote-api/base/deployment-blue.yaml',
        'apps/quote-api/overlays/production/kustomization.yaml',
        'clusters/production/quote-api.yaml',
        'infra/production/chat-backend/versions.tf',
      ]),
    );
    expect(Object.values(gitops).join('\n')).not.toMatch(/fake-github-token/);
    const body = github.pulls[1].body;
    expect(body).toContain('### Infrastructure for quote-api');
    expect(body).toContain('PostgreSQL database quote_api_production');
    expect(body).toContain('**Estimated monthly cost: $1.95**');
    expect(body).toContain('Merging this pull request is the approval gate');

    // The component is in the catalog, read from the pull request's branch.
    const component = await waitFor(
      'the catalog to hold component:default/quote-api',
      async () => {
        const response = await api(
          'get',
          '/api/catalog/entities/by-name/component/default/quote-api',
        );
        return response.status === 200 ? response.body : undefined;
      },
    );
    expect(component.spec).toMatchObject({
      type: 'service',
      owner: 'quote-team',
      system: 'quote',
    });
    expect(task.status).toBe('completed');
  });
});
