import Typography from '@material-ui/core/Typography';
import {
  COVERAGE_TARGET,
  CoverageHistory,
} from '@platform-portal/backstage-plugin-quality-common';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/** Line and branch coverage of each report, oldest first, with the target line. */
export function CoverageHistoryChart(props: { history: CoverageHistory }) {
  const data = [...props.history.history]
    .sort((a, b) => a.timestamp - b.timestamp)
    .map(h => ({
      date: new Date(h.timestamp).toISOString().slice(5, 10),
      line: h.line.percentage,
      branch: h.branch.available > 0 ? h.branch.percentage : null,
    }));
  if (data.length < 2) {
    return (
      <Typography color="textSecondary">
        One report so far: the history shows from the second.
      </Typography>
    );
  }
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={data} margin={{ left: 8, right: 16 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="date" />
        <YAxis domain={[0, 100]} unit=" %" width={60} />
        <Tooltip formatter={v => `${v} %`} />
        <Legend />
        <ReferenceLine
          y={COVERAGE_TARGET}
          stroke="#c62828"
          strokeDasharray="4 4"
          label={`Target ${COVERAGE_TARGET} %`}
        />
        <Line
          type="monotone"
          dataKey="line"
          name="Lines"
          stroke="#1565c0"
          dot={false}
        />
        <Line
          type="monotone"
          dataKey="branch"
          name="Branches"
          stroke="#6a1b9a"
          dot={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
