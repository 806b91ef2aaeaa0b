import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { queryAllEntities } from './catalogPages';
import { CategoryFacts, PlatformFactSource } from './types';

/** Annotations that give an entity TechDocs. */
const TECHDOCS_ANNOTATIONS = [
  'backstage.io/techdocs-ref',
  'backstage.io/techdocs-entity',
];

/** A link is a runbook when its type says so, or its title or URL does. @public */
export function isRunbookLink(link: {
  url: string;
  title?: string;
  type?: string;
}): boolean {
  return (
    link.type?.toLocaleLowerCase('en-US') === 'runbook' ||
    /runbook/i.test(link.title ?? '') ||
    /\/runbooks?\//i.test(link.url)
  );
}

const text = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** The one place a catalog component becomes its `catalog` fact. @public */
export function toCatalogFacts(entity: Entity): CategoryFacts {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const annotations = entity.metadata.annotations ?? {};
  const owners = (entity.relations ?? [])
    .filter(r => r.type === 'ownedBy')
    .map(r => r.targetRef);
  const owner = owners[0] ?? null;
  const links = entity.metadata.links ?? [];
  const notes: Record<string, string> = {};
  const ownerIsGroup = owner !== null && owner.startsWith('group:');
  if (!ownerIsGroup) {
    notes.ownerIsGroup = owner
      ? `owned by ${owner}, not a team`
      : 'spec.owner is not set';
  }
  const techdocs = TECHDOCS_ANNOTATIONS.some(a => text(annotations[a]));
  if (!techdocs) notes.techdocs = 'no backstage.io/techdocs-ref annotation';
  const runbookLinked = links.some(isRunbookLink);
  if (!runbookLinked) {
    notes.runbookLinked = 'no metadata.links entry of type runbook';
  }
  const system = text(spec.system);
  if (!system) notes.systemSet = 'spec.system is not set';
  const lifecycle = text(spec.lifecycle);
  if (!lifecycle) notes.lifecycleSet = 'spec.lifecycle is not set';
  const description = text(entity.metadata.description);
  if (!description) notes.descriptionSet = 'metadata.description is not set';
  return {
    applicable: true,
    owner,
    ownerIsGroup,
    system,
    systemSet: system !== null,
    lifecycle,
    lifecycleSet: lifecycle !== null,
    descriptionSet: description !== null,
    techdocs,
    runbookLinked,
    ...(Object.keys(notes).length > 0 ? { notes } : {}),
  };
}

/**
 * Catalog facts of every component, from one paged query of the catalog
 * (only the fields the facts need).
 *
 * @public
 */
export function createCatalogFactSource(options: {
  catalog: CatalogService;
  auth: AuthService;
}): PlatformFactSource {
  return {
    id: 'platformCatalog',
    version: '1.0.0',
    title: 'Catalog metadata',
    description:
      "A component's ownership, system, lifecycle, description, TechDocs and runbook link, from the catalog.",
    factName: 'catalog',
    fields: {
      owner: 'the ownedBy relation target',
      ownerIsGroup: 'the owner is a Group (a team), not a User',
      system: 'spec.system',
      systemSet: 'spec.system is set',
      lifecycle: 'spec.lifecycle',
      lifecycleSet: 'spec.lifecycle is set',
      descriptionSet: 'metadata.description is set',
      techdocs: 'a backstage.io/techdocs-ref (or techdocs-entity) annotation',
      runbookLinked:
        'a metadata.links entry of type runbook (or titled runbook, or to /runbooks/)',
    },
    async read() {
      const components = await queryAllEntities({
        catalog: options.catalog,
        auth: options.auth,
        kind: 'component',
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.description',
          'metadata.annotations',
          'metadata.links',
          'spec.system',
          'spec.lifecycle',
          'relations',
        ],
      });
      return new Map(
        components.map(c => [stringifyEntityRef(c), toCatalogFacts(c)]),
      );
    },
  };
}
