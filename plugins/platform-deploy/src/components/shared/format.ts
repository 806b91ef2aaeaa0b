import { MetricFigure } from '@platform-portal/backstage-plugin-platform-deploy-common';

export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

export function formatFigure(figure: {
  value: number | null;
  unit: MetricFigure['unit'];
}): string {
  if (figure.value === null) return 'no data';
  switch (figure.unit) {
    case 'ratio':
      return `${(figure.value * 100).toFixed(1)} %`;
    case 'seconds':
      return formatDuration(figure.value);
    default:
      return `${figure.value} / week`;
  }
}

export function formatTarget(figure: MetricFigure): string {
  const op = figure.direction === 'min' ? '≥' : '≤';
  return `target ${op} ${formatFigure({
    value: figure.target,
    unit: figure.unit,
  })}`;
}

/** The rollback runbook in the portal's TechDocs. */
export const ROLLBACK_RUNBOOK_URL =
  '/docs/default/system/platform-portal/runbooks/rollback/';

/** The deploy runbook: the workflow, the approval gate, what a failed step means. */
export const DEPLOY_RUNBOOK_URL =
  '/docs/default/system/platform-portal/runbooks/deploy/';

/** Incident response for the "service down" alert (health check failing 2 min). */
export const SERVICE_DOWN_RUNBOOK_URL =
  '/docs/default/system/platform-portal/runbooks/incident-response/#service-down';

/** How the cost views compute their figures. */
export const COST_MODEL_RUNBOOK_URL =
  '/docs/default/system/platform-portal/runbooks/cost-model/';

/** `$56.00`; `—` for a missing value. */
export function formatUsd(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return `$${value.toFixed(2)}`;
}

/** `0.358` -> `35.8 %`. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(1)} %`;
}

/** `9.05` -> `9.05`, `8` -> `8` (cores, as the annotations write them). */
export function formatCpu(cores: number): string {
  return `${Number(cores.toFixed(2))}`;
}
