import type { Config } from '@backstage/config';
import {
  costsConfigSchema,
  CostsConfig,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { describeIssues } from '@platform-portal/backstage-plugin-platform-node';

/** Where the cost model lives in the app's config. */
const KEY = 'platformDeploy.costs';

/**
 * Reads `platformDeploy.costs` from the app's config: `undefined` when the
 * section is absent (no cost model configured), otherwise the validated
 * model and how long to cache. The one reader of the section (the costs
 * module and the scaffolder's cost estimate), so both agree on what a valid
 * model is. An invalid section throws at startup, naming each bad field by
 * its full path in the portal's one error format (the backend kit's
 * `describeIssues`): `Invalid config: platformDeploy.costs.scenarios[0].servers[1].memory: must be a memory quantity ...`.
 *
 * @public
 */
export function readCostsConfig(config: Config): CostsConfig | undefined {
  const raw = config.getOptional(KEY);
  if (raw === undefined) return undefined;
  const result = costsConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new Error(
      `Invalid config: ${describeIssues(result.error.issues, KEY)}`,
    );
  }
  return result.data;
}
