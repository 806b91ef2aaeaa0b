import { deploymentEventInputSchema } from '@platform-portal/backstage-plugin-platform-deploy-common';
import { DeploymentEventSink } from '@platform-portal/backstage-plugin-platform-deploy-node';
import { parseOrThrow } from '@platform-portal/backstage-plugin-platform-node';
import { DeploymentService } from './types';

/**
 * The sink a deployment source (a module's webhook, a poller) hands its
 * events to: the same validation as `POST /v1/events` (the schema, then the
 * environments and the catalog), the same idempotency, and errors that name
 * the event, `events[3].version: ...`, whatever the source's own document.
 */
export function createSourceSink(
  deployments: DeploymentService,
): DeploymentEventSink {
  const fieldPrefix = (index: number) => `events[${index}]`;
  return {
    environments: deployments.environments,
    async ingest(events, options) {
      const inputs = events.map((event, index) =>
        parseOrThrow(deploymentEventInputSchema, event, {
          prefix: fieldPrefix(index),
        }),
      );
      return deployments.ingest(inputs, {
        source: options.source,
        fieldPrefix,
      });
    },
  };
}
