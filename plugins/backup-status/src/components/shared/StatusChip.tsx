import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { BackupHealth } from '@platform-portal/backstage-plugin-backup-status-common';

const useStyles = makeStyles(theme => ({
  ok: { backgroundColor: theme.palette.success.main, color: '#fff' },
  warning: { backgroundColor: theme.palette.warning.main, color: '#000' },
  critical: { backgroundColor: theme.palette.error.main, color: '#fff' },
  unknown: { backgroundColor: theme.palette.grey[500], color: '#fff' },
}));

const LABELS: Record<BackupHealth, string> = {
  ok: 'OK',
  warning: 'Warning',
  critical: 'Critical',
  unknown: 'Unknown',
};

/** The backup health as a coloured chip with a word, never colour alone. */
export function StatusChip(props: { status: BackupHealth }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={LABELS[props.status]}
      className={classes[props.status]}
    />
  );
}
