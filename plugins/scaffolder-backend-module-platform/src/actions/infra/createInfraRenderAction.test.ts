import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// HashiCorp's own HCL parser (Go, compiled to WebAssembly).
import { parse as parseHcl } from '@cdktf/hcl2json';
import {
  expectGolden,
  portalCostModel,
  readTree,
  runAction,
} from '../../__testUtils__/actions';
import { createInfraRenderAction } from './createInfraRenderAction';

const costModel = portalCostModel();

const GOLDEN = path.join(__dirname, '__golden__');

describe('platform:infra:render', () => {
  const workspace = createMockDirectory();
  const action = createInfraRenderAction({ costModel });

  beforeEach(() => workspace.clear());

  it('renders every kind of resource for staging and production (golden files)', async () => {
    const outputs = await runAction(
      action,
      {
        name: 'quote-backend',
        system: 'quote',
        owner: 'group:default/quote-team',
        serviceType: 'service',
        namespace: true,
        postgres: { database: 'quote' },
        redis: {},
        bucket: { corsOrigins: ['https://quote.mana.how'] },
        dns: { zone: 'mana.how', target: 'lb.mana.how' },
      },
      { workspacePath: workspace.path },
    );
    const files = readTree(workspace.path);
    expectGolden(path.join(GOLDEN, 'quote-backend'), files);
    expect((outputs.files as string[]).sort()).toEqual(
      Object.keys(files).sort(),
    );

    // The cost model prices the backend's 0.5 CPU / 512 MiB on the CCX32
    // ($50: $25 for 8 CPU, $25 for 32 GiB): 1.5625 + 0.390625.
    expect(outputs.estimatedMonthlyCostUsd).toBe(1.95);
    expect(outputs.planSummary).toContain('**Estimated monthly cost: $1.95**');
    expect(outputs.planSummary).toContain(
      '| production | `postgresql_database.app` | PostgreSQL database quote_production |',
    );
    expect(outputs.planSummary).toContain(
      'CNAME quote-backend.staging.mana.how → lb.mana.how',
    );
  });

  it("writes HCL that HashiCorp's parser reads, with the resources the plan lists", async () => {
    const outputs = await runAction(
      action,
      {
        name: 'chat-backend',
        system: 'chat',
        namespace: true,
        postgres: {},
        redis: { keyPrefix: 'chat' },
        bucket: { corsOrigins: ['https://chat.mana.how'], retentionDays: 7 },
        dns: { zone: 'mana.how', type: 'A', target: '203.0.113.10' },
      },
      { workspacePath: workspace.path },
    );
    const resources = new Set<string>();
    const parsedByFile: Record<string, any> = {};
    for (const [file, content] of Object.entries(readTree(workspace.path))) {
      const parsed = await parseHcl(file, content);
      parsedByFile[file] = parsed;
      for (const [type, byName] of Object.entries<any>(parsed.resource ?? {})) {
        for (const name of Object.keys(byName))
          resources.add(`${type}.${name}`);
      }
    }
    const redis = parsedByFile['infra/production/chat-backend/redis.tf'];
    const exec =
      redis.resource.terraform_data.redis_acl_user[0].provisioner[
        'local-exec'
      ][0];
    expect(exec.command).toBe(
      'redis-cli -h "$REDIS_HOST" ACL SETUSER "$REDIS_USER" reset on ">$REDIS_USER_PASSWORD" "~$REDIS_KEYS" +@read +@write -@dangerous',
    );
    expect(exec.environment.REDIS_KEYS).toBe('chat:*');
    const bucket = parsedByFile['infra/staging/chat-backend/bucket.tf'];
    expect(
      bucket.resource.aws_s3_bucket_lifecycle_configuration.this[0].rule[0]
        .expiration[0].days,
    ).toBe(7);
    const planned = (outputs.planSummary as string).match(
      /`[a-z0-9_]+\.[a-z_]+`/g,
    )!;
    expect(new Set(planned.map(p => p.slice(1, -1)))).toEqual(
      new Set([...resources].filter(r => !r.startsWith('random_password'))),
    );
  });

  it('rejects nothing it wrote itself: the parser fails on broken HCL', async () => {
    await expect(parseHcl('broken.tf', 'resource "x" "y" {')).rejects.toThrow(
      /Unclosed configuration block/,
    );
  });

  it('never writes a secret value: passwords come from random_password', async () => {
    await runAction(
      action,
      { name: 'chat-cache', redis: {}, postgres: {} },
      { workspacePath: workspace.path },
    );
    const all = Object.values(readTree(workspace.path)).join('\n');
    const assignments = [...all.matchAll(/(PASSWORD|password)\s*=\s*(.+)/g)];
    expect(assignments.length).toBeGreaterThan(0);
    for (const [, , value] of assignments) {
      expect(value.trim()).toMatch(/^random_password\.\w+\.result$/);
    }
  });

  it.each([
    ['a database', { postgres: {} }, 'PostgreSQL and its role'],
    ['a Redis user', { redis: {} }, 'the Redis ACL user'],
    [
      'both',
      { postgres: {}, redis: {} },
      'PostgreSQL and its role, the Redis ACL user',
    ],
  ])(
    'the plan says where the passwords of %s come from',
    async (_, resources, which) => {
      const outputs = await runAction(
        action,
        { name: 'chat-store', ...resources },
        { workspacePath: workspace.path },
      );
      expect(outputs.planSummary).toContain(
        `Secrets: the passwords of ${which} are generated by Terraform (\`random_password\`)`,
      );
    },
  );

  it('the plan says nothing of passwords when nothing has one', async () => {
    const outputs = await runAction(
      action,
      {
        name: 'chat-files',
        namespace: true,
        bucket: {},
        dns: { zone: 'mana.how', target: 'lb.mana.how' },
      },
      { workspacePath: workspace.path },
    );
    expect(outputs.planSummary).toContain('### Infrastructure for chat-files');
    expect(outputs.planSummary).not.toMatch(/password|Secrets:/i);
  });

  it('checks a subnet against the plan and the subnets already in the repository', async () => {
    const input = {
      name: 'reporting',
      environments: ['production'],
      subnet: { cidr: '10.2.0.0/26', tier: 'database', hosts: 20 },
    };
    await runAction(action, input, { workspacePath: workspace.path });
    expect(
      fs.readFileSync(
        path.join(workspace.path, 'infra/production/reporting/subnet.tf'),
        'utf8',
      ),
    ).toContain('cidr_block        = "10.2.0.0/26"');

    await expect(
      runAction(
        action,
        {
          ...input,
          name: 'reporting-two',
          subnet: { ...input.subnet, cidr: '10.2.0.32/27' },
        },
        { workspacePath: workspace.path },
      ),
    ).rejects.toThrow(
      'subnet.cidr 10.2.0.32/27 overlaps 10.2.0.0/26, already declared in this repository',
    );
  });

  it('takes true for a resource with its defaults and false for none (as templates pass booleans)', async () => {
    const outputs = await runAction(
      action,
      { name: 'wisekeep-backend', postgres: true, redis: false, bucket: true },
      { workspacePath: workspace.path },
    );
    const files = outputs.files as string[];
    expect(files).toContain('infra/staging/wisekeep-backend/postgres.tf');
    expect(files).toContain('infra/staging/wisekeep-backend/bucket.tf');
    expect(files.some(f => f.endsWith('redis.tf'))).toBe(false);
    expect(
      readTree(workspace.path)['infra/staging/wisekeep-backend/postgres.tf'],
    ).toContain('connection_limit = 20');
  });

  it('prices nothing but names shared resources when no service is added', async () => {
    const outputs = await runAction(
      action,
      { name: 'memoro-db', postgres: {} },
      { workspacePath: workspace.path },
    );
    expect(outputs.estimatedMonthlyCostUsd).toBe(0);
    expect(outputs.planSummary).toContain(
      'PostgreSQL database memoro-db: on shared servers or a free tier, no allocation of its own ($0.00)',
    );
  });

  it('renders in a dry run as well (the workspace is a throwaway)', async () => {
    const outputs = await runAction(
      action,
      { name: 'dry', bucket: {} },
      { workspacePath: workspace.path, isDryRun: true },
    );
    expect(outputs.files).toContain('infra/staging/dry/bucket.tf');
  });

  describe('hostile input is rejected with the field named, nothing written', () => {
    it.each([
      [
        'a parent path',
        { name: 'x', targetPath: '../outside' },
        "targetPath must not contain '..'",
      ],
      [
        'an absolute path',
        { name: 'x', targetPath: '/etc' },
        'targetPath must be a path relative to the workspace',
      ],
      [
        'a template expression in the name',
        { name: '${{ secrets.token }}' },
        'name contains a template expression',
      ],
      [
        'a nunjucks block',
        { name: '{% raw %}' },
        'name contains a template expression',
      ],
      [
        'an oversized name',
        { name: 'a'.repeat(41) },
        'name is 41 characters long; at most 40',
      ],
      [
        'a huge name',
        { name: 'a'.repeat(100000) },
        'name is 100000 characters long',
      ],
      ['uppercase', { name: 'Quote' }, 'name must be a DNS-safe name'],
      [
        'a path in the name',
        { name: 'a/../../b' },
        'name must be a DNS-safe name',
      ],
      [
        'a bad environment',
        { name: 'x', environments: ['prod uction'] },
        'environments[0] must be a DNS-safe name',
      ],
      [
        'a bad database',
        { name: 'x', postgres: { database: 'x; DROP TABLE' } },
        'postgres.database must be a DNS-safe name',
      ],
      [
        'a bad origin',
        { name: 'x', bucket: { corsOrigins: ['ftp://files.example.com'] } },
        'bucket.corsOrigins[0] must be an origin',
      ],
      [
        'a bad zone',
        { name: 'x', dns: { zone: 'mana..how', target: '1.2.3.4' } },
        'dns.zone must be a domain',
      ],
      [
        'a bad DNS target',
        { name: 'x', dns: { zone: 'mana.how', target: '"; rm -rf /' } },
        'dns.target must be a hostname or an IP address',
      ],
      [
        'a wrong type',
        { name: 'x', namespace: 'yes' },
        'namespace: Expected boolean, received string',
      ],
      [
        'an unknown input',
        { name: 'x', pasword: 'x' },
        "Unrecognized key(s) in object: 'pasword'",
      ],
      [
        'a bad retention',
        { name: 'x', bucket: { retentionDays: 0 } },
        'bucket.retentionDays',
      ],
      [
        'a subnet in two environments',
        { name: 'x', subnet: { cidr: '10.2.0.0/26', tier: 'database' } },
        'subnet: a subnet belongs to one environment',
      ],
      ['a bad cpu', { name: 'x', cpu: 'lots' }, 'cpu must be a CPU quantity'],
    ])('%s', async (_, input, message) => {
      await expect(
        runAction(action, input, { workspacePath: workspace.path }),
      ).rejects.toThrow(message);
      expect(readTree(workspace.path)).toEqual({});
    });

    it('a name already in the repository', async () => {
      workspace.setContent({ 'infra/production/quote-backend/main.tf': '' });
      await expect(
        runAction(
          action,
          { name: 'quote-backend' },
          { workspacePath: workspace.path },
        ),
      ).rejects.toThrow(
        'name: production/quote-backend already exists in the repository',
      );
    });
  });

  describe('follows no symbolic link in the workspace', () => {
    let outside: string;
    beforeEach(() => {
      outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
    });
    afterEach(() => fs.rmSync(outside, { recursive: true, force: true }));

    const refusal = (link: string) =>
      `targetPath: ${link} is a symbolic link; the portal's actions follow no links in a workspace`;
    const render = (input: Record<string, unknown>) =>
      runAction(action, input, { workspacePath: workspace.path });

    it('the Terraform directory linked outside: refused, nothing written there', async () => {
      fs.symlinkSync(outside, workspace.resolve('infra'));
      await expect(render({ name: 'chat-db', postgres: {} })).rejects.toThrow(
        refusal('infra'),
      );
      expect(fs.readdirSync(outside)).toEqual([]);
    });

    it('an environment directory linked elsewhere in the workspace: refused, nothing written at all', async () => {
      workspace.setContent({
        'infra/staging/README.md': '',
        'monorepo/README.md': '',
      });
      fs.symlinkSync('../monorepo', workspace.resolve('infra/production'));
      const before = readTree(workspace.path);
      await expect(render({ name: 'chat-db', postgres: {} })).rejects.toThrow(
        refusal('infra/production'),
      );
      expect(readTree(workspace.path)).toEqual(before);
    });

    it('a dangling link where a module goes: refused, its target not created', async () => {
      workspace.setContent({ 'infra/staging/README.md': '' });
      const target = path.join(outside, 'created-by-the-action');
      fs.symlinkSync(target, workspace.resolve('infra/staging/chat-db'));
      await expect(render({ name: 'chat-db', postgres: {} })).rejects.toThrow(
        refusal('infra/staging/chat-db'),
      );
      expect(fs.existsSync(target)).toBe(false);
    });

    it('Terraform the subnet check would read through a link: refused, not skipped', async () => {
      fs.writeFileSync(
        path.join(outside, 'subnet.tf'),
        'resource "aws_subnet" "x" {\n  cidr_block = "10.2.0.0/26"\n}\n',
      );
      workspace.setContent({ 'infra/production/README.md': '' });
      fs.symlinkSync(outside, workspace.resolve('infra/production/legacy'));
      await expect(
        render({
          name: 'reporting',
          environments: ['production'],
          subnet: { cidr: '10.2.0.0/26', tier: 'database', hosts: 20 },
        }),
      ).rejects.toThrow(refusal('infra/production/legacy'));
    });
  });
});
