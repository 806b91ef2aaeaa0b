import {
  coreServices,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { backupStatusPermissions } from '@platform-portal/backstage-plugin-backup-status-common';
import {
  BackupSource,
  backupStatusSourcesExtensionPoint,
} from '@platform-portal/backstage-plugin-backup-status-node';
import { DatabaseBackupStore } from './database/DatabaseBackupStore';
import { readPolicies } from './policies/policies';
import { createRouter } from './router';
import { createBackupStatusService } from './service/createBackupStatusService';
import { feedDemoData } from './service/demoData';
import { scheduleSources } from './service/sources';
import { notifyBackupChanges } from './notifications/notifyBackupChanges';
import { notificationService } from '@backstage/plugin-notifications-node';

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
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
      },
      async init(deps) {
        const { config, logger, scheduler } = deps;
        const store = await DatabaseBackupStore.create({
          database: deps.database,
        });
        const service = createBackupStatusService({
          store,
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
          policies: readPolicies(config),
        });

        deps.permissionsRegistry.addPermissions(backupStatusPermissions);
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger,
            service,
            ingestRequestsPerMinute: config.getOptionalNumber(
              'backupStatus.ingest.requestsPerMinute',
            ),
          }),
        );

        await scheduleSources({ sources, scheduler, config, service, logger });

        // Crossing into critical (and recovering) notifies the owning group
        // once per incident; the last seen status is stored, so replicas agree.
        const notifySchedule = config.has('backupStatus.notifications.schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              config.getConfig('backupStatus.notifications.schedule'),
            )
          : {
              frequency: { minutes: 15 },
              timeout: { minutes: 5 },
              initialDelay: { minutes: 1 },
            };
        await scheduler.scheduleTask({
          id: 'backup-status:notify',
          ...notifySchedule,
          scope: 'global',
          fn: async () => {
            await notifyBackupChanges({
              service,
              store,
              notifications: deps.notifications,
              auth: deps.auth,
              logger,
            });
          },
        });

        if (config.getOptionalBoolean('backupStatus.demo.enabled')) {
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
