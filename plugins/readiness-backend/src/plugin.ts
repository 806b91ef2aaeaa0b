import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { addWarmUpHook } from '@platform-portal/backstage-plugin-platform-node';
import { readinessPermissions } from '@platform-portal/backstage-plugin-readiness-common';
import { readReadinessConfig } from './config';
import { ReadinessStore } from './database/ReadinessStore';
import { createLevelDropNotifier } from './notifications/levelDropNotifications';
import { createRouter } from './router';
import { createCatalogEntitySource } from './service/catalogEntities';
import { createReadinessService } from './service/createReadinessService';
import { summarize } from './service/overviewViews';
import {
  createKeyedResponseCache,
  createDerivedResponse,
  createResponseCache,
} from './service/responseCache';
import { scheduleEvaluation } from './service/ReadinessEvaluationTask';
import { createTechInsightsRunner } from './service/techInsightsRunner';

/**
 * The readiness backend plugin: production readiness levels of every
 * Component from the tech-insights checks, stored with their history.
 *
 * @public
 */
export const readinessPlugin = createBackendPlugin({
  pluginId: 'readiness',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        notifications: notificationService,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
      },
      async init(deps) {
        const { logger } = deps;
        const config = readReadinessConfig(deps.config);
        const store = await ReadinessStore.create({ database: deps.database });

        const readiness = createReadinessService({
          store,
          entities: createCatalogEntitySource({
            catalog: deps.catalog,
            auth: deps.auth,
          }),
          runner: createTechInsightsRunner({
            discovery: deps.discovery,
            auth: deps.auth,
          }),
          notifier: config.notifyOnDrop
            ? createLevelDropNotifier({
                notifications: deps.notifications,
                logger,
                levels: config.levels,
              })
            : undefined,
          levels: config.levels,
          checks: config.checks,
          historyDays: config.historyDays,
          logger,
        });
        // built once per evaluation and served from memory (bench/RESULTS.md)
        const overview = createResponseCache({
          load: () => readiness.overview(),
          reuse: value => value.items.length > 0,
        });
        const summary = createDerivedResponse(overview, summarize);
        const trend = createKeyedResponseCache({
          load: (days: number) => readiness.trend(days),
        });
        if (config.checks.length > 0) {
          await scheduleEvaluation({
            scheduler: deps.scheduler,
            schedule: config.schedule,
            readiness,
            logger,
            onEvaluated: () => {
              overview.invalidate();
              trend.invalidate();
            },
          });
        } else {
          logger.info(
            'No readiness.levels and techInsights.factChecker.checks: nothing to evaluate',
          );
        }
        // The first read of the page is served, not built: the overview (one
        // query of every evaluation) and its summary are made before ready.
        addWarmUpHook({
          lifecycle: deps.lifecycle,
          logger,
          what: 'The readiness overview',
          warm: async () => {
            try {
              const { value } = await summary.get();
              logger.info('Built the readiness overview', {
                entities: value.total,
              });
            } catch (error) {
              logger.warn(`Could not build the readiness overview: ${error}`);
            }
          },
        });
        deps.permissionsRegistry.addPermissions(readinessPermissions);
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            logger,
            readiness,
            overview,
            summary,
            trend,
          }),
        );
      },
    });
  },
});
