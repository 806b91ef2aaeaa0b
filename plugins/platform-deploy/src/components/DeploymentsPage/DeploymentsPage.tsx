import { lazy, Suspense, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import { platformDeployApiRef } from '../../api/PlatformDeployApi';
import { EnvironmentCell } from '../shared/StatusChip';
import { MetricTiles } from '../shared/MetricTiles';

/**
 * The chart's code (recharts, d3 and redux: 416 KB of the 466 KB the page
 * loaded after the app's own) loads on its own, beside the matrix's request: on
 * a first load the matrix asked for its rows only once all of it had run.
 */
const WeeklyChart = lazy(() =>
  import('../shared/WeeklyChart').then(m => ({ default: m.WeeklyChart })),
);

const STATUSES = ['', 'succeeded', 'started', 'failed', 'rolled_back'];

/** How long typing must pause before the search goes to the server (ms). */
export const SEARCH_DEBOUNCE_MS = 300;

/** KPI tiles and the weekly chart over the last 30 days, all services. */
function EstateMetrics() {
  const api = useApi(platformDeployApiRef);
  const { value, loading, error } = useAsync(
    () => api.getMetrics({ windowDays: 30 }),
    [api],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <>
      <MetricTiles metrics={value!} />
      <InfoCard title="Production deploys per week (last 30 days)">
        <Suspense fallback={<Progress />}>
          <WeeklyChart weekly={value!.weekly} />
        </Suspense>
      </InfoCard>
    </>
  );
}

/** The matrix of every service × environment, filtered and paginated on the server. */
export function DeploymentsMatrix() {
  const api = useApi(platformDeployApiRef);
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(0);
  const [rowsPerPage, setRowsPerPage] = useState(50);
  // what the box shows, and what was last searched: one request per pause
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useDebounce(
    () => {
      if (typed !== q) {
        setQ(typed);
        setPage(0);
      }
    },
    SEARCH_DEBOUNCE_MS,
    [typed],
  );
  const { value, loading, error } = useAsync(
    () =>
      api.getOverview({
        q,
        status,
        limit: rowsPerPage,
        offset: page * rowsPerPage,
      }),
    [api, q, status, page, rowsPerPage],
  );

  return (
    <InfoCard title="Services × environments">
      <Grid container spacing={2}>
        <Grid item xs={12} md={4}>
          <TextField
            id="platform-deploy-search"
            fullWidth
            label="Search services"
            value={typed}
            onChange={e => setTyped(e.target.value)}
          />
        </Grid>
        <Grid item xs={12} md={3}>
          <TextField
            id="platform-deploy-status"
            select
            fullWidth
            label="Last status"
            value={status}
            onChange={e => {
              setStatus(e.target.value);
              setPage(0);
            }}
          >
            {STATUSES.map(s => (
              <MenuItem key={s} value={s}>
                {s || 'any'}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
      </Grid>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          <Table size="small" aria-label="deployments matrix">
            <TableHead>
              <TableRow>
                <TableCell>Service</TableCell>
                <TableCell>System</TableCell>
                {value.environments.map(env => (
                  <TableCell key={env}>{env}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {value.items.map(row => (
                <TableRow key={row.entityRef} data-entity-ref={row.entityRef}>
                  <TableCell>
                    <EntityRefLink
                      entityRef={row.entityRef}
                      title={row.title}
                    />
                  </TableCell>
                  <TableCell>{row.system}</TableCell>
                  {value.environments.map(env => (
                    <TableCell key={env}>
                      <EnvironmentCell state={row.environments[env]} />
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <TablePagination
            component="div"
            count={value.totalItems}
            page={page}
            rowsPerPage={rowsPerPage}
            rowsPerPageOptions={[25, 50, 100]}
            onPageChange={(_e, p) => setPage(p)}
            onRowsPerPageChange={e => {
              setRowsPerPage(Number(e.target.value));
              setPage(0);
            }}
          />
        </>
      )}
    </InfoCard>
  );
}

/** The `/platform/deployments` page content (without the page chrome). */
export function DeploymentsPageContent() {
  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <EstateMetrics />
      </Grid>
      <Grid item>
        <DeploymentsMatrix />
      </Grid>
    </Grid>
  );
}

/** The page with its header, for the legacy frontend system. */
export function DeploymentsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Deployments"
        subtitle="What runs where, and whether it is healthy"
      />
      <Content>
        <DeploymentsPageContent />
      </Content>
    </Page>
  );
}
