/*
 * The portal's backend: upstream plugins plus ours (platform-deploy,
 * backup-status, the permission policy), listed in features.ts. See README.md.
 */

import { createBackend } from '@backstage/backend-defaults';
import { backendFeatures } from './features';
import { exitOnMissingVariables } from './requiredEnvironment';

// A variable or secret file used by the --config files but missing stops the
// start here, with its name and config key (see requiredEnvironment.ts).
exitOnMissingVariables();

const backend = createBackend();
for (const feature of backendFeatures) {
  backend.add(feature);
}

// A plugin that fails to start (e.g. two replicas migrating a fresh database
// at the same moment) must end the process, so that Kubernetes restarts it;
// left alone, the backend would log the rejection and stay unready forever.
backend.start().catch(error => {
  process.stderr.write(`Backend failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
