/*
 * Every Compose file platform:gitops:render writes, for each template that
 * renders GitOps manifests and each of its environments, validated by
 * Compose itself (`docker-compose config -q`), as the deploy job on the
 * estate's Compose server reads it.
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { runAction } from '../../__testUtils__/actions';
import {
  composeConfig,
  itWithCompose,
} from '../../__testUtils__/dockerCompose';
import { createGitopsRenderAction } from './createGitopsRenderAction';

const TEMPLATES_DIR = path.resolve(__dirname, '../../../../../templates');

/** What the template expressions of the render step stand for in this test. */
function concreteInput(template: string, input: Record<string, unknown>) {
  const name = `${template.replace(/[^a-z0-9]+/g, '-')}-app`.slice(0, 30);
  const values: Record<string, unknown> = {
    name,
    system: 'quote',
    image: `ghcr.io/memo-2023/${name}`,
    domain: 'mana.how',
  };
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => {
      if (typeof value !== 'string' || !value.includes('${{')) {
        return [key, value];
      }
      if (!(key in values)) {
        throw new Error(
          `${template}: no test value for the expression of input.${key}`,
        );
      }
      return [key, values[key]];
    }),
  );
}

/** Each template of the catalog location with its platform:gitops:render steps. */
function renderSteps() {
  const location = yaml.parse(
    fs.readFileSync(path.join(TEMPLATES_DIR, 'all.yaml'), 'utf8'),
  );
  return location.spec.targets.flatMap((target: string) => {
    const template = yaml.parse(
      fs.readFileSync(path.join(TEMPLATES_DIR, target), 'utf8'),
    );
    return template.spec.steps
      .filter((step: any) => step.action === 'platform:gitops:render')
      .map((step: any) => ({
        template: template.metadata.name as string,
        input: concreteInput(template.metadata.name, step.input),
      }));
  }) as { template: string; input: Record<string, unknown> }[];
}

describe('the Compose files of platform:gitops:render', () => {
  const workspace = createMockDirectory();
  const action = createGitopsRenderAction();
  const steps = renderSteps();

  beforeEach(() => workspace.clear());

  /**
   * Renders a template's step and returns its compose.yml files, each with
   * the env file it names next to it (the deploy job decrypts it there on
   * the server; Compose refuses a file whose env file is missing).
   */
  async function renderComposeFiles(input: Record<string, unknown>) {
    const outputs = await runAction(action, input, {
      workspacePath: workspace.path,
    });
    const files = (outputs.files as string[]).filter(f =>
      f.endsWith('/compose.yml'),
    );
    for (const file of files) {
      const full = workspace.resolve(file);
      const compose = yaml.parse(fs.readFileSync(full, 'utf8'));
      for (const service of Object.values<any>(compose.services)) {
        for (const envFile of service.env_file ?? []) {
          fs.writeFileSync(path.resolve(path.dirname(full), envFile), '');
        }
      }
    }
    return files;
  }

  it('covers the templates that render GitOps manifests', () => {
    expect(steps.map(s => s.template).sort()).toEqual([
      'astro-landing',
      'nestjs-service',
      'sveltekit-web',
    ]);
  });

  for (const { template, input } of steps) {
    itWithCompose(
      `${template}: every environment's compose.yml is valid Compose`,
      async () => {
        const files = await renderComposeFiles(input);
        expect(files.map(f => f.split('/').slice(-2, -1)[0]).sort()).toEqual([
          'production',
          'staging',
        ]);
        for (const file of files) {
          expect(() => composeConfig(workspace.resolve(file))).not.toThrow();
        }
      },
    );
  }

  itWithCompose(
    'a service Compose rejects fails the check (a misspelt key, a missing env file)',
    async () => {
      const [file] = await renderComposeFiles(steps[0].input);
      const full = workspace.resolve(file);
      const valid = fs.readFileSync(full, 'utf8');

      fs.writeFileSync(full, valid.replace('restart:', 'restrat:'));
      expect(() => composeConfig(full)).toThrow(
        /Unsupported config option for services\.[\w-]+: 'restrat'/,
      );

      fs.writeFileSync(full, valid.replace('cpus: "', 'cpus: "lots-'));
      expect(() => composeConfig(full)).toThrow(/cpus/);

      fs.writeFileSync(full, valid);
      const envFile = path.join(
        path.dirname(full),
        yaml.parse(valid).services[steps[0].input.name as string].env_file[0],
      );
      fs.rmSync(envFile);
      expect(() => composeConfig(full)).toThrow(/Couldn't find env file/);
    },
  );
});
