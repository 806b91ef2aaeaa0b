import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { MetricsResponse } from '@platform-portal/backstage-plugin-platform-deploy-common';

/** Production deploys per week, succeeded and failed, stacked. */
export function WeeklyChart(props: { weekly: MetricsResponse['weekly'] }) {
  const data = props.weekly.map(w => ({
    week: w.weekStart.slice(0, 10),
    succeeded: w.succeeded,
    failed: w.failed,
  }));
  return (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="week" />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Bar dataKey="succeeded" stackId="a" fill="#2e7d32" />
        <Bar dataKey="failed" stackId="a" fill="#c62828" />
      </BarChart>
    </ResponsiveContainer>
  );
}
