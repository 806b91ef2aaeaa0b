/*
 * The portal's backend: upstream plugins plus ours (platform-deploy,
 * backup-status, the permission policy). See README.md.
 */

import { createBackend } from '@backstage/backend-defaults';
import { techdocsModulePrebuild } from './modules/techdocsPrebuild';
import { exitOnMissingVariables } from './requiredEnvironment';

// A secret used by the --config files but missing from the environment stops
// the start here, with its name (see requiredEnvironment.ts).
exitOnMissingVariables();

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// our actions: platform:infra:render, platform:gitops:render, platform:gitops:set-image
backend.add(
  import(
    '@platform-portal/backstage-plugin-scaffolder-backend-module-platform'
  ),
);

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// our policy: everyone signed in reads; owners and the platform team change;
// the guest only reads (plugins/permission-backend-module-platform-policy)
backend.add(
  import(
    '@platform-portal/backstage-plugin-permission-backend-module-platform-policy'
  ),
);

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));
// builds every entity's TechDocs on the scheduler, so the collator above
// finds them before anyone has opened them (techdocs.builder: local)
backend.add(techdocsModulePrebuild);

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// our plugins: deployment status (+ GitHub webhooks) and backup status
backend.add(
  import('@platform-portal/backstage-plugin-platform-deploy-backend'),
);
backend.add(
  import(
    '@platform-portal/backstage-plugin-platform-deploy-backend-module-github'
  ),
);
// cost views: GET /api/platform-deploy/v1/costs from platformDeploy.costs
backend.add(
  import(
    '@platform-portal/backstage-plugin-platform-deploy-backend-module-costs'
  ),
);
backend.add(import('@platform-portal/backstage-plugin-backup-status-backend'));
// backups found in an S3-compatible bucket (does nothing without backupStatus.s3)
backend.add(
  import('@platform-portal/backstage-plugin-backup-status-backend-module-s3'),
);
// Velero Backup objects (does nothing without backupStatus.velero)
backend.add(
  import(
    '@platform-portal/backstage-plugin-backup-status-backend-module-velero'
  ),
);

// A plugin that fails to start (e.g. two replicas migrating a fresh database
// at the same moment) must end the process, so that Kubernetes restarts it;
// left alone, the backend would log the rejection and stay unready forever.
backend.start().catch(error => {
  process.stderr.write(`Backend failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
