import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_CPU,
  ANNOTATION_ENVIRONMENTS,
  ANNOTATION_MEMORY,
} from '../annotations';
import { parseCpu, parseMemoryMiB } from './quantities';
import { CostServiceInput, Resources } from './types';

/**
 * The entity fields `toCostService` reads: pass them as `fields` to a catalog
 * query so the catalog returns nothing else.
 *
 * @public
 */
export const COST_ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  `metadata.annotations.${ANNOTATION_CPU}`,
  `metadata.annotations.${ANNOTATION_MEMORY}`,
  `metadata.annotations.${ANNOTATION_ENVIRONMENTS}`,
  'spec.type',
  'spec.system',
];

/**
 * One Component as the cost model sees it: its allocation per instance from
 * the `platform-portal.dev/cpu` and `/memory` annotations, or the default of
 * its `spec.type` for what is missing. An annotation that cannot be read
 * falls back to the default and is reported through `warn`.
 *
 * @public
 */
export function toCostService(
  entity: Entity,
  defaults: Record<string, Resources>,
  warn: (message: string) => void = () => {},
): CostServiceInput {
  const entityRef = stringifyEntityRef(entity);
  const annotations = entity.metadata.annotations ?? {};
  const type =
    typeof entity.spec?.type === 'string' ? entity.spec.type : undefined;
  const fallback = type ? defaults[type] : undefined;

  let cpu = parseCpu(annotations[ANNOTATION_CPU]);
  if (annotations[ANNOTATION_CPU] !== undefined && cpu === undefined) {
    warn(
      `${entityRef}: ${ANNOTATION_CPU} "${annotations[ANNOTATION_CPU]}" is not a CPU quantity; used the default of type ${type}`,
    );
  }
  let memoryMiB = parseMemoryMiB(annotations[ANNOTATION_MEMORY]);
  if (annotations[ANNOTATION_MEMORY] !== undefined && memoryMiB === undefined) {
    warn(
      `${entityRef}: ${ANNOTATION_MEMORY} "${annotations[ANNOTATION_MEMORY]}" is not a memory quantity; used the default of type ${type}`,
    );
  }

  let allocationSource: CostServiceInput['allocationSource'] = 'annotations';
  if (cpu === undefined || memoryMiB === undefined) {
    allocationSource = fallback ? 'default' : 'none';
    cpu ??= fallback?.cpu ?? 0;
    memoryMiB ??= fallback?.memoryMiB ?? 0;
  }

  const environments = annotations[ANNOTATION_ENVIRONMENTS]?.split(',')
    .map(e => e.trim())
    .filter(Boolean);
  const system =
    typeof entity.spec?.system === 'string'
      ? parseEntityRef(entity.spec.system, {
          defaultKind: 'system',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }).name
      : undefined;

  return {
    entityRef,
    name: entity.metadata.name,
    title: entity.metadata.title,
    system,
    type,
    environments: environments?.length ? environments : undefined,
    allocation: { cpu, memoryMiB },
    allocationSource,
  };
}
