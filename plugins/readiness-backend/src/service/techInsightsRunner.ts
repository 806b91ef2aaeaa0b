import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { TechInsightsCheckResult } from '../domain/interpret';
import { ChecksRunner, EntityCheckAnswer } from './types';

/** Entities per bulk request: a response of ~15 checks each stays a few MB. */
export const BULK_CHUNK = 500;

/**
 * Runs checks through tech-insights' bulk endpoint (`POST /checks/run`
 * with the entities and check ids), with this plugin's service token, in
 * requests of 500 entities, one after the other.
 *
 * Not through `techInsightsServiceRef`'s `TechInsightsClient`
 * (tech-insights-common 0.11.0): it caches every request, POSTs included,
 * for 2 s, so a run right after another is answered with the first run's
 * results; and its loop (`i <= entities.length`) ends a list whose length
 * is a multiple of 750 with a request for no entities, which the backend
 * answers with the checks of every entity it has facts for.
 */
export function createTechInsightsRunner(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): ChecksRunner {
  const { discovery, auth } = options;
  return {
    async runChecks(entityRefs, checkIds) {
      const answers = new Map<string, EntityCheckAnswer>();
      const baseUrl = await discovery.getBaseUrl('tech-insights');
      for (let i = 0; i < entityRefs.length; i += BULK_CHUNK) {
        const { token } = await auth.getPluginRequestToken({
          onBehalfOf: await auth.getOwnServiceCredentials(),
          targetPluginId: 'tech-insights',
        });
        const response = await fetch(`${baseUrl}/checks/run`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            entities: entityRefs.slice(i, i + BULK_CHUNK),
            checks: checkIds,
          }),
        });
        if (!response.ok) throw await ResponseError.fromResponse(response);
        const items = (await response.json()) as Array<{
          entity: string;
          results: TechInsightsCheckResult[];
          error?: { message?: string };
        }>;
        for (const item of items) {
          answers.set(
            item.entity,
            item.error
              ? { error: item.error.message ?? 'unknown error' }
              : { results: item.results },
          );
        }
      }
      return answers;
    },
  };
}
