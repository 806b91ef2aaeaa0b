import Chip from '@material-ui/core/Chip';

/** `82.5 %` */
export function formatPercent(value: number | undefined): string {
  return value === undefined ? '–' : `${Math.round(value * 10) / 10} %`;
}

/** `2026-12-02 07:30 UTC` */
export function formatUtc(value: string | number): string {
  return `${new Date(value).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "Meets 80 %" or "Below 80 %" next to a figure. */
export function TargetChip(props: { value: number; target: number }) {
  const met = props.value >= props.target;
  return (
    <Chip
      size="small"
      label={`${met ? 'Meets' : 'Below'} ${props.target} %`}
      style={{
        backgroundColor: met ? '#2e7d32' : '#c62828',
        color: '#fff',
      }}
    />
  );
}

/** The chip of data from the estate's demo feed. */
export function DemoChip() {
  return <Chip size="small" label="Demo data" />;
}
