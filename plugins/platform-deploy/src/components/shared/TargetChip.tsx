import Chip from '@material-ui/core/Chip';

export const MET_COLOUR = '#2e7d32';
export const MISSED_COLOUR = '#c62828';

/** Whether a figure is on target, as a coloured chip. */
export function TargetChip(props: { met: boolean }) {
  return (
    <Chip
      size="small"
      label={props.met ? 'on target' : 'over target'}
      style={{
        backgroundColor: props.met ? MET_COLOUR : MISSED_COLOUR,
        color: '#fff',
      }}
    />
  );
}
