import { createExtensionPoint } from '@backstage/backend-plugin-api';
import {
  DeploymentEventInput,
  IngestResult,
} from '@platform-portal/backstage-plugin-platform-deploy-common';

/**
 * Where a deployment source hands its events: the plugin's ingest service,
 * with the same validation and idempotency as `POST /v1/events`.
 *
 * @public
 */
export interface DeploymentEventSink {
  /** The configured environments, in promotion order. */
  environments: string[];
  /**
   * Validates the events like `POST /v1/events` and stores them (all or
   * none); throws `InputError` naming the event and the field, e.g.
   * `events[0].version: must be an image tag such as main-abc1234`.
   * Idempotency keys are scoped to `source` (the source's id): a key the
   * source reported before with the same content is a duplicate, with other
   * content a `ConflictError` (409) naming the key. A source is trusted to
   * report for any entity (it authenticates its own input, as the GitHub
   * webhook checks its signature); `POST /v1/events` additionally holds each
   * credential to its ingest scope.
   */
  ingest(
    events: DeploymentEventInput[],
    options: { source: string },
  ): Promise<IngestResult>;
}

/**
 * A source of deployment events that a backend module adds: a webhook
 * receiver, a poller of a CD tool, ... The plugin connects each source to the
 * ingest service once it has started.
 *
 * @public
 */
export interface DeploymentSource {
  /** Unique, stable id, used as the `source` of its events and in logs. */
  id: string;
  /** Called once the plugin has started, with the sink to hand events to. */
  connect(sink: DeploymentEventSink): void;
}

/**
 * Lets backend modules add {@link DeploymentSource}s to the platform-deploy
 * backend plugin.
 *
 * @public
 */
export interface PlatformDeploySourcesExtensionPoint {
  /** Adds sources to connect to the ingest service. */
  addSource(...sources: DeploymentSource[]): void;
}

/**
 * Extension point for adding {@link DeploymentSource}s to the platform-deploy
 * backend plugin.
 *
 * @public
 */
export const platformDeploySourcesExtensionPoint =
  createExtensionPoint<PlatformDeploySourcesExtensionPoint>({
    id: 'platform-deploy.sources',
  });
