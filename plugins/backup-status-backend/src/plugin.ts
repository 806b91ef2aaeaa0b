import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { backupStatusPermissions } from '@platform-portal/backstage-plugin-backup-status-common';
import {
  BackupSource,
  backupStatusSourcesExtensionPoint,
} from '@platform-portal/backstage-plugin-backup-status-node';
import {
  IngestScopes,
  readTrustedLocations,
} from '@platform-portal/backstage-plugin-platform-node';
import { readBackupStatusConfig, RETIRED_KEYS } from './config';
import { DatabaseBackupStore } from './database/DatabaseBackupStore';
import { notifyBackupChanges } from './notifications/notifyBackupChanges';
import { createRouter } from './router';
import { BackupRunRetention } from './service/BackupRunRetention';
import { createBackupStatusService } from './service/createBackupStatusService';
import { feedDemoData } from './service/demoData';
import { scheduleSources } from './service/sources';
import { StatusSnapshotRefresh } from './service/StatusSnapshotRefresh';

/**
 * The backup-status backend plugin: ingests backup runs, computes each
 * entity's backup health against its policy and serves it over HTTP.
 *
 * @public
 */
export const backupStatusPlugin = createBackendPlugin({
  pluginId: 'backup-status',
  register(env) {
    const sources: BackupSource[] = [];
    env.registerExtensionPoint(backupStatusSourcesExtensionPoint, {
      addSource(...newSources) {
        sources.push(...newSources);
      },
    });

    env.registerInit({
      deps: {
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        notifications: notificationService,
        rootConfig: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
      },
      async init(deps) {
        const { logger, scheduler } = deps;
        const config = readBackupStatusConfig(deps.rootConfig);
        for (const [key, replacement] of Object.entries(RETIRED_KEYS)) {
          if (deps.rootConfig.has(key)) {
            logger.warn(`${key} is no longer read; use ${replacement}`);
          }
        }
        const store = await DatabaseBackupStore.create({
          database: deps.database,
        });
        const service = createBackupStatusService({
          store,
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
          policies: config.policies,
        });

        // The overview's status snapshot is built before the backend reports
        // ready, and again every minute: no request waits for a build.
        const snapshotRefresh = new StatusSnapshotRefresh({ service, logger });
        snapshotRefresh.warmUpOnStart(deps.lifecycle);
        await snapshotRefresh.schedule(scheduler, {
          frequency: { minutes: 1 },
          timeout: { minutes: 5 },
          initialDelay: { minutes: 1 },
        });

        deps.permissionsRegistry.addPermissions(backupStatusPermissions);
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger,
            service,
            ingestScopes: IngestScopes.fromConfig(deps.rootConfig),
            ingestRunsPerMinute: config.ingest.runsPerMinute,
          }),
        );

        await scheduleSources({
          sources,
          scheduler,
          schedule: config.sources.schedule,
          service,
          logger,
          // only entities from trusted locations drive a bucket listing or a
          // Velero query: any signed-in user may register a location
          trustedLocations: readTrustedLocations(deps.rootConfig),
        });

        // Crossing into critical (and recovering) notifies the owning group
        // once per incident; the last seen status is stored, so replicas agree.
        await scheduler.scheduleTask({
          id: 'backup-status:notify',
          ...config.notifications.schedule,
          scope: 'global',
          fn: async () => {
            await notifyBackupChanges({
              service,
              store,
              notifications: deps.notifications,
              logger,
            });
          },
        });

        // Runs past backupStatus.retention.days go, once a day on one
        // replica; the latest of each kind stays for the status.
        await new BackupRunRetention({
          store,
          logger,
          days: config.retention.days,
        }).schedule(scheduler, config.retention.schedule);

        if (config.demo.enabled) {
          await scheduler.scheduleTask({
            id: 'backup-status:demo-feed',
            // Often enough to fill in soon after the catalog has ingested the
            // entities on a fresh start; repeats store nothing (idempotency).
            frequency: { minutes: 5 },
            timeout: { minutes: 5 },
            initialDelay: { seconds: 20 },
            scope: 'global',
            fn: async () => {
              await feedDemoData({ service, store, logger, now: new Date() });
            },
          });
        }
      },
    });
  },
});
