import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';

const TECHDOCS_REF = 'backstage.io/techdocs-ref';

/** Every 30 minutes, first 15 seconds after start; `techdocs.prebuild.schedule` overrides. */
export const DEFAULT_PREBUILD_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 30 },
    timeout: { minutes: 15 },
    initialDelay: { seconds: 15 },
  };

/**
 * Whether TechDocs builds sites in this backend: as its default build
 * strategy decides, when `techdocs.builder` is `local` or not set.
 */
export function buildsHere(builder: string | undefined): boolean {
  return builder === undefined || builder === 'local';
}

/** What one sync answered: `finish` (with `updated`) or `error`. */
export type SyncResult = { entity: string; result: string };

/**
 * With `techdocs.builder: local` (or unset), TechDocs builds a site only when someone
 * opens it, and the search collator indexes only built sites: until then the
 * docs are not in search. This module asks the TechDocs backend to sync
 * (build if stale) every entity with `backstage.io/techdocs-ref`, on the
 * scheduler (scope global: one replica builds), so the collator finds them.
 * With any other builder (production: `external`) TechDocs builds nothing
 * here, and the module schedules nothing.
 */
export const techdocsModulePrebuild = createBackendModule({
  pluginId: 'techdocs',
  moduleId: 'prebuild',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ auth, catalog, config, discovery, logger, scheduler }) {
        const builder = config.getOptionalString('techdocs.builder');
        if (!buildsHere(builder)) {
          logger.info(
            `TechDocs prebuild off: techdocs.builder is '${builder}', so this backend builds no docs (CI publishes them and the portal only reads them)`,
          );
          return;
        }
        const schedule = config.has('techdocs.prebuild.schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              config.getConfig('techdocs.prebuild.schedule'),
            )
          : DEFAULT_PREBUILD_SCHEDULE;

        async function syncOne(ref: {
          kind: string;
          namespace: string;
          name: string;
        }): Promise<SyncResult> {
          const entity = `${ref.kind}:${ref.namespace}/${ref.name}`;
          const baseUrl = await discovery.getBaseUrl('techdocs');
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: await auth.getOwnServiceCredentials(),
            targetPluginId: 'techdocs',
          });
          const path = [ref.namespace, ref.kind, ref.name]
            .map(encodeURIComponent)
            .join('/');
          const response = await fetch(`${baseUrl}/sync/${path}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          // An event stream that ends after `finish` or `error`.
          const body = await response.text();
          if (!response.ok) {
            return { entity, result: `HTTP ${response.status}` };
          }
          const last = [...body.matchAll(/^event: (\w+)\ndata: (.*)$/gm)]
            .map(m => `${m[1]} ${m[2]}`)
            .filter(e => !e.startsWith('log '))
            .pop();
          return { entity, result: last ?? 'no answer' };
        }

        await scheduler.scheduleTask({
          id: 'techdocs-prebuild',
          scope: 'global',
          ...schedule,
          fn: async () => {
            const { items } = await catalog.getEntities(
              {
                filter: {
                  [`metadata.annotations.${TECHDOCS_REF}`]:
                    CATALOG_FILTER_EXISTS,
                },
                fields: ['kind', 'metadata.namespace', 'metadata.name'],
              },
              { credentials: await auth.getOwnServiceCredentials() },
            );
            // One at a time: each build runs mkdocs.
            for (const e of items) {
              const result = await syncOne({
                kind: e.kind.toLocaleLowerCase('en-US'),
                namespace: (
                  e.metadata.namespace ?? 'default'
                ).toLocaleLowerCase('en-US'),
                name: e.metadata.name.toLocaleLowerCase('en-US'),
              }).catch(error => ({
                entity: e.metadata.name,
                result: `error ${String(error)}`,
              }));
              const log = result.result.startsWith('finish')
                ? logger.info
                : logger.warn;
              log.call(logger, 'TechDocs prebuild', { ...result });
            }
          },
        });
      },
    });
  },
});
