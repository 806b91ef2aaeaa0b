import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  createErrorFilter,
  createIngestRateLimit,
} from '@platform-portal/backstage-plugin-platform-node';
import { InputError, NotAllowedError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import {
  backupStatusIngestPermission,
  backupStatusReadPermission,
  entityRunsQuerySchema,
  overviewQuerySchema,
  runBatchSchema,
  runReportSchema,
} from '@platform-portal/backstage-plugin-backup-status-common';
import express, { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import { BackupStatusService } from './service/types';

/** Largest accepted JSON body; a full batch of 500 runs fits comfortably. */
export const MAX_BODY_SIZE = '256kb';

/** A zod issue, typed structurally so this file does not depend on a zod version. */
interface SchemaIssue {
  path: PropertyKey[];
  message: string;
}

/** The part of a zod schema the router uses. */
interface Schema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: SchemaIssue[] } };
}

/** One line that names each bad field, e.g. `finishedAt: must not be before startedAt`. */
function describeIssues(issues: SchemaIssue[]): string {
  return issues
    .slice(0, 5)
    .map(issue => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Validates with a zod schema; throws `InputError` naming the fields. */
function parse<T>(schema: Schema<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      `Invalid ${what}: ${describeIssues(result.error.issues)}`,
    );
  }
  return result.data;
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  service: BackupStatusService;
  /** Report requests per token per minute; default 600. */
  ingestRequestsPerMinute?: number;
}): Promise<express.Router> {
  const { httpAuth, permissions, auditor, service } = options;
  const router = Router();
  router.use(express.json({ limit: MAX_BODY_SIZE }));

  async function authorize(
    credentials: Parameters<PermissionsService['authorize']>[1]['credentials'],
    permission: BasicPermission,
  ) {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== 'ALLOW') {
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    }
  }

  // Report runs: only services and external-access tokens (CI, cron jobs).
  const ingestRateLimit = createIngestRateLimit({
    httpAuth,
    limit: options.ingestRequestsPerMinute,
  });

  router.post('/v1/runs', ingestRateLimit, async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    await authorize(credentials, backupStatusIngestPermission);
    // Who reported what: one audit line per request (the auditor adds the caller).
    const auditorEvent = await auditor.createEvent({
      eventId: 'backup-runs-report',
      severityLevel: 'medium',
      request: req,
    });
    try {
      const isBatch =
        typeof req.body === 'object' && req.body !== null && 'runs' in req.body;
      const reports = isBatch
        ? parse(runBatchSchema, req.body, 'batch').runs
        : [parse(runReportSchema, req.body, 'run report')];
      const result = await service.ingestRuns(reports);
      await auditorEvent.success({
        meta: {
          entityRefs: [...new Set(reports.map(r => r.entityRef))].slice(0, 50),
          ...result,
        },
      });
      res.json(result);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/v1/overview', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(credentials, backupStatusReadPermission);
    const query = parse(overviewQuerySchema, req.query, 'query');
    res.json(await service.getOverview(query, { credentials }));
  });

  router.get('/v1/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(credentials, backupStatusReadPermission);
    const page = parse(entityRunsQuerySchema, req.query, 'query');
    const { kind, namespace, name } = req.params;
    res.json(
      await service.getEntityDetails(`${kind}:${namespace}/${name}`, page, {
        credentials,
      }),
    );
  });

  // body-parser errors: a clear 413 for oversized bodies, 400 for broken JSON.
  router.use(
    (error: any, _req: Request, _res: Response, next: NextFunction) => {
      if (error?.type === 'entity.too.large') {
        const tooLarge = new Error(
          `Request body is larger than ${MAX_BODY_SIZE}; send at most 500 runs per request`,
        );
        tooLarge.name = 'PayloadTooLargeError';
        (tooLarge as any).statusCode = 413;
        next(tooLarge);
        return;
      }
      if (error?.type === 'entity.parse.failed') {
        next(new InputError('Request body is not valid JSON'));
        return;
      }
      next(error);
    },
  );
  router.use(createErrorFilter(options.logger));

  return router;
}
