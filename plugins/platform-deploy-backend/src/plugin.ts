import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  describeZodError,
  deploymentEventInputSchema,
  platformDeployPermissions,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { InputError } from '@backstage/errors';
import {
  DeploymentSource,
  platformDeploySourcesExtensionPoint,
} from '@platform-portal/backstage-plugin-platform-deploy-node';
import { readPlatformDeployConfig } from './config';
import { DeploymentStore } from './database/DeploymentStore';
import { demoHistory } from './demo/demoHistory';
import { createRouter } from './router';
import { HealthProber } from './service/HealthProber';
import {
  DeploymentService,
  toDeployableEntity,
} from './service/DeploymentService';

/** Pause between catalog sync attempts while the catalog is still empty. */
const SYNC_RETRY_MS = 5000;

/**
 * The platform-deploy backend plugin: deployment status of every service in
 * every environment.
 *
 * @public
 */
export const platformDeployPlugin = createBackendPlugin({
  pluginId: 'platform-deploy',
  register(env) {
    const sources: DeploymentSource[] = [];
    env.registerExtensionPoint(platformDeploySourcesExtensionPoint, {
      addSource(...added) {
        sources.push(...added);
      },
    });
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        notifications: notificationService,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
      },
      async init(deps) {
        const { auth, catalog, logger, scheduler } = deps;
        const config = readPlatformDeployConfig(deps.config);
        const store = await DeploymentStore.create({ database: deps.database });

        /** Copies the catalog's components into the store; returns how many. */
        async function syncEntities(): Promise<number> {
          const { items } = await catalog.getEntities(
            { filter: { kind: 'component' } },
            { credentials: await auth.getOwnServiceCredentials() },
          );
          const entities = items.map(e =>
            toDeployableEntity(e, config.environments),
          );
          if (entities.length === 0) {
            // A catalog still reading its locations at start-up: keep the
            // store as it is rather than emptying it.
            logger.info('The catalog has no components yet');
            return 0;
          }
          await store.syncEntities(entities, new Date());
          logger.info('Synced deployable entities from the catalog', {
            count: entities.length,
          });
          return entities.length;
        }

        async function lookupEntities(entityRefs: string[]) {
          const { items } = await catalog.getEntitiesByRefs(
            { entityRefs },
            { credentials: await auth.getOwnServiceCredentials() },
          );
          return items
            .filter((e): e is Entity => e?.kind.toLowerCase() === 'component')
            .map(e => toDeployableEntity(e, config.environments));
        }

        const deployments = new DeploymentService({
          store,
          config,
          logger,
          lookupEntities,
          notifyFailure: async ({ entity, event }) => {
            if (!entity.owner) return;
            const { kind, namespace, name } = parseEntityRef(entity.entityRef);
            await deps.notifications.send({
              recipients: { type: 'entity', entityRef: entity.owner },
              payload: {
                title: `${entity.title ?? entity.name}: ${
                  event.environment
                } deploy of ${event.version} ${
                  event.status === 'failed' ? 'failed' : 'was rolled back'
                }`,
                description: `Live version stays as it was. See the Deployments tab and the rollback runbook.`,
                link: `/catalog/${namespace}/${kind}/${name}/deployments`,
                severity: 'high',
                topic: 'platform-deploy',
                scope: `platform-deploy:${event.entityRef}:${event.environment}:${event.version}`,
              },
            });
          },
        });

        await scheduler.scheduleTask({
          id: 'platform-deploy-catalog-sync',
          ...config.catalogSyncSchedule,
          // after the schedule: a schedule read from config carries `scope`
          scope: 'global',
          fn: async () => {
            // Right after start the catalog may not have read its locations:
            // try again every few seconds for a minute instead of waiting for
            // the next run (5 minutes) with an empty matrix.
            for (let attempt = 1; (await syncEntities()) === 0; attempt++) {
              if (attempt >= 12) break;
              await new Promise(r => setTimeout(r, SYNC_RETRY_MS));
            }
            if (config.demoEnabled && (await store.countEvents()) === 0) {
              const events = demoHistory(
                await store.listEntities(),
                new Date(),
              );
              const result = await deployments.ingest(events, {
                source: 'demo',
              });
              logger.info('Fed demo deployment history', { ...result });
            }
          },
        });

        if (config.healthProbe.enabled) {
          const { schedule, ...probeOptions } = config.healthProbe;
          const prober = new HealthProber({ store, logger, ...probeOptions });
          await scheduler.scheduleTask({
            id: 'platform-deploy-health-probe',
            ...schedule,
            scope: 'global',
            fn: async () => {
              const result = await prober.probeAll();
              logger.debug('Probed health URLs', result);
            },
          });
        }

        for (const source of sources) {
          source.connect({
            environments: config.environments,
            // Sources get the same validation as POST /v1/events.
            ingest: (events, options) =>
              deployments.ingest(
                events.map((event, index) => {
                  const parsed = deploymentEventInputSchema.safeParse(event);
                  if (!parsed.success) {
                    throw new InputError(
                      `events[${index}]: ${describeZodError(parsed.error)}`,
                    );
                  }
                  return parsed.data;
                }),
                options,
              ),
          });
          logger.info('Connected deployment source', { source: source.id });
        }

        deps.permissionsRegistry.addPermissions(platformDeployPermissions);
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger,
            deployments,
            ingestRequestsPerMinute: config.ingestRequestsPerMinute,
          }),
        );
      },
    });
  },
});
