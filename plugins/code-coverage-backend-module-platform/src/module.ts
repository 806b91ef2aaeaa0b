import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { codeCoverageModuleIngestScope } from './ingestScope';
import { codeCoverageModuleQuality } from './qualityFacts';

/**
 * Both modules of this package, in the order they mount their routers
 * (the ingest scope first, so that it stands in front of every route).
 *
 * @public
 */
export const codeCoverageModulePlatform = createBackendFeatureLoader({
  loader() {
    return [codeCoverageModuleIngestScope, codeCoverageModuleQuality];
  },
});
