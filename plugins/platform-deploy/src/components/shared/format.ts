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
