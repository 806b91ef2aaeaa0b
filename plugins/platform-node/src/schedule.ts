import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

/**
 * Reads a task schedule (`frequency`, `timeout`, `initialDelay`, as the
 * scheduler's config format) from `key` of `config`, or returns `fallback`
 * when the key is absent. The result never carries a `scope`: periodic work
 * of the portal runs with `scope: 'global'`, set where it is scheduled.
 *
 * @public
 */
export function readScheduleFromConfig(
  config: Config | undefined,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  if (!config?.has(key)) return fallback;
  const { scope: _scope, ...schedule } =
    readSchedulerServiceTaskScheduleDefinitionFromConfig(config.getConfig(key));
  return schedule;
}
