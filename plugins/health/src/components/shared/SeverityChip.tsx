import Chip from '@material-ui/core/Chip';

const COLOURS: Record<string, string> = {
  critical: '#c62828',
  warning: '#ef6c00',
  info: '#1565c0',
};

/** An alert's severity label, coloured (critical red, warning orange). */
export function SeverityChip(props: { severity: string; count?: number }) {
  return (
    <Chip
      size="small"
      label={
        props.count === undefined
          ? props.severity
          : `${props.count} ${props.severity}`
      }
      style={{
        backgroundColor: COLOURS[props.severity] ?? '#757575',
        color: '#fff',
      }}
    />
  );
}
