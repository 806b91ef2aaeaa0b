import Typography from '@material-ui/core/Typography';
import { BackupSeriesDay } from '@platform-portal/backstage-plugin-backup-status-common';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatBytes } from './format';

/** Size of the daily backup over the series; gaps where no backup succeeded. */
export function SizeTrendChart(props: { series: BackupSeriesDay[] }) {
  const data = props.series.map(d => ({
    date: d.date.slice(5),
    size: d.sizeBytes ?? null,
  }));
  if (!data.some(d => d.size !== null)) {
    return (
      <Typography color="textSecondary">
        No backup sizes reported in the last 30 days.
      </Typography>
    );
  }
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={data} margin={{ left: 16, right: 16 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="date" />
        <YAxis tickFormatter={v => formatBytes(Number(v))} width={70} />
        <Tooltip formatter={v => formatBytes(Number(v))} />
        <Line type="monotone" dataKey="size" name="Backup size" dot={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
