/**
 * Fact retrievers for tech-insights that read the portal's own stores in
 * bulk: deploys, backups and catalog metadata.
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
export { createPluginClient } from './sources/pluginClient';
export type { PluginClient } from './sources/pluginClient';
export type {
  CategoryFacts,
  PlatformFactSource,
  SourceFacts,
} from './sources/types';
