import Chip from '@material-ui/core/Chip';
import {
  EnvironmentState,
  HealthState,
} from '@platform-portal/backstage-plugin-platform-deploy-common';

const STATUS_COLOURS: Record<string, string> = {
  succeeded: '#2e7d32',
  started: '#1565c0',
  failed: '#c62828',
  rolled_back: '#ef6c00',
};

const STATUS_LABELS: Record<string, string> = {
  succeeded: 'Succeeded',
  started: 'Deploying',
  failed: 'Failed',
  rolled_back: 'Rolled back',
};

/** The last deploy status as a coloured chip. */
export function StatusChip(props: { status: string }) {
  return (
    <Chip
      size="small"
      label={STATUS_LABELS[props.status] ?? props.status}
      style={{
        backgroundColor: STATUS_COLOURS[props.status] ?? '#616161',
        color: '#fff',
      }}
    />
  );
}

const HEALTH_LABELS: Record<HealthState, string> = {
  up: 'Healthy',
  down: 'Down',
  unknown: 'Health unknown',
};

/** The probe health as an outlined chip. */
export function HealthChip(props: { health: HealthState }) {
  return (
    <Chip
      size="small"
      variant="outlined"
      label={HEALTH_LABELS[props.health]}
      style={{
        borderColor: props.health === 'down' ? '#c62828' : undefined,
      }}
    />
  );
}

/** Version, status chip and slot of one environment, for table cells. */
export function EnvironmentCell(props: { state?: EnvironmentState }) {
  const { state } = props;
  if (!state) return <span>—</span>;
  return (
    <span>
      <code>{state.version ?? state.lastVersion}</code>{' '}
      <StatusChip status={state.lastStatus} />
      {state.liveColor ? ` ${state.liveColor}` : ''}
      {state.demo ? ' (demo)' : ''}
    </span>
  );
}
