import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ScenarioCost } from '@platform-portal/backstage-plugin-platform-deploy-common';
import { formatUsd } from './format';

const SYSTEM_COLOUR = '#1565c0';
const UNALLOCATED_COLOUR = '#9e9e9e';
const FIXED_COLOUR = '#6a1b9a';

/** One bar per row of the total: the systems, the unallocated capacity, the fixed costs. */
export function costChartRows(scenario: ScenarioCost) {
  return [
    ...scenario.systems
      .filter(s => s.monthlyUsd > 0)
      .map(s => ({ name: s.system, usd: s.monthlyUsd, fill: SYSTEM_COLOUR })),
    {
      name: 'unallocated',
      usd: scenario.totals.unallocatedUsd,
      fill: UNALLOCATED_COLOUR,
    },
    { name: 'fixed costs', usd: scenario.totals.fixedUsd, fill: FIXED_COLOUR },
  ].map(row => ({ ...row, usd: Number(row.usd.toFixed(2)) }));
}

/** Where the month's total goes: a horizontal bar per system, plus unallocated and fixed. */
export function CostChart(props: { scenario: ScenarioCost }) {
  const rows = costChartRows(props.scenario);
  return (
    <ResponsiveContainer width="100%" height={40 + rows.length * 26}>
      <BarChart data={rows} layout="vertical" margin={{ left: 40, right: 24 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tickFormatter={v => `$${v}`} />
        <YAxis type="category" dataKey="name" width={110} interval={0} />
        <Tooltip formatter={(value: unknown) => formatUsd(Number(value))} />
        <Bar dataKey="usd" name="per month">
          {rows.map(row => (
            <Cell key={row.name} fill={row.fill} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
