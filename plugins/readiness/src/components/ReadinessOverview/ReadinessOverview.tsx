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
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import {
  ReadinessLevel,
  ReadinessOverview as Overview,
  ReadinessOverviewItem,
} from '@platform-portal/backstage-plugin-readiness-common';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
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
import { buildMatrix, matchesFilter, MatrixGrouping } from './matrix';
import { TrendChart } from './TrendChart';

/** The window of the trend, in days. */
export const TREND_DAYS = 90;

/**
 * How long typing in the table's search must pause before the table
 * filters (ms): the overview is in memory, so typing sends no request;
 * with 10,000 rows each filter pass is work worth doing once per pause.
 */
export const SEARCH_DEBOUNCE_MS = 300;

/** The name of the downloaded file. */
export const CSV_FILE_NAME = 'readiness.csv';

type Filter = { by: MatrixGrouping; key: string; level?: string };

function Distribution(props: { overview: Overview }) {
  const { overview } = props;
  const total = overview.items.length;
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

function TopFailing(props: { overview: Overview }) {
  const { overview } = props;
  const total = overview.items.length;
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
 * For managers: how ready the estate is. The distribution over the levels,
 * heatmaps by system and by team, the trend over the last 90 days, the
 * checks that fail most, every entity in a table, and the CSV.
 *
 * @public
 */
export function ReadinessOverview() {
  const api = useApi(readinessApiRef);
  const overview = useAsync(() => api.getOverview(), [api]);
  const trend = useAsync(() => api.getTrend(TREND_DAYS), [api]);
  const [filter, setFilter] = useState<Filter | undefined>();
  const csv = useCsvDownload();

  const value = overview.value;
  const matrices = useMemo(
    () =>
      value && {
        system: buildMatrix(value.items, 'system'),
        owner: buildMatrix(value.items, 'owner'),
      },
    [value],
  );
  const checkNames = useMemo(
    () => new Map((value?.topFailing ?? []).map(c => [c.checkId, c.name])),
    [value],
  );

  if (overview.loading) return <Progress />;
  if (overview.error) return <ResponseErrorPanel error={overview.error} />;
  if (!value || value.items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No entity evaluated yet"
        description="The readiness checks run on a schedule over the catalog's components; their levels show here after the first run."
      />
    );
  }

  const { levels } = value;
  const rows = value.items.filter(item => matchesFilter(item, filter));
  const select = (by: MatrixGrouping) => (key: string, level: string) =>
    setFilter({ by, key, level });

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" justifyContent="space-between">
          <Typography variant="body2" color="textSecondary">
            {value.items.length} entities · evaluated{' '}
            {formatAge(value.evaluatedAt)}
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
            rows={matrices!.system}
            levels={levels}
            onSelect={select('system')}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="By team" noPadding>
          <LevelMatrix
            by="owner"
            rows={matrices!.owner}
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
        {filter && (
          <Box mb={1}>
            <Chip
              label={`${filter.by === 'system' ? 'System' : 'Team'} ${
                filter.key ? shortRef(filter.key) : 'none'
              }${filter.level ? `, ${levelTitle(filter.level, levels)}` : ''}`}
              onDelete={() => setFilter(undefined)}
              data-testid="readiness-filter"
            />
          </Box>
        )}
        <Table
          title={`Entities (${rows.length})`}
          options={{
            paging: true,
            pageSize: 20,
            search: true,
            debounceInterval: SEARCH_DEBOUNCE_MS,
            padding: 'dense',
          }}
          columns={columns(levels, checkNames)}
          data={rows}
        />
      </Grid>
    </Grid>
  );
}
