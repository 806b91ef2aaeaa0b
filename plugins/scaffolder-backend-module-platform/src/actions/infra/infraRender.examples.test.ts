import { createMockDirectory } from '@backstage/backend-test-utils';
// HashiCorp's own HCL parser (Go, compiled to WebAssembly).
import { parse as parseHcl } from '@cdktf/hcl2json';
import {
  portalCostModel,
  readTree,
  runExample,
} from '../../__testUtils__/actions';
import { createInfraRenderAction } from './createInfraRenderAction';
import { examples } from './infraRender.examples';

/** Every file the action wrote, parsed by HashiCorp's parser. */
async function parsedTree(dir: string): Promise<Record<string, any>> {
  const parsed: Record<string, any> = {};
  for (const [file, content] of Object.entries(readTree(dir))) {
    parsed[file] = await parseHcl(file, content);
  }
  return parsed;
}

const moduleFiles = (dir: string, names: string[]) =>
  names.map(name => `${dir}/${name}.tf`);

/**
 * Each published example of platform:infra:render run through the action
 * as the module registers it (with the portal's cost model), checking the
 * Terraform it writes.
 */
describe('the published examples of platform:infra:render', () => {
  const workspace = createMockDirectory();
  const action = createInfraRenderAction({ costModel: portalCostModel() });

  beforeEach(() => workspace.clear());

  it('are each run here', () => {
    expect(examples.map(e => e.description)).toEqual([
      'A database, a Redis user and a namespace for a new NestJS backend in staging and production',
      'An uploads bucket with CORS for the web app and a 30-day retention rule',
      "A DNS record and a database subnet in the spare capacity of the estate's network plan",
    ]);
  });

  it('a database, a Redis user and a namespace for a new backend, per environment', async () => {
    const outputs = await runExample(action, examples[0], {
      workspacePath: workspace.path,
    });
    const tf = await parsedTree(workspace.path);
    const common = ['namespace', 'outputs', 'postgres', 'redis', 'variables'];
    expect(Object.keys(tf).sort()).toEqual(
      [
        ...moduleFiles('infra/production/quote-backend', [
          ...common,
          'versions',
        ]),
        ...moduleFiles('infra/staging/quote-backend', [...common, 'versions']),
      ].sort(),
    );
    expect((outputs.files as string[]).sort()).toEqual(Object.keys(tf).sort());
    for (const env of ['staging', 'production']) {
      const dir = `infra/${env}/quote-backend`;
      expect(tf[`${dir}/variables.tf`].variable.namespace[0].default).toBe(
        `quote-${env}`,
      );
      expect(
        tf[`${dir}/postgres.tf`].resource.postgresql_database.app[0].name,
      ).toBe(`quote_${env}`);
      const redisUser =
        tf[`${dir}/redis.tf`].resource.terraform_data.redis_acl_user[0];
      expect(redisUser.provisioner['local-exec'][0].environment).toMatchObject({
        REDIS_USER: `quote-backend-${env}`,
        REDIS_KEYS: 'quote:*',
      });
    }
    // A NestJS backend's 0.5 CPU / 512 MiB on the portal's current server.
    expect(outputs.estimatedMonthlyCostUsd).toBe(1.95);
  });

  it('an uploads bucket with CORS and a 30-day retention, per environment', async () => {
    const outputs = await runExample(action, examples[1], {
      workspacePath: workspace.path,
    });
    const tf = await parsedTree(workspace.path);
    const names = ['bucket', 'outputs', 'variables', 'versions'];
    expect(Object.keys(tf).sort()).toEqual(
      [
        ...moduleFiles('infra/production/picture-uploads', names),
        ...moduleFiles('infra/staging/picture-uploads', names),
      ].sort(),
    );
    for (const env of ['staging', 'production']) {
      const { resource } = tf[`infra/${env}/picture-uploads/bucket.tf`];
      expect(resource.aws_s3_bucket.this[0].bucket).toBe(
        `picture-uploads-${env}`,
      );
      expect(
        resource.aws_s3_bucket_cors_configuration.this[0].cors_rule[0]
          .allowed_origins,
      ).toEqual(['https://picture.mana.how']);
      const rule =
        resource.aws_s3_bucket_lifecycle_configuration.this[0].rule[0];
      expect(rule.expiration[0].days).toBe(30);
      expect(rule.noncurrent_version_expiration[0].noncurrent_days).toBe(30);
    }
    expect(outputs.planSummary).toContain(
      '| production | `aws_s3_bucket_cors_configuration.this` | CORS for https://picture.mana.how |',
    );
  });

  it('a DNS record and a database subnet, in production only', async () => {
    const outputs = await runExample(action, examples[2], {
      workspacePath: workspace.path,
    });
    const tf = await parsedTree(workspace.path);
    const dir = 'infra/production/reporting';
    expect(Object.keys(tf).sort()).toEqual(
      moduleFiles(dir, ['dns', 'outputs', 'subnet', 'variables', 'versions']),
    );
    expect(
      tf[`${dir}/dns.tf`].resource.cloudflare_record.this[0],
    ).toMatchObject({
      name: 'reporting',
      type: 'A',
      content: '203.0.113.10',
      proxied: true,
    });
    expect(tf[`${dir}/subnet.tf`].resource.aws_subnet.this[0]).toMatchObject({
      cidr_block: '10.2.0.0/26',
      availability_zone: 'eu-west-3a',
    });
    expect(outputs.planSummary).toContain(
      'subnet 10.2.0.0/26 (database, 59 usable)',
    );
  });
});
