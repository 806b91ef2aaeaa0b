import {
  DeploymentColor,
  DeploymentStatus,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { StateRecord } from '../types';

/** What of an event changes the state. */
export type AppliedEvent = {
  version: string;
  status: DeploymentStatus;
  color?: DeploymentColor;
  eventAt: Date;
  actor?: string;
  runUrl?: string;
};

/**
 * Folds one event into the current state of its (entity, environment).
 *
 * - Events older than the state's last event (a backfill) change nothing: they
 *   stay in the history only.
 * - `succeeded` makes its version live; the version live before becomes the
 *   rollback target (`previousVersion`), and its colour the live slot.
 * - `started`, `failed` and `rolled_back` are about an attempted version: the
 *   live version stays as it was (after a rollback the old version serves).
 */
export function applyEvent(
  state: StateRecord | undefined,
  event: AppliedEvent,
): StateRecord {
  if (state && event.eventAt.getTime() < state.lastEventAt.getTime()) {
    return state;
  }
  const next: StateRecord = {
    ...state,
    lastStatus: event.status,
    lastVersion: event.version,
    lastEventAt: event.eventAt,
    runUrl: event.runUrl ?? state?.runUrl,
  };
  if (event.status === 'succeeded') {
    if (state?.version && state.version !== event.version) {
      next.previousVersion = state.version;
    }
    next.version = event.version;
    next.liveColor = event.color ?? state?.liveColor;
    next.deployedAt = event.eventAt;
    next.deployedBy = event.actor;
  }
  return next;
}
