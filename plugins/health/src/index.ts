/**
 * Service health frontend plugin: the entity's Health tab (firing alerts,
 * uptime SLO, incidents, monitoring links, silences) and the
 * `/platform/health` page. The new frontend system plugin is the default
 * export of `./alpha`.
 *
 * @packageDocumentation
 */

export { healthPlugin, EntityHealthContent, HealthPage } from './plugin';
export {
  isHealthAvailable,
  monitoringLinksOf,
  GRAFANA_DASHBOARD_ANNOTATION,
  LOKI_LOGS_ANNOTATION,
  SENTRY_PROJECT_ANNOTATION,
} from './annotations';
export type { MonitoringLink } from './annotations';
export { healthApiRef } from './api/HealthApi';
export type { HealthApi, EntityAlerts, EntityIncidents } from './api/HealthApi';
export { HealthClient } from './api/HealthClient';
