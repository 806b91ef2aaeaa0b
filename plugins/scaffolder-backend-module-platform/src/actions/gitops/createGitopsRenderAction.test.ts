import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { expectGolden, readTree, runAction } from '../../__testUtils__/actions';
import { createGitopsRenderAction } from './createGitopsRenderAction';
import { itWithPromtool, promtool } from '../../__testUtils__/promtool';

// @kubernetes/client-node 1.x is an ES module; Node 22 requires it.
const k8s: typeof import('@kubernetes/client-node') = require('@kubernetes/client-node');

const GOLDEN = path.join(__dirname, '__golden__');

const INPUT = {
  name: 'quote-backend',
  system: 'quote',
  kind: 'service',
  image: 'ghcr.io/memo-2023/quote-backend',
  domain: 'mana.how',
  path: 'gitops',
};

/**
 * A Kubernetes object read by the client library's typed model and written
 * back: a misspelt or misplaced field does not survive the round trip.
 */
function roundTrip(object: any) {
  const loaded = k8s.loadYaml<any>(yaml.stringify(object));
  return yaml.parse(k8s.dumpYaml(loaded));
}

describe('platform:gitops:render', () => {
  const workspace = createMockDirectory();
  const action = createGitopsRenderAction();

  beforeEach(() => workspace.clear());

  async function render(input: Record<string, unknown> = INPUT) {
    const outputs = await runAction(action, input, {
      workspacePath: workspace.path,
    });
    return { outputs, files: readTree(workspace.path) };
  }

  it('writes the layout (golden files)', async () => {
    const { outputs, files } = await render();
    expectGolden(path.join(GOLDEN, 'quote-backend'), files);
    expect((outputs.files as string[]).sort()).toEqual(
      Object.keys(files).sort(),
    );
  });

  itWithPromtool(
    'writes alert rules for the service that promtool accepts, labelled service=<name>',
    async () => {
      const { files } = await render();
      const file = 'gitops/apps/quote-backend/monitoring/alert-rules.yaml';
      expect(
        promtool(['check', 'rules', path.join(workspace.path, file)]),
      ).toContain('SUCCESS: 5 rules found');
      const rules = yaml.parse(files[file]).groups[0].rules;
      expect(rules.map((r: any) => [r.alert, r.labels.service])).toEqual([
        ['ServiceDown', 'quote-backend'],
        ['HighErrorRate', 'quote-backend'],
        ['HighCpuUsage', 'quote-backend'],
        ['HighMemoryUsage', 'quote-backend'],
        ['DiskSpaceLow', 'quote-backend'],
      ]);
    },
  );

  it('writes Kubernetes objects of the right kinds, as the client library reads them', async () => {
    const { files } = await render();
    const kinds: Record<string, string[]> = {};
    const wholeObjects: any[] = [];
    for (const [file, content] of Object.entries(files)) {
      if (file.endsWith('compose.yml') || file.includes('/monitoring/')) {
        continue;
      }
      const documents = yaml.parseAllDocuments(content).map(d => d.toJS());
      kinds[file.replace('gitops/apps/quote-backend/', '')] = documents.map(
        d => `${d.apiVersion} ${d.kind}`,
      );
      // Patches are partial objects; whole objects must survive intact.
      if (!file.includes('/overlays/')) {
        wholeObjects.push(
          ...documents.filter(
            d =>
              !d.apiVersion.includes('toolkit.fluxcd.io') &&
              !d.apiVersion.startsWith('kustomize.config'),
          ),
        );
      }
    }
    expect(wholeObjects).toHaveLength(7);
    for (const object of wholeObjects) {
      expect(roundTrip(object)).toEqual(object);
    }
    expect(kinds).toEqual({
      'base/kustomization.yaml': [
        'kustomize.config.k8s.io/v1beta1 Kustomization',
      ],
      'base/deployment-blue.yaml': ['apps/v1 Deployment'],
      'base/deployment-green.yaml': ['apps/v1 Deployment'],
      'base/service.yaml': ['v1 Service'],
      'base/ingress.yaml': ['networking.k8s.io/v1 Ingress'],
      'base/hpa.yaml': [
        'autoscaling/v2 HorizontalPodAutoscaler',
        'autoscaling/v2 HorizontalPodAutoscaler',
      ],
      'base/pdb.yaml': ['policy/v1 PodDisruptionBudget'],
      'overlays/staging/kustomization.yaml': [
        'kustomize.config.k8s.io/v1beta1 Kustomization',
      ],
      'overlays/staging/live-slot.yaml': ['v1 Service'],
      'overlays/staging/ingress-host.yaml': ['networking.k8s.io/v1 Ingress'],
      'overlays/production/kustomization.yaml': [
        'kustomize.config.k8s.io/v1beta1 Kustomization',
      ],
      'overlays/production/live-slot.yaml': ['v1 Service'],
      'overlays/production/ingress-host.yaml': ['networking.k8s.io/v1 Ingress'],
      'gitops/clusters/staging/quote-backend.yaml': [
        'kustomize.toolkit.fluxcd.io/v1 Kustomization',
      ],
      'gitops/clusters/production/quote-backend.yaml': [
        'kustomize.toolkit.fluxcd.io/v1 Kustomization',
      ],
    });
  });

  it('the round trip drops what Kubernetes does not know (the check can fail)', async () => {
    const { files } = await render();
    const deployment = yaml.parse(
      files['gitops/apps/quote-backend/base/deployment-blue.yaml'],
    );
    const misspelt = {
      ...deployment,
      spec: { ...deployment.spec, replicaz: 2 },
    };
    expect(roundTrip(misspelt)).toEqual(deployment);
    expect(roundTrip(misspelt)).not.toEqual(misspelt);
  });

  it('wires the pieces together: paths, images, selectors and targets resolve', async () => {
    const { files } = await render();
    const read = (file: string) => yaml.parse(files[`gitops/${file}`]);
    const base = read('apps/quote-backend/base/kustomization.yaml');
    for (const resource of base.resources) {
      expect(files).toHaveProperty([
        `gitops/apps/quote-backend/base/${resource}`,
      ]);
    }
    const deployments = ['blue', 'green'].map(slot =>
      read(`apps/quote-backend/base/deployment-${slot}.yaml`),
    );
    for (const environment of ['staging', 'production']) {
      const overlay = read(
        `apps/quote-backend/overlays/${environment}/kustomization.yaml`,
      );
      expect(overlay.namespace).toBe(`quote-${environment}`);
      for (const patch of overlay.patches) {
        expect(files).toHaveProperty([
          `gitops/apps/quote-backend/overlays/${environment}/${patch.path}`,
        ]);
      }
      expect(overlay.images.map((i: any) => i.name).sort()).toEqual(
        deployments.map(d => d.spec.template.spec.containers[0].image).sort(),
      );
      const flux = read(`clusters/${environment}/quote-backend.yaml`);
      expect(files).toHaveProperty([
        `gitops/${flux.spec.path.slice(2)}/kustomization.yaml`,
      ]);
      const host = read(
        `apps/quote-backend/overlays/${environment}/ingress-host.yaml`,
      ).spec.rules[0].host;
      expect(host).toBe(
        environment === 'production'
          ? 'quote-backend.mana.how'
          : 'quote-backend.staging.mana.how',
      );
      const compose = read(
        `apps/quote-backend/overlays/${environment}/compose.yml`,
      );
      const service = compose.services['quote-backend'];
      expect(service).toMatchObject({
        image: 'ghcr.io/memo-2023/quote-backend:main',
        user: '10001:10001',
        read_only: true,
        deploy: { resources: { limits: { cpus: '0.5', memory: '512M' } } },
      });
      expect(service.healthcheck.test).toEqual([
        'CMD',
        'wget',
        '-qO-',
        'http://127.0.0.1:3000/health',
      ]);
    }
    const service = read('apps/quote-backend/base/service.yaml');
    expect(deployments[0].spec.template.metadata.labels).toMatchObject(
      service.spec.selector,
    );
    const pdb = read('apps/quote-backend/base/pdb.yaml');
    for (const d of deployments) {
      expect(d.spec.template.metadata.labels).toMatchObject(
        pdb.spec.selector.matchLabels,
      );
      expect(d.spec.selector.matchLabels).toEqual(
        d.spec.template.metadata.labels,
      );
      const container = d.spec.template.spec.containers[0];
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(container.resources.limits).toEqual({
        cpu: '500m',
        memory: '512Mi',
      });
    }
    const hpas = yaml
      .parseAllDocuments(files['gitops/apps/quote-backend/base/hpa.yaml'])
      .map(d => d.toJS());
    expect(hpas.map(h => h.spec.scaleTargetRef.name)).toEqual(
      deployments.map(d => d.metadata.name),
    );
  });

  it('sizes a landing page as the plan says (0.1 CPU / 128Mi)', async () => {
    const { files } = await render({
      ...INPUT,
      name: 'quote-landing',
      kind: 'landing',
      port: 8080,
    });
    const deployment = yaml.parse(
      files['gitops/apps/quote-landing/base/deployment-blue.yaml'],
    );
    expect(
      deployment.spec.template.spec.containers[0].resources.limits,
    ).toEqual({
      cpu: '100m',
      memory: '128Mi',
    });
  });

  describe('hostile input is rejected with the field named, nothing written', () => {
    it.each([
      ['a parent path', { path: '../x' }, "path must not contain '..'"],
      [
        'an absolute path',
        { path: '/tmp/x' },
        'path must be a path relative to the workspace',
      ],
      [
        'a template expression',
        { name: '${{ parameters.x }}' },
        'name contains a template expression',
      ],
      [
        'an oversized name',
        { name: 'x'.repeat(5000) },
        'name is 5000 characters long',
      ],
      [
        'an image with a tag',
        { image: 'ghcr.io/org/x:latest' },
        'image must be an image name without tag',
      ],
      [
        'an image with spaces',
        { image: 'ghcr.io/org/x; rm -rf /' },
        'image must be an image name without tag',
      ],
      ['a bad tag', { tag: '../../x' }, 'tag must be a Docker tag'],
      [
        'a bad health path',
        { healthPath: 'health"; curl evil' },
        'healthPath must be a path',
      ],
      ['a bad domain', { domain: 'mana how' }, 'domain must be a domain'],
      [
        'a bad kind',
        { kind: 'database' },
        "kind: Invalid enum value. Expected 'service' | 'website' | 'landing'",
      ],
      [
        'a bad port',
        { port: 70000 },
        'port: Number must be less than or equal to 65535',
      ],
      [
        'an environment that is not a string (the field named by its path)',
        { environments: ['staging', 7] },
        'environments[1]: Expected string, received number',
      ],
      [
        'an input the action does not take',
        { replicas: 3 },
        "body: Unrecognized key(s) in object: 'replicas' (replicas)",
      ],
    ])('%s', async (_, change, message) => {
      await expect(render({ ...INPUT, ...change })).rejects.toThrow(message);
      expect(readTree(workspace.path)).toEqual({});
    });

    it('a service already in the repository', async () => {
      workspace.setContent({
        'gitops/apps/quote-backend/base/kustomization.yaml': '',
      });
      await expect(render()).rejects.toThrow(
        'name: apps/quote-backend already exists in the repository',
      );
    });
  });

  it.each([
    ['null', '1.10'],
    ['no', 'on'],
    ['true', '0o17'],
  ])(
    'a service named %s with tag %s reads back as those strings, in YAML 1.2 and 1.1',
    async (name, tag) => {
      const { files } = await render({ ...INPUT, name, tag });
      const strings = new Set<string>();
      const collect = (value: unknown): void => {
        if (typeof value === 'string') strings.add(value);
        else if (Array.isArray(value)) value.forEach(collect);
        else if (value && typeof value === 'object') {
          for (const [k, v] of Object.entries(value)) {
            strings.add(k);
            collect(v);
          }
        }
      };
      const misread: string[] = [];
      for (const [file, content] of Object.entries(files)) {
        for (const version of ['1.1', '1.2'] as const) {
          for (const document of yaml.parseAllDocuments(content, {
            version,
          }) as yaml.Document[]) {
            const js = document.toJS();
            const names = [
              js?.metadata?.name,
              js?.images?.[0]?.newTag,
              ...Object.keys(js?.services ?? {}),
            ].filter(v => v !== undefined);
            for (const v of names) {
              if (typeof v !== 'string')
                misread.push(`${file} (${version}): ${v}`);
            }
            collect(js);
          }
        }
      }
      expect(misread).toEqual([]);
      expect(strings).toContain(name);
      expect(strings).toContain(tag);
    },
  );

  describe('follows no symbolic link in the workspace', () => {
    let outside: string;
    beforeEach(() => {
      outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
    });
    afterEach(() => fs.rmSync(outside, { recursive: true, force: true }));

    const refusal = (link: string) =>
      `path: ${link} is a symbolic link; the portal's actions follow no links in a workspace`;

    it('the checkout linked to a directory outside: refused, nothing written there', async () => {
      fs.symlinkSync(outside, workspace.resolve('gitops'));
      await expect(render()).rejects.toThrow(refusal('gitops'));
      expect(fs.readdirSync(outside)).toEqual([]);
    });

    it('a directory of the layout linked elsewhere in the workspace: refused, nothing written at all', async () => {
      workspace.setContent({
        'gitops/README.md': '# GitOps\n',
        'monorepo/README.md': '# code\n',
      });
      fs.symlinkSync('../monorepo', workspace.resolve('gitops/clusters'));
      const before = readTree(workspace.path);
      await expect(render()).rejects.toThrow(refusal('gitops/clusters'));
      expect(readTree(workspace.path)).toEqual(before);
    });

    it('a dangling link where a manifest goes: refused, its target not created', async () => {
      workspace.setContent({ 'gitops/clusters/production/README.md': '' });
      const target = path.join(outside, 'created-by-the-action.yaml');
      fs.symlinkSync(
        target,
        workspace.resolve('gitops/clusters/production/quote-backend.yaml'),
      );
      await expect(render()).rejects.toThrow(
        refusal('gitops/clusters/production/quote-backend.yaml'),
      );
      expect(fs.existsSync(target)).toBe(false);
    });
  });
});
