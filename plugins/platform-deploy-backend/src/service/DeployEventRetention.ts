import { LoggerService } from '@backstage/backend-plugin-api';
import { RetentionTask } from '@platform-portal/backstage-plugin-platform-node';
import { DeploymentStore } from '../database/DeploymentStore';

/** The id of the scheduled task. */
export const RETENTION_TASK_ID = 'platform-deploy-retention';

/**
 * Retention of `deploy_events`: deletes the events that happened more than
 * `days` ago (default 365, the longest metrics window), in short batches,
 * stopping when the task's signal aborts. The current state of each entity
 * in each environment is its own table and is kept, so a service deployed
 * once two years ago still shows its live version; its history page and the
 * metrics only reach back `days`.
 */
export class DeployEventRetention extends RetentionTask {
  constructor(options: {
    store: DeploymentStore;
    logger: LoggerService;
    days: number;
    /** The clock; tests pass their own. */
    now?: () => Date;
  }) {
    super({
      taskId: RETENTION_TASK_ID,
      what: 'deployment events',
      days: options.days,
      logger: options.logger,
      now: options.now,
      deleteBefore: (before, o) => options.store.deleteEventsBefore(before, o),
    });
  }
}
