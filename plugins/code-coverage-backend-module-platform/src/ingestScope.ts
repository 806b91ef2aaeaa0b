import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { createPermission } from '@backstage/plugin-permission-common';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  audited,
  authorize,
  createErrorFilter,
  IngestScopes,
} from '@platform-portal/backstage-plugin-platform-node';
import express from 'express';
import Router from 'express-promise-router';

/**
 * Post coverage reports to `POST /api/code-coverage/report` (CI).
 *
 * @public
 */
export const codeCoverageIngestPermission = createPermission({
  name: 'code-coverage.ingest',
  attributes: { action: 'create' },
});

/**
 * Read coverage reports, history and files of `/api/code-coverage`.
 *
 * @public
 */
export const codeCoverageReadPermission = createPermission({
  name: 'code-coverage.read',
  attributes: { action: 'read' },
});

const COVERAGE_TYPES = ['lcov', 'cobertura', 'jacoco'];

/** The entity ref of `?entity=`, as a full lowercase ref; 400 naming the field. */
export function entityRefOfQuery(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(
      'query.entity: Required (an entity ref, e.g. component:default/chat-backend)',
    );
  }
  try {
    return stringifyEntityRef(parseEntityRef(value)).toLocaleLowerCase('en-US');
  } catch {
    throw new InputError(`query.entity: not an entity ref: ${value}`);
  }
}

/** The `coverageType` of the query; 400 naming the field. */
export function coverageTypeOfQuery(value: unknown): string {
  if (typeof value !== 'string' || !COVERAGE_TYPES.includes(value)) {
    throw new InputError(
      `query.coverageType: must be one of ${COVERAGE_TYPES.join(', ')}`,
    );
  }
  return value;
}

/**
 * The community code-coverage backend
 * (`@backstage-community/plugin-code-coverage-backend`) stores and serves
 * the reports but authorizes nothing beyond "has a Backstage token": any
 * signed-in user, the read-only guest included, and any team's CI token
 * could post coverage for any entity. It has no extension point, so this
 * module of its plugin puts a router in front of it: a module's
 * `httpRouter.use` is mounted on the same plugin router, before the plugin's
 * own (modules start before their plugin).
 *
 * - `POST /report`: service credentials only, `code-coverage.ingest`, a
 *   valid `coverageType`, and the kit's ingest scope for the entity (its
 *   owner from the catalog): another team's credential gets 403 and nothing
 *   is stored. A report that passes is forwarded to the community router as
 *   this plugin's own request (see `forward`); only that request reaches it.
 * - every other route: `code-coverage.read` (signed-in users and services).
 */
export const codeCoverageModuleIngestScope = createBackendModule({
  pluginId: 'code-coverage',
  moduleId: 'platform-ingest-scope',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init(deps) {
        const { auth, catalog, httpAuth, permissions } = deps;
        const ingestScopes = IngestScopes.fromConfig(deps.config);
        deps.permissionsRegistry.addPermissions([
          codeCoverageIngestPermission,
          codeCoverageReadPermission,
        ]);

        const router = Router();
        const self = 'plugin:code-coverage';
        const bodyLimit =
          deps.config.getOptionalString('codeCoverage.bodySizeLimit') ??
          '100kb';

        // The report as forwarded below, by this plugin's own credentials:
        // on to the community router, which stores it.
        router.post('/report', async (req, _res, next) => {
          const credentials = await httpAuth.credentials(req, {
            allow: ['service'],
          });
          next(credentials.principal.subject === self ? 'router' : undefined);
        });
        router.post(
          '/report',
          express.text({ type: () => true, limit: bodyLimit }),
          async (req, res) => {
            const credentials = await httpAuth.credentials(req, {
              allow: ['service'],
            });
            await authorize(permissions, credentials, {
              permission: codeCoverageIngestPermission,
            });
            const forwarded = await audited(
              deps.auditor,
              { eventId: 'code-coverage-report', request: req },
              async () => {
                const entityRef = entityRefOfQuery(req.query.entity);
                const coverageType = coverageTypeOfQuery(
                  req.query.coverageType,
                );
                const entity = await catalog.getEntityByRef(entityRef, {
                  credentials: await auth.getOwnServiceCredentials(),
                });
                if (!entity) {
                  throw new NotFoundError(
                    `query.entity: no entity ${entityRef} in the catalog`,
                  );
                }
                const owner = entity.relations?.find(
                  r => r.type === RELATION_OWNED_BY,
                )?.targetRef;
                ingestScopes.assertMayReport(credentials, [
                  { entityRef, owner, field: 'query.entity' },
                ]);
                const result = await forward({
                  entityRef,
                  coverageType,
                  contentType: req.headers['content-type'] ?? 'text/plain',
                  body: typeof req.body === 'string' ? req.body : '',
                });
                return {
                  result,
                  meta: { entityRef, coverageType, status: result.status },
                };
              },
            );
            res.status(forwarded.status).json(forwarded.body);
          },
        );

        // A team's credential cannot reach the catalog on its own (its access
        // is restricted to code-coverage.ingest, and a restricted token is not
        // delegated), so once its scope is checked the report goes on as this
        // plugin's own request, over the backend's own HTTP.
        async function forward(report: {
          entityRef: string;
          coverageType: string;
          contentType: string;
          body: string;
        }): Promise<{ status: number; body: unknown }> {
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: await auth.getOwnServiceCredentials(),
            targetPluginId: 'code-coverage',
          });
          const base = await deps.discovery.getBaseUrl('code-coverage');
          const query = new URLSearchParams({
            entity: report.entityRef,
            coverageType: report.coverageType,
          });
          const response = await fetch(`${base}/report?${query}`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': report.contentType,
            },
            body: report.body,
          });
          const text = await response.text();
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = { error: { name: 'Error', message: text } };
          }
          return { status: response.status, body };
        }

        router.use(async (req, _res, next) => {
          // the plugin's own unauthenticated health check
          if (req.path === '/health') {
            next();
            return;
          }
          const credentials = await httpAuth.credentials(req, {
            allow: ['user', 'service'],
          });
          await authorize(permissions, credentials, {
            permission: codeCoverageReadPermission,
          });
          next();
        });
        router.use(createErrorFilter(deps.logger));
        deps.httpRouter.use(router);
      },
    });
  },
});
