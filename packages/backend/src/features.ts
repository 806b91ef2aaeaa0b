/*
 * The backend's features: upstream plugins plus ours. index.ts starts them;
 * tests start the same list (for example, the permission policy's coverage
 * test enumerates what every installed plugin registers). Static imports, so
 * that Jest loads them as the backend does.
 */
import { BackendFeature } from '@backstage/backend-plugin-api';
import appBackend from '@backstage/plugin-app-backend';
import proxyBackend from '@backstage/plugin-proxy-backend';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderBackendModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import scaffolderBackendModuleNotifications from '@backstage/plugin-scaffolder-backend-module-notifications';
import ourScaffolderBackendModulePlatform from '@platform-portal/backstage-plugin-scaffolder-backend-module-platform';
import techdocsBackend from '@backstage/plugin-techdocs-backend';
import authBackend from '@backstage/plugin-auth-backend';
import authBackendModuleGithubProvider from '@backstage/plugin-auth-backend-module-github-provider';
import authBackendModuleGuestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogBackendModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogBackendModuleLogs from '@backstage/plugin-catalog-backend-module-logs';
import permissionBackend from '@backstage/plugin-permission-backend';
import ourPermissionBackendModulePlatformPolicy from '@platform-portal/backstage-plugin-permission-backend-module-platform-policy';
import searchBackend from '@backstage/plugin-search-backend';
import searchBackendModulePg from '@backstage/plugin-search-backend-module-pg';
import searchBackendModuleCatalog from '@backstage/plugin-search-backend-module-catalog';
import searchBackendModuleTechdocs from '@backstage/plugin-search-backend-module-techdocs';
import kubernetesBackend from '@backstage/plugin-kubernetes-backend';
import userSettingsBackend from '@backstage/plugin-user-settings-backend';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import signalsBackend from '@backstage/plugin-signals-backend';
import mcpActionsBackend from '@backstage/plugin-mcp-actions-backend';
import ourPlatformDeployBackend from '@platform-portal/backstage-plugin-platform-deploy-backend';
import ourPlatformDeployBackendModuleGithub from '@platform-portal/backstage-plugin-platform-deploy-backend-module-github';
import ourPlatformDeployBackendModuleCosts from '@platform-portal/backstage-plugin-platform-deploy-backend-module-costs';
import ourBackupStatusBackend from '@platform-portal/backstage-plugin-backup-status-backend';
import ourBackupStatusBackendModuleS3 from '@platform-portal/backstage-plugin-backup-status-backend-module-s3';
import ourBackupStatusBackendModuleVelero from '@platform-portal/backstage-plugin-backup-status-backend-module-velero';
import techInsightsBackend from '@backstage-community/plugin-tech-insights-backend';
import techInsightsBackendModuleJsonfc from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import ourTechInsightsBackendModulePlatform from '@platform-portal/backstage-plugin-tech-insights-backend-module-platform';
import ourReadinessBackend from '@platform-portal/backstage-plugin-readiness-backend';
import { techdocsModulePrebuild } from './modules/techdocsPrebuild';
import ourImageScansBackend from '@platform-portal/backstage-plugin-image-scans-backend';
import ourHealthBackend from '@platform-portal/backstage-plugin-health-backend';
import codeCoverageBackend from '@backstage-community/plugin-code-coverage-backend';
import ourCodeCoverageBackendModulePlatform from '@platform-portal/backstage-plugin-code-coverage-backend-module-platform';

/** Every plugin and module of the portal's backend, in start order. */
export const backendFeatures: BackendFeature[] = [
  appBackend,
  proxyBackend,

  // scaffolder plugin
  scaffolderBackend,
  scaffolderBackendModuleGithub,
  scaffolderBackendModuleNotifications,
  // our actions: platform:infra:render, platform:gitops:render, platform:gitops:set-image
  ourScaffolderBackendModulePlatform,

  // techdocs plugin
  techdocsBackend,

  // auth plugin
  authBackend,
  // See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
  authBackendModuleGuestProvider,
  // GitHub sign-in, the production config's only provider (signIn.test.ts)
  authBackendModuleGithubProvider,
  // See https://backstage.io/docs/auth/guest/provider

  // catalog plugin
  catalogBackend,
  catalogBackendModuleScaffolderEntityModel,

  // See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
  catalogBackendModuleLogs,

  // permission plugin
  permissionBackend,
  // our policy: everyone signed in reads; owners and the platform team change;
  // the guest only reads (plugins/permission-backend-module-platform-policy)
  ourPermissionBackendModulePlatformPolicy,

  // search plugin
  searchBackend,

  // search engine
  // See https://backstage.io/docs/features/search/search-engines
  searchBackendModulePg,

  // search collators
  searchBackendModuleCatalog,
  searchBackendModuleTechdocs,
  // builds every entity's TechDocs on the scheduler, so the collator above
  // finds them before anyone has opened them (techdocs.builder: local)
  techdocsModulePrebuild,

  // kubernetes plugin
  kubernetesBackend,

  // user settings plugin
  userSettingsBackend,

  // notifications and signals plugins
  notificationsBackend,
  signalsBackend,

  // mcp actions plugin
  mcpActionsBackend,

  // our plugins: deployment status (+ GitHub webhooks) and backup status
  ourPlatformDeployBackend,
  ourPlatformDeployBackendModuleGithub,
  // cost views: GET /api/platform-deploy/v1/costs from platformDeploy.costs
  ourPlatformDeployBackendModuleCosts,
  ourBackupStatusBackend,
  // backups found in an S3-compatible bucket (does nothing without backupStatus.s3)
  ourBackupStatusBackendModuleS3,
  // Velero Backup objects (does nothing without backupStatus.velero)
  ourBackupStatusBackendModuleVelero,

  // tech-insights: fact retrievers on the scheduler, facts with history, and
  // the scorecard checks (techInsights.factChecker.checks) as
  // json-rules-engine rules; the engine of the readiness scorecards
  techInsightsBackend,
  techInsightsBackendModuleJsonfc,
  // our fact retrievers: deploys, backups, catalog metadata, each one bulk
  // read per run (techInsights.factRetrievers.platform*)
  ourTechInsightsBackendModulePlatform,
  // production readiness: levels of every Component from those checks,
  // stored with a daily history; /api/readiness (readiness.levels)
  ourReadinessBackend,
  // code coverage: the community backend stores and serves LCOV, Cobertura
  // and JaCoCo reports; our modules in front of it check the ingest scope
  // (a team's CI token reports only for its own entities) and read
  // permission, and adds the coverage figures of every entity for the
  // quality facts and the embedded default's demo reports (codeCoverage.demo)
  codeCoverageBackend,
  ourCodeCoverageBackendModulePlatform,

  // image scans: Trivy reports per (entity, version), shown for the version
  // live in each environment (read from platform-deploy)
  ourImageScansBackend,

  // service health: alerts per entity from Alertmanager, incidents from its
  // webhook (MTTR, MTBF), uptime against the 99.9 % SLO from Prometheus,
  // silences for owners; without health.alertmanager and health.prometheus
  // (the embedded default) a demo, marked as such, that calls nothing
  ourHealthBackend,
];
