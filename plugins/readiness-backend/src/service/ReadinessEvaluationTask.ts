import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { ReadinessService } from './types';

/** The id of the scheduled evaluation. */
export const EVALUATION_TASK_ID = 'readiness-evaluation';

/** Schedules the evaluation of every entity on one replica at a time (scope global). */
export async function scheduleEvaluation(options: {
  scheduler: SchedulerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  readiness: ReadinessService;
  logger: LoggerService;
  /** Called when an evaluation was stored (what was built from the last one is outdated). */
  onEvaluated?: () => void;
}): Promise<void> {
  await options.scheduler.scheduleTask({
    id: EVALUATION_TASK_ID,
    ...options.schedule,
    scope: 'global',
    fn: async signal => {
      try {
        await options.readiness.evaluate({ signal });
        options.onEvaluated?.();
      } catch (error) {
        options.logger.error(`Readiness evaluation failed: ${error}`);
        throw error;
      }
    },
  });
}
