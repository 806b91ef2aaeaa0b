/*
 * The estate catalog as app-config.yaml loads it: every file reachable from the
 * configured file locations (following Location entities), validated with
 * @backstage/catalog-model, and checked against the catalog contract
 * (docs/catalog-contract.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import {
  Entity,
  EntityPolicies,
  DefaultNamespaceEntityPolicy,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  KindValidator,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';

const repoRoot = path.resolve(__dirname, '../../../..');
const backendDir = path.join(repoRoot, 'packages/backend');

/** The 39 services of shared/DOMAIN.md: the catalog must hold exactly these. */
const ESTATE_COMPONENTS = [
  'mana-core-auth',
  ...['backend', 'web', 'mobile', 'landing'].map(p => `chat-${p}`),
  ...['backend', 'web', 'mobile', 'landing'].map(p => `maerchenzauber-${p}`),
  ...['backend', 'web', 'mobile', 'landing'].map(p => `manadeck-${p}`),
  ...['web', 'mobile', 'landing'].map(p => `memoro-${p}`),
  ...['web', 'mobile', 'landing'].map(p => `picture-${p}`),
  ...['backend', 'web', 'mobile', 'landing'].map(p => `wisekeep-${p}`),
  ...['backend', 'web', 'mobile', 'landing'].map(p => `quote-${p}`),
  'nutriphi-backend',
  'nutriphi-web',
  'uload-web',
  'bauntown-landing',
  'manacore-web',
  'manacore-mobile',
  'postgres',
  'redis',
  'prometheus',
  'grafana',
  'loki',
  'alertmanager',
];

const PREFIX = 'platform-portal.dev';

const kindValidators: KindValidator[] = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  // the self-service templates (templates/all.yaml)
  templateEntityV1beta3Validator,
];

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

type LoadedEntity = { entity: Entity; file: string };

/** Reads the file locations of app-config.yaml and follows Location targets. */
function loadConfiguredCatalog(): LoadedEntity[] {
  const appConfig = parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  const pending: string[] = appConfig.catalog.locations
    .filter((l: { type: string }) => l.type === 'file')
    .map((l: { target: string }) => path.resolve(backendDir, l.target));
  const seen = new Set<string>();
  const loaded: LoadedEntity[] = [];
  while (pending.length > 0) {
    const file = pending.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      if (doc.errors.length > 0) {
        throw new Error(`${file}: ${doc.errors[0].message}`);
      }
      const entity = doc.toJS() as Entity;
      loaded.push({ entity, file });
      if (entity.kind === 'Location') {
        const spec = entity.spec as { target?: string; targets?: string[] };
        for (const target of [spec.target, ...(spec.targets ?? [])]) {
          if (target) pending.push(path.resolve(path.dirname(file), target));
        }
      }
    }
  }
  return loaded;
}

/** Relation fields of spec, with the kind each bare reference defaults to. */
const RELATION_FIELDS: Array<[field: string, defaultKind: string]> = [
  ['owner', 'Group'],
  ['system', 'System'],
  ['domain', 'Domain'],
  ['parent', 'Group'],
  ['children', 'Group'],
  ['memberOf', 'Group'],
  ['dependsOn', 'Component'],
  ['dependencyOf', 'Component'],
  ['providesApis', 'API'],
  ['consumesApis', 'API'],
  ['subcomponentOf', 'Component'],
];

function relationTargets(entity: Entity): string[] {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  return RELATION_FIELDS.flatMap(([field, defaultKind]) => {
    const value = spec[field];
    const refs = [value].flat().filter(Boolean);
    return refs.map(ref =>
      stringifyEntityRef(
        parseEntityRef(String(ref), {
          defaultKind,
          defaultNamespace: 'default',
        }),
      ),
    );
  });
}

describe('estate catalog', () => {
  const loaded = loadConfiguredCatalog();
  const entities = loaded.map(l => l.entity);
  const components = entities.filter(e => e.kind === 'Component');

  it.each(loaded.map(l => [stringifyEntityRef(l.entity), l] as const))(
    '%s is a valid entity',
    async (_ref, { entity }) => {
      await expect(policy.enforce(entity)).resolves.toBeDefined();
      const results = await Promise.all(
        kindValidators.map(v => v.check(entity)),
      );
      expect(results).toContain(true);
    },
  );

  it('has exactly the 39 services of the estate as Components', () => {
    expect(components.map(c => c.metadata.name).sort()).toEqual(
      [...ESTATE_COMPONENTS].sort(),
    );
  });

  it('declares every entity once', () => {
    const refs = entities.map(e => stringifyEntityRef(e));
    expect(refs.filter((r, i) => refs.indexOf(r) !== i)).toEqual([]);
  });

  it('points every relation at an entity that exists', () => {
    const known = new Set(entities.map(e => stringifyEntityRef(e)));
    const dangling = entities.flatMap(e =>
      relationTargets(e)
        .filter(target => !known.has(target))
        .map(target => `${stringifyEntityRef(e)} -> ${target}`),
    );
    expect(dangling).toEqual([]);
  });

  it('gives every Component the fields the portal reads', () => {
    const problems = components.flatMap(c => {
      const spec = c.spec as Record<string, string>;
      const a = c.metadata.annotations ?? {};
      const missing = [
        !spec.type && 'spec.type',
        !spec.lifecycle && 'spec.lifecycle',
        !spec.owner && 'spec.owner',
        !spec.system && 'spec.system',
        !c.metadata.tags?.length && 'metadata.tags',
        !a['github.com/project-slug'] && 'github.com/project-slug',
        !a['backstage.io/kubernetes-id'] && 'backstage.io/kubernetes-id',
        !a[`${PREFIX}/environments`] && `${PREFIX}/environments`,
      ].filter(Boolean);
      return missing.map(m => `${c.metadata.name}: ${m}`);
    });
    expect(problems).toEqual([]);
  });

  it('allocates CPU and memory to every server-side Component', () => {
    const problems = components
      .filter(c => (c.spec as { type: string }).type !== 'mobile-app')
      .flatMap(c => {
        const a = c.metadata.annotations ?? {};
        const cpu = Number(a[`${PREFIX}/cpu`]);
        const memory = a[`${PREFIX}/memory`] ?? '';
        return [
          !(cpu > 0) && `${c.metadata.name}: ${PREFIX}/cpu`,
          !/^\d+(Mi|Gi)$/.test(memory) &&
            `${c.metadata.name}: ${PREFIX}/memory`,
        ].filter(Boolean);
      });
    expect(problems).toEqual([]);
  });

  it('lists only known environments, with a health URL for each on deployed services', () => {
    const problems = components.flatMap(c => {
      const a = c.metadata.annotations ?? {};
      const envs = (a[`${PREFIX}/environments`] ?? '').split(',');
      const bad = envs
        .filter(env => !['staging', 'production'].includes(env))
        .map(env => `${c.metadata.name}: unknown environment ${env}`);
      const needsHealth = ['service', 'website'].includes(
        (c.spec as { type: string }).type,
      );
      const noHealth = needsHealth
        ? envs
            .filter(env => !a[`${PREFIX}/health-url.${env}`])
            .map(env => `${c.metadata.name}: ${PREFIX}/health-url.${env}`)
        : [];
      return [...bad, ...noHealth];
    });
    expect(problems).toEqual([]);
  });

  it('makes backends depend on auth, postgres and redis, and web apps on their backend', () => {
    const names = new Set(components.map(c => c.metadata.name));
    const problems = components.flatMap(c => {
      const name = c.metadata.name;
      const deps = ((c.spec as { dependsOn?: string[] }).dependsOn ?? []).map(
        ref =>
          stringifyEntityRef(
            parseEntityRef(ref, {
              defaultKind: 'Component',
              defaultNamespace: 'default',
            }),
          ),
      );
      const expected: string[] = [];
      if (name.endsWith('-backend')) {
        expected.push('component:default/mana-core-auth');
      }
      if (name.endsWith('-backend') || name === 'mana-core-auth') {
        expected.push('component:default/postgres', 'component:default/redis');
      }
      const backend = name.replace(/-web$/, '-backend');
      if (name.endsWith('-web') && names.has(backend)) {
        expected.push(`component:default/${backend}`);
      }
      return expected
        .filter(e => !deps.includes(e))
        .map(e => `${name} should depend on ${e}`);
    });
    expect(problems).toEqual([]);
  });

  it('gives every stateful entity a backup policy', () => {
    const stateful = entities.filter(
      e =>
        ['postgres', 'redis'].includes(e.metadata.name) ||
        (e.kind === 'Resource' &&
          ['database', 'volume', 'git-repository'].includes(
            (e.spec as { type: string }).type,
          )),
    );
    expect(stateful.length).toBeGreaterThanOrEqual(9);
    expect(
      stateful
        .filter(e => !e.metadata.annotations?.[`${PREFIX}/backup-policy`])
        .map(e => e.metadata.name),
    ).toEqual([]);
  });
});
