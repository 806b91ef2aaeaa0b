/**
 * The GitOps layout of one service, as `platform:gitops:render` writes it
 * and `platform:gitops:set-image` edits it:
 *
 *   apps/<name>/base/                Deployment per slot (blue, green), Service,
 *                                    Ingress, HPA per slot, PodDisruptionBudget
 *   apps/<name>/overlays/<env>/      kustomization.yaml (namespace, the image
 *                                    tag of each slot), live-slot.yaml (which
 *                                    slot the Service sends traffic to),
 *                                    ingress-host.yaml, compose.yml (the same
 *                                    release for the Docker Compose platform)
 *   apps/<name>/monitoring/          alert-rules.yaml: the estate's five
 *                                    alert rules for this service, labelled
 *                                    service=<name> (alertRules.ts)
 *   clusters/<env>/<name>.yaml       Flux Kustomization of the overlay
 *
 * Everything a release changes lives in the overlay directory of its
 * environment, so a rollback or a promotion touches one directory.
 */
import yaml from 'yaml';
import { renderAlertRules } from './alertRules';

/** @public */
export type ServiceKind = 'service' | 'website' | 'landing';

/**
 * Limits per kind from the estate's plan (the allocations of the portal's
 * docs/runbooks/cost-model.md); requests are half.
 */
export const RESOURCES_BY_KIND: Record<
  ServiceKind,
  { cpu: string; memory: string; composeCpus: string; composeMemory: string }
> = {
  service: {
    cpu: '500m',
    memory: '512Mi',
    composeCpus: '0.5',
    composeMemory: '512M',
  },
  website: {
    cpu: '250m',
    memory: '256Mi',
    composeCpus: '0.25',
    composeMemory: '256M',
  },
  landing: {
    cpu: '100m',
    memory: '128Mi',
    composeCpus: '0.1',
    composeMemory: '128M',
  },
};

const HALF: Record<string, string> = {
  '500m': '250m',
  '250m': '125m',
  '100m': '50m',
  '512Mi': '256Mi',
  '256Mi': '128Mi',
  '128Mi': '64Mi',
};

/** @public */
export type Slot = 'blue' | 'green';
export const SLOTS: Slot[] = ['blue', 'green'];

/** @public */
export type GitopsRequest = {
  name: string;
  system?: string;
  kind: ServiceKind;
  image: string;
  tag: string;
  port: number;
  healthPath: string;
  environments: string[];
  /** Public host per environment. */
  hosts: Record<string, string>;
  namespaces: Record<string, string>;
  /** The portal's base URL, which the alert rules' runbook links start with. */
  portalUrl?: string;
};

/** The slot label every object of a slot carries; the Service selects on it. */
export const SLOT_LABEL = 'platform-portal.dev/slot';

/** The overlay directory of a service in one environment. */
export function overlayDir(root: string, name: string, environment: string) {
  return `${
    root === '.' ? '' : `${root}/`
  }apps/${name}/overlays/${environment}`;
}

/** The placeholder image name of a slot, replaced by the overlay's `images`. */
export function slotImage(name: string, slot: Slot) {
  return `${name}-${slot}`;
}

/**
 * Whether a string, written plain, reads back as the same string in YAML
 * 1.2 (the `yaml` library, Flux) and in YAML 1.1 (Kubernetes' and
 * Compose's parsers, where `no`, `on` and `y` are booleans and `1:20` is a
 * number). `null`, `true` and `1.10` are neither.
 */
function readsBackPlain(value: string): boolean {
  try {
    return (
      yaml.parse(value) === value &&
      yaml.parse(value, { version: '1.1' }) === value
    );
  } catch {
    return false;
  }
}

/**
 * A string as a YAML scalar (key or value) that every YAML reader reads as
 * that string: plain where that is safe, so that the files stay as people
 * write them, double-quoted (JSON) otherwise. Every value interpolated into
 * the hand-written files below goes through this.
 */
export function yamlScalar(value: string): string {
  return readsBackPlain(value) ? value : JSON.stringify(value);
}

function doc(value: unknown, comment?: string): string {
  const document = new yaml.Document(value);
  // The library quotes what YAML 1.2 would misread; YAML 1.1 readers need
  // more (`no`, `on`, `y`).
  yaml.visit(document, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && !readsBackPlain(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  if (comment) document.commentBefore = ` ${comment}`;
  return document.toString({ lineWidth: 0 });
}

function deployment(request: GitopsRequest, slot: Slot) {
  const limits = RESOURCES_BY_KIND[request.kind];
  const probe = (periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path: request.healthPath, port: 'http' },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: `${request.name}-${slot}`,
      labels: { [SLOT_LABEL]: slot },
    },
    spec: {
      selector: {
        matchLabels: {
          'app.kubernetes.io/name': request.name,
          [SLOT_LABEL]: slot,
        },
      },
      template: {
        metadata: {
          labels: {
            'app.kubernetes.io/name': request.name,
            [SLOT_LABEL]: slot,
          },
        },
        spec: {
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            fsGroup: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: request.name,
              image: slotImage(request.name, slot),
              ports: [{ name: 'http', containerPort: request.port }],
              envFrom: [
                {
                  secretRef: {
                    name: `${request.name}-postgres`,
                    optional: true,
                  },
                },
                {
                  secretRef: { name: `${request.name}-redis`, optional: true },
                },
              ],
              resources: {
                requests: {
                  cpu: HALF[limits.cpu],
                  memory: HALF[limits.memory],
                },
                limits: { cpu: limits.cpu, memory: limits.memory },
              },
              startupProbe: probe(5, 24),
              readinessProbe: probe(10, 3),
              livenessProbe: probe(20, 3),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

function hpa(request: GitopsRequest, slot: Slot) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: `${request.name}-${slot}` },
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: `${request.name}-${slot}`,
      },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: 80 },
          },
        },
      ],
    },
  };
}

function ingressRules(request: GitopsRequest, host: string) {
  return {
    tls: [{ hosts: [host], secretName: `${request.name}-tls` }],
    rules: [
      {
        host,
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: {
                service: { name: request.name, port: { name: 'http' } },
              },
            },
          ],
        },
      },
    ],
  };
}

function baseFiles(request: GitopsRequest, dir: string) {
  const files: Record<string, string> = {};
  const labels = {
    'app.kubernetes.io/name': request.name,
    ...(request.system ? { 'app.kubernetes.io/part-of': request.system } : {}),
  };
  files[`${dir}/kustomization.yaml`] = doc(
    {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      labels: [{ pairs: labels, includeSelectors: false }],
      resources: [
        'deployment-blue.yaml',
        'deployment-green.yaml',
        'service.yaml',
        'ingress.yaml',
        'hpa.yaml',
        'pdb.yaml',
      ],
    },
    `${request.name}: both blue/green slots; the overlays choose images and the live slot.`,
  );
  for (const slot of SLOTS) {
    files[`${dir}/deployment-${slot}.yaml`] = doc(deployment(request, slot));
  }
  files[`${dir}/service.yaml`] = doc({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: request.name },
    spec: {
      selector: {
        'app.kubernetes.io/name': request.name,
        [SLOT_LABEL]: 'blue',
      },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    },
  });
  files[`${dir}/ingress.yaml`] = doc({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: request.name,
      annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
    },
    spec: {
      ingressClassName: 'nginx',
      ...ingressRules(request, `${request.name}.example.invalid`),
    },
  });
  files[`${dir}/hpa.yaml`] = SLOTS.map(slot => doc(hpa(request, slot))).join(
    '---\n',
  );
  files[`${dir}/pdb.yaml`] = doc({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: request.name },
    spec: {
      minAvailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': request.name } },
    },
  });
  return files;
}

function overlayKustomization(request: GitopsRequest, environment: string) {
  const images = SLOTS.map(
    slot => `  - name: ${yamlScalar(
      slotImage(request.name, slot),
    )} # the ${slot} slot
    newName: ${yamlScalar(request.image)}
    newTag: ${yamlScalar(request.tag)}`,
  ).join('\n');
  return `# ${
    request.name
  } in ${environment}. A release changes the newTag of a slot
# (platform:gitops:set-image, the rollback-service and promote-service
# templates) and, to switch traffic, live-slot.yaml.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${yamlScalar(request.namespaces[environment])}
resources:
  - ../../base
images:
${images}
patches:
  - path: live-slot.yaml
  - path: ingress-host.yaml
`;
}

function liveSlot(request: GitopsRequest, environment: string) {
  return `# The slot that receives traffic in ${environment}.
apiVersion: v1
kind: Service
metadata:
  name: ${yamlScalar(request.name)}
spec:
  selector:
    ${SLOT_LABEL}: blue
`;
}

function compose(request: GitopsRequest, environment: string) {
  const limits = RESOURCES_BY_KIND[request.kind];
  return `# ${
    request.name
  } in ${environment} on the estate's Docker Compose platform:
# the live slot's image, pulled by the deploy job on the server.
services:
  ${yamlScalar(request.name)}:
    image: ${yamlScalar(`${request.image}:${request.tag}`)}
    restart: unless-stopped
    user: "10001:10001"
    read_only: true
    tmpfs:
      - /tmp
    # Decrypted from secrets/${environment}/${
    request.name
  }.env (SOPS) on the server.
    env_file:
      - ${yamlScalar(`.env.${request.name}`)}
    healthcheck:
      test: ["CMD", "wget", "-qO-", ${JSON.stringify(
        `http://127.0.0.1:${request.port}${request.healthPath}`,
      )}]
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 30s
    deploy:
      resources:
        limits:
          cpus: "${limits.composeCpus}"
          memory: ${yamlScalar(limits.composeMemory)}
    labels:
      ${SLOT_LABEL}: blue
    networks:
      - platform
networks:
  platform:
    external: true
`;
}

function fluxKustomization(request: GitopsRequest, environment: string) {
  return doc(
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: {
        name: `${request.name}-${environment}`,
        namespace: 'flux-system',
      },
      spec: {
        interval: '5m',
        path: `./apps/${request.name}/overlays/${environment}`,
        prune: true,
        wait: true,
        timeout: '5m',
        sourceRef: { kind: 'GitRepository', name: 'flux-system' },
        healthChecks: SLOTS.map(slot => ({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: `${request.name}-${slot}`,
          namespace: request.namespaces[environment],
        })),
      },
    },
    `Flux applies ${request.name}'s ${environment} overlay.`,
  );
}

/** Every file of the layout, by path relative to the workspace. */
export function renderGitops(
  request: GitopsRequest,
  root: string,
): Record<string, string> {
  const prefix = root === '.' ? '' : `${root}/`;
  const files = baseFiles(request, `${prefix}apps/${request.name}/base`);
  files[`${prefix}apps/${request.name}/monitoring/alert-rules.yaml`] =
    renderAlertRules({ service: request.name, portalUrl: request.portalUrl });
  for (const environment of request.environments) {
    const dir = overlayDir(root, request.name, environment);
    files[`${dir}/kustomization.yaml`] = overlayKustomization(
      request,
      environment,
    );
    files[`${dir}/live-slot.yaml`] = liveSlot(request, environment);
    files[`${dir}/ingress-host.yaml`] = doc(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: request.name },
        spec: ingressRules(request, request.hosts[environment]),
      },
      `Public host of ${request.name} in ${environment}.`,
    );
    files[`${dir}/compose.yml`] = compose(request, environment);
    files[`${prefix}clusters/${environment}/${request.name}.yaml`] =
      fluxKustomization(request, environment);
  }
  return files;
}
