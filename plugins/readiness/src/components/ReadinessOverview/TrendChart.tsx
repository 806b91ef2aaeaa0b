import Typography from '@material-ui/core/Typography';
import {
  ReadinessLevel,
  ReadinessTrend,
} from '@platform-portal/backstage-plugin-readiness-common';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { levelColour, levelKeys, levelTitle } from '../shared/levels';

/**
 * The number of entities at each level on each day, stacked (no level at
 * the bottom), and in words: the first and the last day of the window.
 */
export function TrendChart(props: {
  trend: ReadinessTrend;
  levels: ReadinessLevel[];
}) {
  const { trend, levels } = props;
  const keys = levelKeys(levels);
  const days = trend.days.filter(d => Object.values(d.counts).some(n => n > 0));
  if (days.length === 0) {
    return (
      <Typography color="textSecondary" data-testid="readiness-trend-empty">
        No history yet: each evaluation adds a day.
      </Typography>
    );
  }
  // a day before the history began is a gap, not a day of zeros
  const data = trend.days.map(d =>
    Object.values(d.counts).some(n => n > 0)
      ? {
          date: d.date,
          ...Object.fromEntries(keys.map(k => [k, d.counts[k] ?? 0])),
        }
      : { date: d.date },
  );
  const first = days[0];
  const last = days[days.length - 1];
  const describe = (counts: Record<string, number>) =>
    keys.map(k => `${counts[k] ?? 0} ${levelTitle(k, levels)}`).join(', ');
  return (
    <>
      <ResponsiveContainer width="100%" height={240}>
        <AreaChart data={data} margin={{ left: 0, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="date" tickFormatter={d => String(d).slice(5)} />
          <YAxis allowDecimals={false} width={40} />
          <Tooltip />
          {/* the levels' order, lowest first, not alphabetical */}
          <Legend itemSorter={null} />
          {keys.map(key => (
            <Area
              key={key}
              type="monotone"
              dataKey={key}
              name={levelTitle(key, levels)}
              stackId="levels"
              stroke={levelColour(key, levels)}
              fill={levelColour(key, levels)}
              isAnimationActive={false}
              // a day or two of history is a point, not an area yet
              dot={days.length < 3}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="readiness-trend-summary"
      >
        {first === last
          ? `${last.date}: ${describe(last.counts)}; the history begins then.`
          : `${first.date}: ${describe(first.counts)}. ${last.date}: ${describe(
              last.counts,
            )}.`}
      </Typography>
    </>
  );
}
