/**
 * Fact retrievers for tech-insights that read the portal's own stores in
 * bulk: deploys, backups, catalog metadata, and coverage with image scans.
 *
 * @packageDocumentation
 */
export { techInsightsModulePlatform as default } from './module';
export { createPlatformFactRetriever } from './sources/retriever';
export { createDeploysFactSource, toDeploysFacts } from './sources/deploys';
export { createBackupsFactSource, toBackupsFacts } from './sources/backups';
export {
  createCatalogFactSource,
  toCatalogFacts,
  isRunbookLink,
} from './sources/catalog';
export { createQualityFactSource, toQualityFacts } from './sources/quality';
export { createHealthFactSource, toHealthFacts } from './sources/health';
export { createPluginClient } from './sources/pluginClient';
export type { PluginClient } from './sources/pluginClient';
export type {
  CategoryFacts,
  PlatformFactSource,
  SourceFacts,
} from './sources/types';
