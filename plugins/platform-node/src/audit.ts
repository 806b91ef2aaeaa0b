import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';

/**
 * Runs one write under an audit event: the auditor records who called (it
 * reads the caller from the request), then `success` with the metadata that
 * `fn` returns, or `fail` with the error, which is rethrown.
 *
 * @example
 * ```ts
 * const result = await audited(auditor, { eventId: 'backup-runs-report', request: req }, async () => {
 *   const stored = await service.ingestRuns(reports);
 *   return { result: stored, meta: { entityRefs, ...stored } };
 * });
 * ```
 *
 * @public
 */
export async function audited<T>(
  auditor: AuditorService,
  options: {
    eventId: string;
    request: Request;
    severityLevel?: 'low' | 'medium' | 'high' | 'critical';
  },
  fn: () => Promise<{ result: T; meta?: JsonObject }>,
): Promise<T> {
  const event = await auditor.createEvent({
    eventId: options.eventId,
    severityLevel: options.severityLevel ?? 'medium',
    request: options.request,
  });
  try {
    const { result, meta } = await fn();
    await event.success({ meta });
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}

/**
 * At most `max` distinct values, for audit metadata that must stay small
 * (the entity refs of a batch of 1000 events).
 *
 * @public
 */
export function distinctSample(values: string[], max = 50): string[] {
  return [...new Set(values)].slice(0, max);
}
