import { Gauge } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { UptimeWindow } from '@platform-portal/backstage-plugin-health-common';
import { formatDuration, formatPercent } from './format';

/**
 * One SLO window: a gauge of the error budget left (full when untouched,
 * empty when spent), the uptime against the objective, the downtime.
 */
export function SloGauge(props: { window: UptimeWindow }) {
  const w = props.window;
  const label = `${w.days} days`;
  if (w.uptime === undefined) {
    return (
      <Box textAlign="center" data-testid={`slo-${w.days}d`}>
        <Typography variant="subtitle2">{label}</Typography>
        <Typography variant="body2" color="textSecondary">
          No uptime data: the monitoring has no series for this service.
        </Typography>
      </Box>
    );
  }
  const remaining = w.errorBudgetRemaining ?? 0;
  return (
    <Box textAlign="center" data-testid={`slo-${w.days}d`}>
      <Typography variant="subtitle2">{label}</Typography>
      <Box maxWidth={160} mx="auto">
        <Gauge
          value={Math.max(0, Math.min(1, remaining))}
          getColor={({ value }) => {
            if (value > 0.5) return '#2e7d32';
            if (value > 0) return '#ef6c00';
            return '#c62828';
          }}
        />
      </Box>
      <Typography variant="body2">
        error budget left:{' '}
        <strong>
          {remaining < 0 ? 'overspent' : `${Math.round(remaining * 100)} %`}
        </strong>
      </Typography>
      <Typography variant="body2">
        uptime <strong>{formatPercent(w.uptime)}</strong> (objective{' '}
        {formatPercent(w.objective)}){' '}
        {w.meetsObjective ? '✓ meets the SLO' : '✗ below the SLO'}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        down {formatDuration(w.downtimeSeconds)} of{' '}
        {formatDuration(w.errorBudgetSeconds)} allowed
      </Typography>
    </Box>
  );
}
