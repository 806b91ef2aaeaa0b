import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import TablePagination from '@material-ui/core/TablePagination';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import {
  ReadinessLevel,
  ReadinessOverviewItem,
  ReadinessSummary,
} from '@platform-portal/backstage-plugin-readiness-common';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { readinessApiRef } from '../../api/ReadinessApi';
import {
  errorMessage,
  formatAge,
  formatShare,
  shortRef,
} from '../shared/format';
import { LevelChip } from '../shared/LevelChip';
import { toCompoundRef } from '../shared/refs';
import { levelColour, levelKeys, levelTitle } from '../shared/levels';
import { LevelMatrix } from './LevelMatrix';
import { MatrixGrouping } from './matrix';
import { TrendChart } from './TrendChart';

/** The window of the trend, in days. */
export const TREND_DAYS = 90;

/**
 * How long typing in the table's search must pause before the table asks
 * the backend for the matches (ms): one request per pause, not per key.
 */
export const SEARCH_DEBOUNCE_MS = 300;

/** The page sizes of the table; the first is the default. */
export const ROWS_PER_PAGE = [20, 50, 100];

/** The name of the downloaded file. */
export const CSV_FILE_NAME = 'readiness.csv';

type Filter = { by: MatrixGrouping; key: string; level?: string };

function Distribution(props: { overview: ReadinessSummary }) {
  const { overview } = props;
  const { total } = overview;
  return (
    <Grid container spacing={2} data-testid="readiness-distribution">
      {levelKeys(overview.levels).map(key => {
        const count = overview.distribution[key] ?? 0;
        return (
          <Grid item xs={6} sm={3} key={key}>
            <Box
              p={2}
              borderLeft={`6px solid ${levelColour(key, overview.levels)}`}
              data-level={key}
            >
              <Typography variant="overline">
                {levelTitle(key, overview.levels)}
              </Typography>
              <Typography variant="h4">{count}</Typography>
              <Typography variant="body2" color="textSecondary">
                {formatShare(count, total)} of {total}
              </Typography>
            </Box>
          </Grid>
        );
      })}
    </Grid>
  );
}

function TopFailing(props: { overview: ReadinessSummary }) {
  const { overview } = props;
  const { total } = overview;
  if (overview.topFailing.length === 0) {
    return <Typography>No check fails anywhere.</Typography>;
  }
  return (
    <Box data-testid="readiness-top-failing">
      {overview.topFailing.map(check => (
        <Box key={check.checkId} mb={1.5} data-check={check.checkId}>
          <Box display="flex" justifyContent="space-between">
            <Typography variant="body2">{check.name}</Typography>
            <Typography variant="body2" color="textSecondary">
              {check.count} of {total}
            </Typography>
          </Box>
          <LinearProgress
            variant="determinate"
            value={total ? (check.count / total) * 100 : 0}
            aria-label={`${check.name}: fails for ${check.count} of ${total}`}
          />
        </Box>
      ))}
    </Box>
  );
}

function columns(
  levels: ReadinessLevel[],
  checkNames: Map<string, string>,
): TableColumn<ReadinessOverviewItem>[] {
  return [
    {
      title: 'Entity',
      field: 'entityRef',
      highlight: true,
      render: item => (
        <EntityRefLink entityRef={item.entityRef} title={item.title} />
      ),
    },
    {
      title: 'System',
      field: 'system',
      render: item =>
        item.system ? (
          <EntityRefLink
            entityRef={toCompoundRef(item.system, 'system')}
            defaultKind="system"
          />
        ) : (
          '—'
        ),
    },
    {
      title: 'Owner',
      field: 'owner',
      render: item =>
        item.owner ? (
          <EntityRefLink
            entityRef={toCompoundRef(item.owner, 'group')}
            defaultKind="group"
          />
        ) : (
          '—'
        ),
    },
    {
      title: 'Level',
      field: 'level',
      render: item => <LevelChip level={item.level} levels={levels} />,
    },
    {
      title: 'Failing checks',
      field: 'failing',
      render: item =>
        item.failing.length === 0
          ? '—'
          : item.failing.map(id => checkNames.get(id) ?? id).join(', '),
    },
  ];
}

/** Fetches the CSV with the user's credentials and hands it to the browser as a file. */
function useCsvDownload() {
  const api = useApi(readinessApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const csv = await api.getOverviewCsv();
      const url = URL.createObjectURL(
        new Blob([csv], { type: 'text/csv;charset=utf-8' }),
      );
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = CSV_FILE_NAME;
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      alertApi.post({
        message: `The CSV could not be downloaded: ${errorMessage(error)}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };
  return { download, busy };
}

/**
 * The evaluated entities, a page at a time from the backend: a matrix
 * cell's filter and the search (once per typing pause) go to the API and
 * start again at the first page. The page calls it before its summary has
 * come, so that both requests leave together.
 */
function useEntitiesPage(filter: Filter | undefined) {
  const api = useApi(readinessApiRef);
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(0);
  const [rowsPerPage, setRowsPerPage] = useState(ROWS_PER_PAGE[0]);
  const [pageOf, setPageOf] = useState<Filter | undefined>(filter);
  if (pageOf !== filter) {
    // a new matrix filter: its first page
    setPageOf(filter);
    setPage(0);
  }
  useDebounce(
    () => {
      setQ(text);
      if (text !== q) setPage(0);
    },
    SEARCH_DEBOUNCE_MS,
    [text],
  );
  const entities = useAsync(
    () =>
      api.getEntities({
        q: q || undefined,
        [filter?.by ?? 'system']: filter?.key,
        level: filter?.level,
        limit: rowsPerPage,
        offset: page * rowsPerPage,
      }),
    [api, q, filter, page, rowsPerPage],
  );
  return {
    text,
    setText,
    page,
    setPage,
    rowsPerPage,
    setRowsPerPage,
    entities,
  };
}

function EntitiesTable(props: {
  levels: ReadinessLevel[];
  checkNames: Map<string, string>;
  filter: Filter | undefined;
  onClearFilter: () => void;
  table: ReturnType<typeof useEntitiesPage>;
}) {
  const { levels, checkNames, filter, onClearFilter, table } = props;
  const { entities } = table;
  const totalItems = entities.value?.totalItems ?? 0;

  return (
    <>
      <Box display="flex" alignItems="center" mb={1}>
        <TextField
          placeholder="Filter"
          value={table.text}
          onChange={e => table.setText(e.target.value)}
          inputProps={{ 'aria-label': 'Search the entities' }}
        />
        {filter && (
          <Box ml={2}>
            <Chip
              label={`${filter.by === 'system' ? 'System' : 'Team'} ${
                filter.key ? shortRef(filter.key) : 'none'
              }${filter.level ? `, ${levelTitle(filter.level, levels)}` : ''}`}
              onDelete={onClearFilter}
              data-testid="readiness-filter"
            />
          </Box>
        )}
      </Box>
      {entities.error && <ResponseErrorPanel error={entities.error} />}
      <Table
        title={`Entities (${totalItems})`}
        isLoading={entities.loading}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns(levels, checkNames)}
        data={entities.value?.items ?? []}
      />
      <TablePagination
        component="div"
        count={totalItems}
        page={table.page}
        rowsPerPage={table.rowsPerPage}
        rowsPerPageOptions={ROWS_PER_PAGE}
        onPageChange={(_e, p) => table.setPage(p)}
        onRowsPerPageChange={e => {
          table.setRowsPerPage(Number(e.target.value));
          table.setPage(0);
        }}
      />
    </>
  );
}

/**
 * For managers: how ready the estate is. The distribution over the levels,
 * heatmaps by system and by team, the trend over the last 90 days, the
 * checks that fail most, every entity in a table, and the CSV.
 *
 * @public
 */
export function ReadinessOverview() {
  const api = useApi(readinessApiRef);
  const summary = useAsync(() => api.getSummary(), [api]);
  const trend = useAsync(() => api.getTrend(TREND_DAYS), [api]);
  const [filter, setFilter] = useState<Filter | undefined>();
  const table = useEntitiesPage(filter);
  const csv = useCsvDownload();

  const value = summary.value;
  const checkNames = useMemo(
    () => new Map((value?.topFailing ?? []).map(c => [c.checkId, c.name])),
    [value],
  );

  if (summary.loading) return <Progress />;
  if (summary.error) return <ResponseErrorPanel error={summary.error} />;
  if (!value || value.total === 0) {
    return (
      <EmptyState
        missing="data"
        title="No entity evaluated yet"
        description="The readiness checks run on a schedule over the catalog's components; their levels show here after the first run."
      />
    );
  }

  const { levels } = value;
  const select = (by: MatrixGrouping) => (key: string, level: string) =>
    setFilter({ by, key, level });

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" justifyContent="space-between">
          <Typography variant="body2" color="textSecondary">
            {value.total} entities · evaluated {formatAge(value.evaluatedAt)}
          </Typography>
          <Button
            variant="outlined"
            startIcon={<GetAppIcon />}
            onClick={csv.download}
            disabled={csv.busy}
          >
            Download CSV
          </Button>
        </Box>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Distribution over the estate">
          <Distribution overview={value} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="By system" noPadding>
          <LevelMatrix
            by="system"
            rows={value.bySystem}
            levels={levels}
            onSelect={select('system')}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="By team" noPadding>
          <LevelMatrix
            by="owner"
            rows={value.byOwner}
            levels={levels}
            onSelect={select('owner')}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard title={`The last ${TREND_DAYS} days`}>
          {trend.loading && <Progress />}
          {trend.error && <ResponseErrorPanel error={trend.error} />}
          {trend.value && <TrendChart trend={trend.value} levels={levels} />}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="The checks that fail most">
          <TopFailing overview={value} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <EntitiesTable
          levels={levels}
          checkNames={checkNames}
          filter={filter}
          onClearFilter={() => setFilter(undefined)}
          table={table}
        />
      </Grid>
    </Grid>
  );
}
