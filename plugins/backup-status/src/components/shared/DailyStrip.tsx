import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  BackupSeriesDay,
  DailyResult,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { formatBytes } from './format';

const useStyles = makeStyles(theme => ({
  strip: { display: 'flex', gap: 3, flexWrap: 'wrap' },
  day: { width: 14, height: 28, borderRadius: 2 },
  ok: { backgroundColor: theme.palette.success.main },
  failed: { backgroundColor: theme.palette.error.main },
  missing: {
    backgroundColor: theme.palette.warning.light,
    backgroundImage:
      'repeating-linear-gradient(45deg, transparent, transparent 3px, rgba(0,0,0,.25) 3px, rgba(0,0,0,.25) 5px)',
  },
  pending: { backgroundColor: theme.palette.grey[300] },
}));

const WORDS: Record<DailyResult, string> = {
  ok: 'backup succeeded',
  failed: 'backup failed',
  missing: 'no backup',
  pending: 'not run yet today',
};

/** One box per UTC day, oldest left; hover or screen reader gives the words. */
export function DailyStrip(props: { series: BackupSeriesDay[] }) {
  const classes = useStyles();
  const counts = props.series.reduce<Record<string, number>>((acc, d) => {
    acc[d.result] = (acc[d.result] ?? 0) + 1;
    return acc;
  }, {});
  return (
    <Box>
      <div className={classes.strip} role="list" aria-label="Daily backups">
        {props.series.map(day => {
          const label = `${day.date}: ${WORDS[day.result]}${
            day.sizeBytes ? ` (${formatBytes(day.sizeBytes)})` : ''
          }`;
          return (
            <Tooltip key={day.date} title={label}>
              <div
                role="listitem"
                aria-label={label}
                className={`${classes.day} ${classes[day.result]}`}
              />
            </Tooltip>
          );
        })}
      </div>
      <Typography variant="caption" color="textSecondary">
        {counts.ok ?? 0} ok · {counts.failed ?? 0} failed ·{' '}
        {counts.missing ?? 0} missing (UTC days, oldest left)
      </Typography>
    </Box>
  );
}
