import { Config } from '@backstage/config';
import { ANNOTATION_ORIGIN_LOCATION, Entity } from '@backstage/catalog-model';
import path from 'node:path';

/**
 * Which catalog locations the portal trusts: entities whose origin location
 * is one of these may drive a production change, a health probe, a bucket
 * listing or the GitHub webhook's repository mapping. Any signed-in user may
 * register a location, so an entity from anywhere else is data to show, never
 * an instruction to act on.
 *
 * The origin location is the `backstage.io/managed-by-origin-location`
 * annotation, which the catalog itself writes when it processes an entity
 * (whatever the entity's own YAML says).
 *
 * @public
 */
export interface TrustedLocations {
  /** Whether the entity comes from a trusted location. */
  isTrusted(entity: Entity): boolean;
  /** The trusted location refs and prefixes, for logs and errors. */
  readonly entries: readonly string[];
}

/**
 * Reads the trusted locations: every location in `catalog.locations` (file
 * targets resolved as the catalog resolves them) and the refs or prefixes in
 * `platformPortal.trustedLocations`. An entry that ends in `/` is a prefix
 * (`url:https://github.com/mana/` trusts every repository of that
 * organisation); any other entry must match exactly.
 *
 * @public
 */
export function readTrustedLocations(config: Config): TrustedLocations {
  const configured = (
    config.getOptionalConfigArray('catalog.locations') ?? []
  ).map(location => {
    const type = location.getString('type');
    const target = location.getString('target');
    return `${type}:${type === 'file' ? path.resolve(target) : target}`;
  });
  const extra =
    config.getOptionalStringArray('platformPortal.trustedLocations') ?? [];
  return trustedLocations([...configured, ...extra]);
}

/**
 * Trusted locations from a list of refs (`file:/abs/path.yaml`,
 * `url:https://…/catalog-info.yaml`) and prefixes ending in `/`.
 *
 * @public
 */
export function trustedLocations(entries: string[]): TrustedLocations {
  const exact = new Set(entries.filter(e => !e.endsWith('/')));
  const prefixes = entries.filter(e => e.endsWith('/'));
  return {
    entries,
    isTrusted(entity) {
      const origin = entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION];
      if (!origin) return false;
      return exact.has(origin) || prefixes.some(p => origin.startsWith(p));
    },
  };
}
