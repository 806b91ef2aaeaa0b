/**
 * The estate's five alert rules (docs/estate-plan.md, "Reliability and alert
 * rules"), as a Prometheus rules file. One source for both places they live:
 *
 * - the estate's own file, `deploy/monitoring/alert-rules.yaml` (every
 *   service at once: the `service` label comes from the series, which the
 *   scrape configuration labels by relabelling), and
 * - the file `platform:gitops:render` writes for a new service,
 *   `apps/<name>/monitoring/alert-rules.yaml`: the same rules with every
 *   selector narrowed to `service="<name>"` and the alerts labelled
 *   `service: <name>`, the label the health plugin maps alerts to catalog
 *   entities by (its default `platform-portal.dev/alert-selector`).
 *
 * A test keeps the estate file equal to `renderAlertRules()` and runs
 * `promtool check rules` and `promtool test rules` on both.
 *
 * Series (the conventional exporters' names):
 * - health: `probe_success{job="health"}` (blackbox exporter probing the
 *   health URL) or `up{job="services"}` (the service's own metrics scrape);
 * - requests: `http_requests_total{status}` (the services' Prometheus
 *   middleware);
 * - CPU and memory: cAdvisor's `container_cpu_usage_seconds_total`,
 *   `container_spec_cpu_quota`/`container_spec_cpu_period`,
 *   `container_memory_working_set_bytes`, `container_spec_memory_limit_bytes`
 *   (against the container's limit, the allocation of the cost model);
 * - disk: node exporter's `node_filesystem_avail_bytes` and
 *   `node_filesystem_size_bytes` (tmpfs and overlay excluded).
 */
import yaml from 'yaml';

/** Where the runbooks live in the portal's TechDocs. */
export const RUNBOOK_PATH =
  '/docs/default/system/platform-portal/runbooks/incident-response/';

/** The estate portal's public address (docs/runbooks/index.md). */
export const ESTATE_PORTAL_URL = 'https://portal.mana.how';

type Rule = {
  alert: string;
  /** The expression, given the selector of a series (`s('up', 'job="x"')`). */
  expr: (s: (metric: string, ...matchers: string[]) => string) => string;
  for?: string;
  severity: 'critical' | 'warning';
  summary: string;
  description: string;
  runbook: string;
};

const FS = 'fstype!~"tmpfs|overlay"';

export const ALERT_RULES: Rule[] = [
  {
    alert: 'ServiceDown',
    expr: s =>
      `${s('probe_success', 'job="health"')} == 0 or ${s(
        'up',
        'job="services"',
      )} == 0`,
    for: '2m',
    severity: 'critical',
    summary: '{{ $labels.service }} is down',
    description:
      'The health check of {{ $labels.service }} ({{ $labels.instance }}) has failed for 2 minutes.',
    runbook: 'service-down',
  },
  {
    alert: 'HighErrorRate',
    expr: s =>
      `sum by (service) (rate(${s(
        'http_requests_total',
        'status=~"5.."',
      )}[5m])) / sum by (service) (rate(${s(
        'http_requests_total',
      )}[5m])) > 0.05`,
    severity: 'critical',
    summary: '{{ $labels.service }} answers more than 5 % of requests with 5xx',
    description:
      '{{ $value | humanizePercentage }} of the requests of {{ $labels.service }} failed over the last 5 minutes.',
    runbook: 'high-error-rate',
  },
  {
    alert: 'HighCpuUsage',
    expr: s =>
      `sum by (service) (rate(${s(
        'container_cpu_usage_seconds_total',
      )}[5m])) / sum by (service) ((${s('container_spec_cpu_quota')} > 0) / ${s(
        'container_spec_cpu_period',
      )}) > 0.8`,
    for: '5m',
    severity: 'warning',
    summary: '{{ $labels.service }} uses more than 80 % of its CPU limit',
    description:
      '{{ $labels.service }} has used {{ $value | humanizePercentage }} of its CPU limit for 5 minutes.',
    runbook: 'high-cpu',
  },
  {
    alert: 'HighMemoryUsage',
    expr: s =>
      `sum by (service) (${s(
        'container_memory_working_set_bytes',
      )}) / sum by (service) (${s(
        'container_spec_memory_limit_bytes',
      )} > 0) > 0.9`,
    for: '5m',
    severity: 'warning',
    summary: '{{ $labels.service }} uses more than 90 % of its memory limit',
    description:
      '{{ $labels.service }} has used {{ $value | humanizePercentage }} of its memory limit for 5 minutes.',
    runbook: 'high-memory',
  },
  {
    alert: 'DiskSpaceLow',
    expr: s =>
      `${s('node_filesystem_avail_bytes', FS)} / ${s(
        'node_filesystem_size_bytes',
        FS,
      )} < 0.1`,
    severity: 'critical',
    summary: 'Less than 10 % of a disk of {{ $labels.service }} is free',
    description:
      '{{ $labels.mountpoint }} on {{ $labels.instance }} has {{ $value | humanizePercentage }} free.',
    runbook: 'disk-space-low',
  },
];

/**
 * The rules file: for the whole estate without `service`, for one service
 * with it. `portalUrl` is the portal's base URL the runbook links start with.
 */
export function renderAlertRules(options: {
  service?: string;
  portalUrl?: string;
}): string {
  const { service } = options;
  const portalUrl = (options.portalUrl ?? ESTATE_PORTAL_URL).replace(
    /\/+$/,
    '',
  );
  const select = (metric: string, ...matchers: string[]) => {
    const all = service
      ? [...matchers, `service=${JSON.stringify(service)}`]
      : matchers;
    return all.length ? `${metric}{${all.join(',')}}` : metric;
  };
  const document = new yaml.Document({
    groups: [
      {
        name: service ? `${service}.rules` : 'estate.rules',
        rules: ALERT_RULES.map(rule => ({
          alert: rule.alert,
          expr: rule.expr(select),
          ...(rule.for ? { for: rule.for } : {}),
          labels: {
            severity: rule.severity,
            ...(service ? { service } : {}),
          },
          annotations: {
            summary: rule.summary,
            description: rule.description,
            runbook_url: `${portalUrl}${RUNBOOK_PATH}#${rule.runbook}`,
          },
        })),
      },
    ],
  });
  document.commentBefore = service
    ? ` The estate's alert rules for ${service} (docs/estate-plan.md); every\n alert carries service=${service}, which the portal maps to the entity.`
    : ` The estate's five alert rules (docs/estate-plan.md), for every service: the\n service label comes from the series. Written from the portal's\n plugins/scaffolder-backend-module-platform/src/actions/gitops/alertRules.ts\n (UPDATE_GOLDEN=1 on its test rewrites this file); promtool tests in\n alert-rules.test.yaml.`;
  return document.toString({ lineWidth: 0 });
}
