import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  authorize,
  createErrorFilter,
  createReportHandlers,
  IngestScopes,
  jsonBody,
  parseOrThrow,
} from '@platform-portal/backstage-plugin-platform-node';
import {
  backupStatusIngestPermission,
  backupStatusReadPermission,
  entityRunsQuerySchema,
  MAX_BATCH_RUNS,
  overviewQuerySchema,
  runBatchSchema,
  runReportSchema,
} from '@platform-portal/backstage-plugin-backup-status-common';
import express from 'express';
import Router from 'express-promise-router';
import { BackupStatusService } from './service/types';

/** Largest accepted JSON body; a full batch of 500 runs fits comfortably. */
export const MAX_BODY_SIZE = '256kb';

/**
 * `POST /v1/runs` for CI and backup jobs (never users), each credential for
 * the entities its ingest scope names, and the read API for signed-in users
 * and services with `backup-status.read`.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  service: BackupStatusService;
  /** What each ingest credential may report for (`platformPortal.ingest.credentials`). */
  ingestScopes: IngestScopes;
  /** Reported runs per credential per minute; default 6000. */
  ingestRunsPerMinute?: number;
}): Promise<express.Router> {
  const { httpAuth, permissions, auditor, service, ingestScopes } = options;
  const router = Router();
  router.use(
    jsonBody({
      limit: MAX_BODY_SIZE,
      hint: `send at most ${MAX_BATCH_RUNS} runs per request`,
    }),
  );

  // Report runs: only services and external-access tokens (CI, cron jobs),
  // each for the entities its ingest scope names; the limit counts runs per
  // credential, not requests.
  router.post(
    '/v1/runs',
    ...createReportHandlers({
      httpAuth,
      permissions,
      auditor,
      ingestScopes,
      permission: backupStatusIngestPermission,
      eventId: 'backup-runs-report',
      batchKey: 'runs',
      single: runReportSchema,
      batch: runBatchSchema,
      reportsPerMinute: options.ingestRunsPerMinute,
      ingest: async (runs, ingestOptions) => {
        // the answer is the counts (the result's conflicts stay internal)
        const { stored, duplicates } = await service.ingestRuns(
          runs,
          ingestOptions,
        );
        return { stored, duplicates };
      },
    }),
  );

  router.get('/v1/overview', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(permissions, credentials, {
      permission: backupStatusReadPermission,
    });
    const query = parseOrThrow(overviewQuerySchema, req.query, {
      prefix: 'query',
    });
    res.json(await service.getOverview(query));
  });

  router.get('/v1/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(permissions, credentials, {
      permission: backupStatusReadPermission,
    });
    const page = parseOrThrow(entityRunsQuerySchema, req.query, {
      prefix: 'query',
    });
    const { kind, namespace, name } = req.params;
    res.json(
      await service.getEntityDetails(`${kind}:${namespace}/${name}`, page, {
        credentials,
      }),
    );
  });

  router.use(createErrorFilter(options.logger));

  return router;
}
