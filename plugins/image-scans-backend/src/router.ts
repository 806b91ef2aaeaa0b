import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  entityFactsQuerySchema,
  imageScansIngestPermission,
  imageScansReadPermission,
  reportQuerySchema,
  trivyReportSchema,
} from '@platform-portal/backstage-plugin-image-scans-common';
import {
  audited,
  authorize,
  createErrorFilter,
  IngestScopes,
  jsonBody,
  parseOrThrow,
} from '@platform-portal/backstage-plugin-platform-node';
import express from 'express';
import Router from 'express-promise-router';
import { ImageScanService } from './service/types';

/** Largest accepted report: Trivy's JSON for a large base image is a few MB. */
export const MAX_BODY_SIZE = '10mb';

/**
 * `POST /v1/reports` for CI (service credentials within their ingest scope)
 * and `GET /v1/entities/:kind/:namespace/:name` for signed-in users.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  scans: ImageScanService;
  ingestScopes: IngestScopes;
}): Promise<express.Router> {
  const { httpAuth, permissions, auditor, scans, ingestScopes } = options;
  const router = Router();
  router.use(
    jsonBody({
      limit: MAX_BODY_SIZE,
      hint: 'post one Trivy report (trivy image --format json) per request',
    }),
  );

  router.post('/v1/reports', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    await authorize(permissions, credentials, {
      permission: imageScansIngestPermission,
    });
    const result = await audited(
      auditor,
      { eventId: 'image-scan-report', request: req },
      async () => {
        const query = parseOrThrow(reportQuerySchema, req.query, {
          prefix: 'query',
        });
        const report = parseOrThrow(trivyReportSchema, req.body);
        const stored = await scans.ingest(query, report, {
          source: `http:${credentials.principal.subject}`.slice(0, 255),
          authorize: target =>
            ingestScopes.assertMayReport(credentials, [
              { ...target, field: 'query.entity' },
            ]),
        });
        return {
          result: stored,
          meta: { entityRef: query.entity, version: query.version, ...stored },
        };
      },
    );
    res.status(200).json(result);
  });

  router.get('/v1/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(permissions, credentials, {
      permission: imageScansReadPermission,
    });
    const { kind, namespace, name } = req.params;
    const entityRef = `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
    res.json(await scans.entity(entityRef, credentials));
  });

  // Every entity's production figures in one response, for other plugins
  // (the readiness scorecards' fact retriever): services only.
  router.get('/v1/entity-facts', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    await authorize(permissions, credentials, {
      permission: imageScansReadPermission,
    });
    const query = parseOrThrow(entityFactsQuerySchema, req.query, {
      prefix: 'query',
    });
    res.json(await scans.entityFacts(query));
  });

  router.use(createErrorFilter(options.logger));
  return router;
}
