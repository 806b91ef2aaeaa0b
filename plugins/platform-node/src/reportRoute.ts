import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { BasicPermission } from '@backstage/plugin-permission-common';
import { RequestHandler } from 'express';
import { audited, distinctSample } from './audit';
import { authorize } from './authorize';
import { httpSource, IngestScopes, IngestTarget } from './ingestScopes';
import { ParseableSchema, parseOrThrow } from './parse';
import { createIngestRateLimit } from './rateLimit';

/**
 * What a report endpoint hands its service: who reported (the source its
 * idempotency keys are scoped to), how to name a batch item's fields, and
 * the credential's ingest scope.
 *
 * @public
 */
export type ReportIngestOptions = {
  source: string;
  fieldPrefix?: (index: number) => string;
  authorize: (targets: IngestTarget[]) => void;
};

/**
 * The handlers of an ingest API's one report endpoint (`POST /v1/events`,
 * `POST /v1/runs`), the same for every plugin that takes reports from CI:
 *
 * - the rate limit per credential, counting the reports of a batch;
 * - service credentials only (CI and cron tokens, never users), with the
 *   ingest permission;
 * - one audit event per request (the caller, the entities, the result);
 * - one report or a batch under `batchKey`, parsed with the kit's one
 *   error format (`events[2].environment: ...`);
 * - the service's ingest with the credential's source (`http:<subject>`)
 *   and its ingest scope; 200 with what the service answers.
 *
 * Place after the kit's `jsonBody`.
 *
 * @example
 * ```ts
 * router.post('/v1/runs', ...createReportHandlers({ ..., batchKey: 'runs', ingest: (runs, o) => service.ingestRuns(runs, o) }));
 * ```
 *
 * @public
 */
export function createReportHandlers<
  TReport extends { entityRef: string },
  TResult extends { stored: number; duplicates: number },
>(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  ingestScopes: IngestScopes;
  /** The permission a credential needs to report. */
  permission: BasicPermission;
  /** The audit event of a report, e.g. `backup-runs-report`. */
  eventId: string;
  /** The key of a batch body (`events`, `runs`); a body without it is one report. */
  batchKey: string;
  single: ParseableSchema<TReport>;
  batch: ParseableSchema<Record<string, TReport[]>>;
  /** Reports per credential per minute; default 6000. */
  reportsPerMinute?: number;
  ingest(reports: TReport[], options: ReportIngestOptions): Promise<TResult>;
  /** More audit metadata of a request (the entities and the result are always there). */
  auditMeta?: (reports: TReport[]) => Record<string, string[]>;
}): RequestHandler[] {
  const { httpAuth, permissions, batchKey } = options;
  const isBatch = (body: unknown): body is Record<string, unknown> =>
    typeof body === 'object' && body !== null && batchKey in body;
  const rateLimit = createIngestRateLimit({
    httpAuth,
    limit: options.reportsPerMinute ?? 6000,
    countItems: body => {
      const items = isBatch(body) ? body[batchKey] : undefined;
      return Array.isArray(items) ? items.length : 1;
    },
  });
  const report: RequestHandler = async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    await authorize(permissions, credentials, {
      permission: options.permission,
    });
    // Who reported what: one audit line per request (the auditor adds the caller).
    const result = await audited(
      options.auditor,
      { eventId: options.eventId, request: req },
      async () => {
        const batch = isBatch(req.body);
        const reports = batch
          ? parseOrThrow(options.batch, req.body)[batchKey]
          : [parseOrThrow(options.single, req.body)];
        const ingested = await options.ingest(reports, {
          // keys are scoped per credential: one cannot pre-claim another's
          source: httpSource(credentials.principal.subject),
          fieldPrefix: batch ? i => `${batchKey}[${i}]` : undefined,
          authorize: targets =>
            options.ingestScopes.assertMayReport(credentials, targets),
        });
        return {
          result: ingested,
          meta: {
            entityRefs: distinctSample(reports.map(r => r.entityRef)),
            ...options.auditMeta?.(reports),
            stored: ingested.stored,
            duplicates: ingested.duplicates,
          },
        };
      },
    );
    res.status(200).json(result);
  };
  return [rateLimit, report];
}
