/*
 * The portal's own deployment, checked by parsing: the Dockerfile and the
 * Kubernetes manifests in deploy/kubernetes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { findMissingVariables } from '../requiredEnvironment';

const repoRoot = path.resolve(__dirname, '../../../..');
const manifestsDir = path.join(repoRoot, 'deploy/kubernetes');

function manifests(): any[] {
  const kustomization = parse(
    fs.readFileSync(path.join(manifestsDir, 'kustomization.yaml'), 'utf8'),
  );
  return kustomization.resources.flatMap((file: string) =>
    parseAllDocuments(
      fs.readFileSync(path.join(manifestsDir, file), 'utf8'),
    ).map(d => d.toJS()),
  );
}

describe('Kubernetes manifests', () => {
  const objects = manifests();
  const byKind = (kind: string) => objects.filter(o => o.kind === kind);
  const deployment = byKind('Deployment')[0];
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];

  it('has the expected objects', () => {
    expect(objects.map(o => o.kind).sort()).toEqual([
      'Deployment',
      'Namespace',
      'PodDisruptionBudget',
      'Service',
    ]);
  });

  it('runs two replicas, non-root, with resources and a read-only root', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
    expect(pod.spec.securityContext.runAsUser).not.toBe(0);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(container.resources.requests).toEqual(
      expect.objectContaining({
        cpu: expect.any(String),
        memory: expect.any(String),
      }),
    );
    expect(container.resources.limits.memory).toBeDefined();
    // writable scratch space for TechDocs and the scaffolder
    expect(container.volumeMounts).toContainEqual(
      expect.objectContaining({ mountPath: '/tmp' }),
    );
  });

  it('has probes on the backend health endpoints, with a start-up budget', () => {
    const port = container.ports[0].name;
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(container[probe].httpGet.port).toBe(port);
      expect(container[probe].httpGet.path).toMatch(
        /^\/\.backstage\/health\/v1\/(readiness|liveness)$/,
      );
    }
    const startup = container.startupProbe;
    expect(
      startup.periodSeconds * startup.failureThreshold,
    ).toBeGreaterThanOrEqual(120);
    expect(container.readinessProbe.httpGet.path).toContain('readiness');
  });

  it('keeps one replica through disruptions, and the selectors match the pods', () => {
    const labels = pod.metadata.labels;
    const pdb = byKind('PodDisruptionBudget')[0];
    expect(pdb.spec.minAvailable).toBe(1);
    expect(labels).toMatchObject(pdb.spec.selector.matchLabels);
    expect(labels).toMatchObject(byKind('Service')[0].spec.selector);
    expect(labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  it('gives the backend every variable the production config needs, from secrets', () => {
    const provided = new Map<string, any>(
      container.env.map((e: any) => [e.name, e]),
    );
    const needed = findMissingVariables(
      ['app-config.yaml', 'app-config.production.yaml'],
      {},
      repoRoot,
    ).map(m => m.name);
    for (const name of needed) {
      expect(provided.get(name)?.valueFrom).toBeDefined();
    }
    // no literal secret values in the manifests
    for (const e of container.env) {
      expect(e.value).toBeUndefined();
    }
  });
});

describe('Dockerfile', () => {
  const text = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'));
  const stages = lines.reduce<string[][]>((acc, line) => {
    if (/^FROM /i.test(line)) acc.push([]);
    acc[acc.length - 1]?.push(line);
    return acc;
  }, []);
  const runtime = stages[stages.length - 1];

  it('is multi-stage and runs as a non-root user with a health check', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const user = runtime.find(l => /^USER /.test(l));
    expect(user).toBeDefined();
    expect(user!.split(/\s+/)[1]).not.toMatch(/^(root|0)$/);
    expect(
      runtime.some(l =>
        /^HEALTHCHECK .*\/\.backstage\/health\/v1\/readiness/.test(l),
      ),
    ).toBe(true);
    expect(runtime.find(l => /^CMD /.test(l))).toContain(
      'app-config.production.yaml',
    );
  });

  it('copies only files that exist in the repository', () => {
    const sources = lines
      .filter(l => /^COPY /.test(l) && !/--from=/.test(l))
      .flatMap(l => {
        const parts = l
          .split(/\s+/)
          .slice(1)
          .filter(p => !p.startsWith('--'));
        return parts.slice(0, -1);
      })
      .filter(p => p !== '.');
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) {
      expect(fs.existsSync(path.join(repoRoot, source))).toBe(true);
    }
  });
});
