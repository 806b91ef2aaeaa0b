/*
 * The portal's own deployment, checked by parsing: the Dockerfile and the
 * Kubernetes manifests in deploy/kubernetes. The image itself is built and
 * run against the same manifests by scripts/image/image.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { findMissingVariables, referencedFiles } from '../requiredEnvironment';
import { readManifests, readPortalPod } from './__testUtils__/portalPod';

const repoRoot = path.resolve(__dirname, '../../../..');
const manifestsDir = path.join(repoRoot, 'deploy/kubernetes');
const productionFiles = ['app-config.yaml', 'app-config.production.yaml'];
const kustomization = parse(
  fs.readFileSync(path.join(manifestsDir, 'kustomization.yaml'), 'utf8'),
);

describe('Kubernetes manifests', () => {
  const objects = readManifests();
  const byKind = (kind: string) => objects.filter(o => o.kind === kind);
  const deployment = byKind('Deployment')[0];
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];

  it('has the expected objects', () => {
    expect(objects.map(o => o.kind).sort()).toEqual([
      'Deployment',
      'Namespace',
      'NetworkPolicy',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
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
    // writable scratch space for the scaffolder
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

  it('declares what the image test runs the image with', () => {
    // scripts/image/image.test.ts runs the image as these say
    expect(readPortalPod()).toEqual({
      uid: 1000,
      gid: 1000,
      port: 7007,
      readOnlyRootFilesystem: true,
      writablePaths: ['/tmp'],
      secretsPath: '/var/run/secrets/platform-portal',
      startupProbe: expect.objectContaining({
        path: '/.backstage/health/v1/liveness',
      }),
      readinessProbe: expect.objectContaining({
        path: '/.backstage/health/v1/readiness',
      }),
      livenessProbe: expect.objectContaining({
        path: '/.backstage/health/v1/liveness',
      }),
      terminationGracePeriodSeconds: 30,
    });
  });

  it('keeps one replica through disruptions, and the selectors match the pods', () => {
    const labels = pod.metadata.labels;
    const pdb = byKind('PodDisruptionBudget')[0];
    expect(pdb.spec.minAvailable).toBe(1);
    expect(labels).toMatchObject(pdb.spec.selector.matchLabels);
    expect(labels).toMatchObject(byKind('Service')[0].spec.selector);
    expect(labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  it('runs as a ServiceAccount of its own, with no API token mounted', () => {
    const accounts = byKind('ServiceAccount');
    expect(accounts).toHaveLength(1);
    expect(pod.spec.serviceAccountName).toBe(accounts[0].metadata.name);
    expect(accounts[0].automountServiceAccountToken).toBe(false);
    expect(pod.spec.automountServiceAccountToken).toBe(false);
  });

  it('gives the backend every variable the production config needs, none of them secret', () => {
    const provided = new Map<string, any>(
      container.env.map((e: any) => [e.name, e]),
    );
    const needed = findMissingVariables(productionFiles, {}, repoRoot).map(
      m => m.name,
    );
    expect(needed.length).toBeGreaterThan(0);
    const literals = new Map<string, string>(
      kustomization.configMapGenerator
        .find((g: any) => g.name === 'portal-config')
        .literals.map((l: string) => l.split(/=(.*)/).slice(0, 2)),
    );
    for (const name of needed) {
      const from = provided.get(name)?.valueFrom?.configMapKeyRef;
      expect({ name, from }).toEqual({
        name,
        from: expect.objectContaining({ name: 'portal-config' }),
      });
      expect(literals.has(from.key)).toBe(true);
    }
    // no secret in the environment, and no literal values in the manifests
    for (const e of container.env) {
      expect(e.valueFrom.secretKeyRef).toBeUndefined();
      expect(e.value).toBeUndefined();
    }
  });

  it('gives the backend every secret file the production config reads, from a read-only Secret volume', () => {
    const secrets = referencedFiles(productionFiles, {}, repoRoot);
    // backend secret, PostgreSQL, Redis, GitHub sign-in and token, the
    // cluster's token and CA, ingest token, webhook secret, TechDocs bucket,
    // Alertmanager's webhook token
    expect(secrets.map(s => s.configPath).sort()).toEqual([
      'auth.providers.github.production.clientSecret',
      'backend.auth.externalAccess[0].options.token',
      'backend.auth.keys[0].secret',
      'backend.cache.connection',
      'backend.database.connection.password',
      'health.alertmanager.webhookToken',
      'integrations.github[0].token',
      'kubernetes.clusterLocatorMethods[0].clusters[0].caData',
      'kubernetes.clusterLocatorMethods[0].clusters[0].serviceAccountToken',
      'platformDeploy.github.webhookSecret',
      'techdocs.publisher.awsS3.credentials.accessKeyId',
      'techdocs.publisher.awsS3.credentials.secretAccessKey',
    ]);
    const mount = container.volumeMounts.find(
      (m: any) => m.mountPath === path.dirname(secrets[0].path),
    );
    expect(mount).toMatchObject({
      mountPath: '/var/run/secrets/platform-portal',
      readOnly: true,
    });
    const volume = pod.spec.volumes.find((v: any) => v.name === mount.name);
    const projected = volume.projected.sources.flatMap((source: any) =>
      source.secret.items.map((item: any) => item.path),
    );
    for (const secret of secrets) {
      expect(projected).toContain(path.basename(secret.path));
    }
    // readable by the backend's group, by nobody else
    expect(volume.projected.defaultMode).toBe(0o440);
    expect(pod.spec.securityContext.fsGroup).toBe(
      pod.spec.securityContext.runAsGroup,
    );
  });

  describe('network policies', () => {
    const policies = byKind('NetworkPolicy');
    const egress = policies.filter(p => p.spec.policyTypes.includes('Egress'));
    const ingress = policies.filter(p =>
      p.spec.policyTypes.includes('Ingress'),
    );
    const dnsPodLabels = { 'k8s-app': 'kube-dns' };
    const kubeSystem = { 'kubernetes.io/metadata.name': 'kube-system' };

    /** An IPv4 or IPv6 address as a number, and its width in bits. */
    function parseIp(address: string): [bigint, number] {
      if (!address.includes(':')) {
        const n = address
          .split('.')
          .reduce((acc, part) => acc * 256n + BigInt(part), 0n);
        return [n, 32];
      }
      const [head, tail] = address.split('::');
      const groups = (s?: string) => (s ? s.split(':') : []);
      const missing = 8 - groups(head).length - groups(tail).length;
      const all =
        tail === undefined
          ? groups(head)
          : [...groups(head), ...Array(missing).fill('0'), ...groups(tail)];
      return [all.reduce((acc, g) => acc * 65536n + BigInt(`0x${g}`), 0n), 128];
    }
    function inCidr(address: string, cidr: string): boolean {
      const [base, bits] = cidr.split('/');
      const [a, width] = parseIp(address);
      const [b, baseWidth] = parseIp(base);
      if (width !== baseWidth) return false;
      const shift = BigInt(width - Number(bits));
      return a >> shift === b >> shift;
    }
    const allowsPort = (rule: any, port: number, protocol: string) =>
      rule.ports.some(
        (p: any) => p.port === port && (p.protocol ?? 'TCP') === protocol,
      );
    /** Whether the egress policies let a portal pod open `address:port`. */
    function allowsIp(address: string, port: number, protocol = 'TCP') {
      return egress.some(policy =>
        policy.spec.egress.some(
          (rule: any) =>
            allowsPort(rule, port, protocol) &&
            rule.to.some(
              (peer: any) =>
                peer.ipBlock &&
                inCidr(address, peer.ipBlock.cidr) &&
                !(peer.ipBlock.except ?? []).some((e: string) =>
                  inCidr(address, e),
                ),
            ),
        ),
      );
    }

    it('select the portal pods', () => {
      expect(egress).toHaveLength(1);
      expect(ingress).toHaveLength(1);
      for (const policy of policies) {
        expect(pod.metadata.labels).toMatchObject(
          policy.spec.podSelector.matchLabels,
        );
      }
    });

    it('refuse all egress but DNS, PostgreSQL, Redis, the Kubernetes API, Prometheus and Alertmanager, and HTTPS to the internet', () => {
      const rules = egress[0].spec.egress;
      // every rule names its destinations and its ports: none opens everything
      for (const rule of rules) {
        expect(rule.to?.length).toBeGreaterThan(0);
        expect(rule.ports?.length).toBeGreaterThan(0);
      }
      const ports = rules
        .flatMap((r: any) => r.ports)
        .map((p: any) => `${p.protocol}/${p.port}`)
        .sort();
      expect([...new Set(ports)]).toEqual([
        'TCP/443',
        'TCP/53',
        'TCP/5432',
        'TCP/6379',
        'TCP/6443',
        'TCP/9090',
        'TCP/9093',
        'UDP/53',
      ]);
      // Prometheus and Alertmanager: their namespace only
      const monitoring = rules.filter(
        (r: any) => allowsPort(r, 9090, 'TCP') || allowsPort(r, 9093, 'TCP'),
      );
      expect(monitoring).toHaveLength(1);
      expect(monitoring[0].to).toEqual([
        {
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
          },
        },
      ]);
      // DNS goes to the cluster's resolver only
      const dns = rules.filter((r: any) => allowsPort(r, 53, 'UDP'));
      expect(dns).toHaveLength(1);
      expect(dns[0].to).toEqual([
        {
          namespaceSelector: { matchLabels: kubeSystem },
          podSelector: { matchLabels: dnsPodLabels },
        },
      ]);
      expect(allowsIp('8.8.8.8', 53, 'UDP')).toBe(false);

      // HTTPS to the internet (GitHub, the TechDocs bucket) ...
      expect(allowsIp('140.82.112.3', 443)).toBe(true);
      expect(allowsIp('52.219.170.1', 443)).toBe(true);
      expect(allowsIp('2606:50c0:8000::153', 443)).toBe(true);
      // ... and nothing else there
      expect(allowsIp('140.82.112.3', 22)).toBe(false);
      expect(allowsIp('140.82.112.3', 80)).toBe(false);
      // not the cloud metadata endpoint, nor the private networks
      expect(allowsIp('169.254.169.254', 443)).toBe(false);
      expect(allowsIp('169.254.169.254', 80)).toBe(false);
      expect(allowsIp('192.168.1.10', 443)).toBe(false);
      expect(allowsIp('172.20.0.5', 443)).toBe(false);
      expect(allowsIp('10.200.0.7', 443)).toBe(false);
      expect(allowsIp('fd00:ec2::254', 443)).toBe(false);
      expect(allowsIp('fe80::1', 443)).toBe(false);
      const internet = rules.find((r: any) =>
        r.to.some((p: any) => p.ipBlock?.cidr === '0.0.0.0/0'),
      );
      expect(
        internet.to.find((p: any) => p.ipBlock.cidr === '0.0.0.0/0').ipBlock
          .except,
      ).toEqual(
        expect.arrayContaining([
          '10.0.0.0/8',
          '172.16.0.0/12',
          '192.168.0.0/16',
          '169.254.0.0/16',
        ]),
      );
      expect(
        internet.to.find((p: any) => p.ipBlock.cidr === '::/0').ipBlock.except,
      ).toEqual(expect.arrayContaining(['fc00::/7', 'fe80::/10']));

      // the configured private addresses, on their own ports only
      const cidrFor = (port: number) =>
        rules
          .filter((r: any) => allowsPort(r, port, 'TCP'))
          .flatMap((r: any) => r.to.map((p: any) => p.ipBlock?.cidr));
      const [postgres] = cidrFor(5432);
      const [redis] = cidrFor(6379);
      const [api] = cidrFor(6443);
      const first = (cidr: string) => cidr.split('/')[0];
      expect(allowsIp(first(postgres), 5432)).toBe(true);
      expect(allowsIp(first(postgres), 6379)).toBe(false);
      expect(allowsIp(first(redis), 6379)).toBe(true);
      expect(allowsIp(first(redis), 5432)).toBe(false);
      expect(allowsIp(first(api), 6443)).toBe(true);
      expect(allowsIp(first(api), 443)).toBe(true);
      expect(allowsIp(first(api), 5432)).toBe(false);
    });

    it('let only the ingress controller reach the backend port', () => {
      const rules = ingress[0].spec.ingress;
      expect(rules).toHaveLength(1);
      expect(rules[0].from).toEqual([
        {
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
          },
        },
      ]);
      expect(rules[0].ports).toEqual([
        { protocol: 'TCP', port: container.ports[0].containerPort },
      ]);
    });
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

  it('installs no packages in the runtime stage: no mkdocs (CI publishes the TechDocs), no compilers', () => {
    // the build stages compile the native addons; scripts/image/image.test.ts
    // checks the built image has neither mkdocs nor a compiler
    expect(
      stages
        .slice(0, -1)
        .some(stage => stage.some(l => /apt-get install/.test(l))),
    ).toBe(true);
    expect(runtime.filter(l => /apt-get|apk add|dnf |yum /.test(l))).toEqual(
      [],
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
