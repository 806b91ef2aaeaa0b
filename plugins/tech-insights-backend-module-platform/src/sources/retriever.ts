import { parseEntityRef } from '@backstage/catalog-model';
import {
  FactRetriever,
  TechInsightFact,
} from '@backstage-community/plugin-tech-insights-node';
import { DateTime } from 'luxon';
import { factSchemaOf, PlatformFactSource } from './types';

/**
 * A tech-insights fact retriever of a source: each run reads the source
 * once and writes one fact row per entity, all with the run's timestamp.
 *
 * @public
 */
export function createPlatformFactRetriever(
  source: PlatformFactSource,
): FactRetriever {
  return {
    id: source.id,
    version: source.version,
    title: source.title,
    description: source.description,
    schema: factSchemaOf(source),
    async handler({ logger }) {
      const started = Date.now();
      const facts = await source.read({ logger });
      const timestamp = DateTime.now();
      const rows: TechInsightFact[] = [];
      for (const [entityRef, value] of facts) {
        const { kind, namespace, name } = parseEntityRef(entityRef);
        rows.push({
          entity: { kind, namespace, name },
          timestamp,
          facts: { [source.factName]: value },
        });
      }
      logger.info(
        `Read ${rows.length} entities' ${source.factName} facts in ${
          Date.now() - started
        } ms`,
      );
      return rows;
    },
  };
}
