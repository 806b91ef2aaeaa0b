/*
 * The portal's pod as deploy/kubernetes declares it, in the terms the image
 * must meet: the user it runs as, the paths it may write, where the secrets
 * are mounted, its probes and the grace period it has to stop in. The
 * manifests' test (deployment.test.ts) and the image's test
 * (scripts/image/image.test.ts) both read it from here, so the image and the
 * manifests cannot drift apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const manifestsDir = path.resolve(
  __dirname,
  '../../../../../deploy/kubernetes',
);

/** Every object of deploy/kubernetes/kustomization.yaml's resources. */
export function readManifests(): any[] {
  const kustomization = parse(
    fs.readFileSync(path.join(manifestsDir, 'kustomization.yaml'), 'utf8'),
  );
  return kustomization.resources.flatMap((file: string) =>
    parseAllDocuments(
      fs.readFileSync(path.join(manifestsDir, file), 'utf8'),
    ).map(d => d.toJS()),
  );
}

export type PortalProbe = {
  path: string;
  periodSeconds: number;
  failureThreshold: number;
};

export type PortalPod = {
  /** runAsUser and runAsGroup of the pod */
  uid: number;
  gid: number;
  /** the backend's container port */
  port: number;
  readOnlyRootFilesystem: boolean;
  /** where the pod's writable volumes (emptyDir) are mounted */
  writablePaths: string[];
  /** where the Secrets are mounted, read-only */
  secretsPath: string;
  startupProbe: PortalProbe;
  readinessProbe: PortalProbe;
  livenessProbe: PortalProbe;
  /** how long Kubernetes waits after SIGTERM before it kills the pod */
  terminationGracePeriodSeconds: number;
};

/** Kubernetes' default when a pod names no grace period. */
const DEFAULT_GRACE_PERIOD_SECONDS = 30;

export function readPortalPod(): PortalPod {
  const deployment = readManifests().find(o => o.kind === 'Deployment');
  const spec = deployment.spec.template.spec;
  const container = spec.containers[0];
  const volumes = new Map<string, any>(
    spec.volumes.map((v: any) => [v.name, v]),
  );
  const mounts: any[] = container.volumeMounts;
  const port = container.ports[0];
  const probe = (name: string): PortalProbe => {
    const p = container[name];
    if (p.httpGet.port !== port.name && p.httpGet.port !== port.containerPort) {
      throw new Error(`${name} does not probe the backend's port`);
    }
    return {
      path: p.httpGet.path,
      periodSeconds: p.periodSeconds ?? 10,
      failureThreshold: p.failureThreshold ?? 3,
    };
  };
  const secrets = mounts.find(m => volumes.get(m.name)?.projected);
  return {
    uid: spec.securityContext.runAsUser,
    gid: spec.securityContext.runAsGroup,
    port: port.containerPort,
    readOnlyRootFilesystem: container.securityContext.readOnlyRootFilesystem,
    writablePaths: mounts
      .filter(m => volumes.get(m.name)?.emptyDir && !m.readOnly)
      .map(m => m.mountPath),
    secretsPath: secrets.mountPath,
    startupProbe: probe('startupProbe'),
    readinessProbe: probe('readinessProbe'),
    livenessProbe: probe('livenessProbe'),
    terminationGracePeriodSeconds:
      spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS,
  };
}
