import { Entity } from '@backstage/catalog-model';

/** The service's Grafana dashboard: an absolute http(s) URL. @public */
export const GRAFANA_DASHBOARD_ANNOTATION =
  'platform-portal.dev/grafana-dashboard-url';

/** The service's logs in Loki (a Grafana Explore URL): an absolute http(s) URL. @public */
export const LOKI_LOGS_ANNOTATION = 'platform-portal.dev/loki-logs-url';

/** The service's Sentry project: an absolute http(s) URL. @public */
export const SENTRY_PROJECT_ANNOTATION =
  'platform-portal.dev/sentry-project-url';

/** A link of the Health tab, from one of the annotations. @public */
export type MonitoringLink = { title: string; url: string; annotation: string };

const LINKS: [string, string][] = [
  ['Grafana dashboard', GRAFANA_DASHBOARD_ANNOTATION],
  ['Logs (Loki)', LOKI_LOGS_ANNOTATION],
  ['Sentry project', SENTRY_PROJECT_ANNOTATION],
];

/** Whether a value is an absolute http(s) URL (nothing else becomes a link). */
function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The entity's monitoring links, in a fixed order; an annotation that is
 * not an absolute http(s) URL gives no link.
 *
 * @public
 */
export function monitoringLinksOf(entity: Entity): MonitoringLink[] {
  const annotations = entity.metadata.annotations ?? {};
  return LINKS.flatMap(([title, annotation]) => {
    const url = annotations[annotation]?.trim();
    return url && isHttpUrl(url) ? [{ title, url, annotation }] : [];
  });
}

/**
 * True for Components: the services, websites and apps the estate's alert
 * rules and uptime are about. Used by the legacy `EntitySwitch` and the new
 * system's tab filter.
 *
 * @public
 */
export function isHealthAvailable(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'component';
}
