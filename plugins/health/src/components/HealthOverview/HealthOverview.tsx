import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { ServiceHealth } from '@platform-portal/backstage-plugin-health-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { healthApiRef } from '../../api/HealthApi';
import { formatDuration, formatPercent, windowOf } from '../shared/format';
import { SeverityChip } from '../shared/SeverityChip';

/** How long the search box waits after the last key before it asks. */
export const SEARCH_DEBOUNCE_MS = 400;

/** The severities the estate's rules use, in the order they are shown. */
const SEVERITIES = ['critical', 'warning'];

const firingTotal = (s: ServiceHealth) =>
  Object.values(s.firing).reduce((sum, n) => sum + n, 0);

/** Firing alerts per team (owner) and severity, busiest team first. */
export function firingByTeam(services: ServiceHealth[]) {
  const teams = new Map<
    string,
    { team: string; bySeverity: Record<string, number>; services: number }
  >();
  for (const service of services) {
    if (firingTotal(service) === 0) continue;
    const team = service.owner ?? 'no owner';
    const row = teams.get(team) ?? { team, bySeverity: {}, services: 0 };
    row.services += 1;
    for (const [severity, n] of Object.entries(service.firing)) {
      row.bySeverity[severity] = (row.bySeverity[severity] ?? 0) + n;
    }
    teams.set(team, row);
  }
  const total = (r: { bySeverity: Record<string, number> }) =>
    Object.values(r.bySeverity).reduce((sum, n) => sum + n, 0);
  return [...teams.values()].sort(
    (a, b) =>
      (b.bySeverity.critical ?? 0) - (a.bySeverity.critical ?? 0) ||
      total(b) - total(a) ||
      a.team.localeCompare(b.team),
  );
}

function FiringByTeam(props: { services: ServiceHealth[] }) {
  const rows = firingByTeam(props.services);
  const severities = [
    ...SEVERITIES,
    ...new Set(
      rows
        .flatMap(r => Object.keys(r.bySeverity))
        .filter(s => !SEVERITIES.includes(s)),
    ),
  ];
  return (
    <InfoCard title="Firing alerts by team">
      {rows.length === 0 ? (
        <Typography variant="body2" data-testid="nothing-firing">
          Nothing is firing.
        </Typography>
      ) : (
        <MuiTable size="small" aria-label="Firing alerts by team">
          <TableHead>
            <TableRow>
              <TableCell>Team</TableCell>
              {severities.map(s => (
                <TableCell key={s} align="right">
                  {s}
                </TableCell>
              ))}
              <TableCell align="right">services</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(row => (
              <TableRow key={row.team} data-testid="team-firing">
                <TableCell>
                  {row.team === 'no owner' ? (
                    row.team
                  ) : (
                    <EntityRefLink entityRef={row.team} defaultKind="group" />
                  )}
                </TableCell>
                {severities.map(s => (
                  <TableCell key={s} align="right">
                    {row.bySeverity[s] ?? 0}
                  </TableCell>
                ))}
                <TableCell align="right">{row.services}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </MuiTable>
      )}
    </InfoCard>
  );
}

function uptimeCell(service: ServiceHealth, days: number) {
  const w = windowOf(service.windows, days);
  if (w?.uptime === undefined) return '–';
  return (
    <span style={{ color: w.meetsObjective ? undefined : '#c62828' }}>
      {formatPercent(w.uptime)}
    </span>
  );
}

const columns: TableColumn<ServiceHealth>[] = [
  {
    title: 'Service',
    field: 'entityRef',
    render: s => <EntityRefLink entityRef={s.entityRef} />,
  },
  {
    title: 'Owner',
    field: 'owner',
    render: s =>
      s.owner ? <EntityRefLink entityRef={s.owner} defaultKind="group" /> : '–',
  },
  {
    title: 'Firing',
    customSort: (a, b) => firingTotal(a) - firingTotal(b),
    render: s => (
      <Box display="flex" gridGap={4} flexWrap="wrap">
        {Object.entries(s.firing).map(([severity, n]) => (
          <span key={severity}>
            <SeverityChip severity={severity} count={n} />
          </span>
        ))}
        {s.silenced > 0 && (
          <Chip size="small" label={`${s.silenced} silenced`} />
        )}
        {firingTotal(s) === 0 && s.silenced === 0 && '–'}
      </Box>
    ),
  },
  {
    title: 'Uptime 7 d',
    customSort: (a, b) =>
      (windowOf(a.windows, 7)?.uptime ?? 2) -
      (windowOf(b.windows, 7)?.uptime ?? 2),
    render: s => uptimeCell(s, 7),
  },
  {
    title: 'Uptime 30 d',
    customSort: (a, b) =>
      (windowOf(a.windows, 30)?.uptime ?? 2) -
      (windowOf(b.windows, 30)?.uptime ?? 2),
    render: s => uptimeCell(s, 30),
  },
  {
    title: 'Error budget left (30 d)',
    render: s => {
      const left = windowOf(s.windows, 30)?.errorBudgetRemaining;
      if (left === undefined) return '–';
      return left < 0 ? 'overspent' : `${Math.round(left * 100)} %`;
    },
  },
  {
    title: 'Incidents (30 d)',
    render: s => s.reliability?.incidents ?? 0,
  },
  {
    title: 'MTTR',
    render: s => formatDuration(s.reliability?.mttrSeconds),
  },
];

/**
 * The estate's health for `/platform/health`: firing alerts by team and
 * severity, and every service's SLO, firing alerts and MTTR from the health
 * backend's overview; the search box asks the backend once per pause.
 *
 * @public
 */
export function HealthOverview() {
  const api = useApi(healthApiRef);
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useDebounce(() => setQ(text.trim()), SEARCH_DEBOUNCE_MS, [text]);
  const { value, loading, error } = useAsync(
    () => api.getOverview(q ? { q } : undefined),
    [api, q],
  );

  if (error) return <ResponseErrorPanel error={error} />;
  if (!value && loading) return <Progress />;
  if (value && value.services.length === 0 && !q) {
    return (
      <EmptyState
        missing="data"
        title="No services to show"
        description="The health overview lists the catalog's Components. Register your services in the catalog; their alerts and uptime come from Alertmanager and Prometheus (health.alertmanager, health.prometheus)."
      />
    );
  }
  const services = value?.services ?? [];
  const firing = services.reduce((sum, s) => sum + firingTotal(s), 0);
  const belowSlo = services.filter(
    s => windowOf(s.windows, 30)?.meetsObjective === false,
  ).length;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" gridGap={16} flexWrap="wrap">
          <TextField
            label="Search services"
            value={text}
            onChange={e => setText(e.target.value)}
            inputProps={{ 'aria-label': 'Search services' }}
            style={{ minWidth: 280 }}
          />
          <Typography variant="body2" data-testid="health-summary">
            {firing} firing alerts · {belowSlo} of {services.length} services
            below the 30-day SLO
            {value && value.unmatchedFiring > 0
              ? ` · ${value.unmatchedFiring} alerts match no service`
              : ''}
          </Typography>
          {value?.demo && <Chip size="small" label="Demo data" />}
        </Box>
      </Grid>
      <Grid item xs={12}>
        <FiringByTeam services={services} />
      </Grid>
      <Grid item xs={12}>
        <Table
          title={`Services (${services.length})`}
          isLoading={loading}
          options={{
            paging: true,
            pageSize: 20,
            search: false,
            padding: 'dense',
          }}
          columns={columns}
          data={services}
          emptyContent={
            <Typography style={{ padding: 16 }}>
              No service matches “{q}”.
            </Typography>
          }
        />
      </Grid>
    </Grid>
  );
}
