/**
 * The portal's modules of the community code-coverage backend
 * (`@backstage-community/plugin-code-coverage-backend`):
 *
 * - `platform-ingest-scope` (ingestScope.ts): a team's CI reports only for
 *   its own entities, and every read needs `code-coverage.read`;
 * - `platform-quality` (qualityFacts.ts): `GET /platform/v1/entity-facts`
 *   for the quality scorecards and, with `codeCoverage.demo.enabled`, the
 *   embedded default's demo reports.
 *
 * The default export adds both: `backend.add(import('...'))`.
 *
 * @packageDocumentation
 */
export { codeCoverageModulePlatform as default } from './module';
export {
  codeCoverageIngestPermission,
  codeCoverageReadPermission,
} from './ingestScope';
