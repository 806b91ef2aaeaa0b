import { LoggerService } from '@backstage/backend-plugin-api';
import { FactSchema } from '@backstage-community/plugin-tech-insights-common';
import { JsonObject } from '@backstage/types';

/**
 * The facts of one category about one entity: one object fact of
 * tech-insights, that checks read with JSON paths
 * (`{ fact: deploys, path: $.successRate, operator: greaterThan, value: 0.95 }`).
 *
 * - `applicable: false` says that no check of the category applies to the
 *   entity (a component without stateful dependencies has no backups to
 *   check), and `reason` why; the readiness plugin shows those checks as
 *   not applicable.
 * - A figure the source has no data for is `null` (no production deploy in
 *   the window has no success rate): a check failing on it has no data.
 * - `notes` explain a figure in words, keyed by its name
 *   (`notes.outsideRpo: 'resource:default/chat-db: last success 31 h ago, RPO 24 h'`):
 *   what a failing check shows as its reason.
 *
 * @public
 */
export type CategoryFacts = JsonObject & {
  applicable: boolean;
  reason?: string;
  notes?: Record<string, string>;
};

/** What a source reads in one run: the facts of every entity it knows, by entity ref. @public */
export type SourceFacts = Map<string, CategoryFacts>;

/**
 * A source of one category of facts, read in bulk: one request or query of
 * its store per run, never one per entity. The module turns each into a
 * tech-insights fact retriever (`createPlatformFactRetriever`); coverage and
 * image scans, alerts and uptime are further sources of the same shape.
 *
 * @public
 */
export interface PlatformFactSource {
  /**
   * The retriever's id: what checks name in `factIds`, and its key under
   * `techInsights.factRetrievers` (cadence, lifecycle).
   */
  id: string;
  /** The version of the fact's shape (semver); bump it when fields change. */
  version: string;
  /** What the facts are, for people. */
  title: string;
  /** Where they come from, for the fact schema. */
  description: string;
  /** The name of the one object fact it writes (`deploys`, `backups`, `catalog`). */
  factName: string;
  /** What its fields mean, for the fact schema's description. */
  fields: Record<string, string>;
  /** Reads the facts of every entity the source knows. */
  read(options: { logger: LoggerService }): Promise<SourceFacts>;
}

/** The tech-insights schema of a source's one object fact. */
export function factSchemaOf(source: PlatformFactSource): FactSchema {
  return {
    [source.factName]: {
      type: 'object',
      description: `${source.description} Fields: ${Object.entries(
        source.fields,
      )
        .map(([name, meaning]) => `${name}: ${meaning}`)
        .join('; ')}.`,
    },
  };
}
