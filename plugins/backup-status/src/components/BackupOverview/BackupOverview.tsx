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
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TablePagination from '@material-ui/core/TablePagination';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  BACKUP_POLICY_ANNOTATION,
  BackupHealth,
  BackupOverviewItem,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { backupStatusApiRef } from '../../api/BackupStatusApi';
import { formatHours } from '../shared/format';
import { StatusChip } from '../shared/StatusChip';

/**
 * Rows per page: the API pages (worst status first) and sums up every
 * matching entity, so the page asks for one page at a time, never the estate.
 */
const ROWS_PER_PAGE = [25, 50, 100];
/** How many of the worst the summary names. */
const OFFENDERS = 5;

function percent(part: number, total: number): string {
  return total === 0 ? '–' : `${Math.round((part / total) * 100)}%`;
}

const columns: TableColumn<BackupOverviewItem>[] = [
  {
    title: 'Entity',
    render: item => (
      <>
        <EntityRefLink entityRef={item.entityRef} />
        {item.backup.demo && (
          <Chip size="small" label="Demo" style={{ marginLeft: 8 }} />
        )}
        {item.backup.reasons.some(r => r.code === 'size_anomaly') && (
          <Chip
            size="small"
            label="Size anomaly"
            color="secondary"
            style={{ marginLeft: 8 }}
          />
        )}
      </>
    ),
  },
  {
    title: 'Status',
    render: item => <StatusChip status={item.backup.status} />,
  },
  { title: 'Policy', field: 'policyName' },
  { title: 'Owner', field: 'owner' },
  {
    title: 'Last good backup',
    render: item =>
      item.backup.lastGoodBackupAt
        ? `${formatHours(item.backup.ageHours)} ago (RPO ${formatHours(
            item.policy?.rpoHours,
          )})`
        : 'never',
  },
  {
    title: 'Reasons',
    render: item =>
      item.backup.reasons.map(r => r.message).join(' ') || 'All checks pass',
  },
];

function SummaryCard(props: { title: string; value: string; note: string }) {
  return (
    <InfoCard title={props.title}>
      <Typography variant="h3">{props.value}</Typography>
      <Typography variant="body2" color="textSecondary">
        {props.note}
      </Typography>
    </InfoCard>
  );
}

/**
 * Compliance summary, worst offenders and the full table with filters.
 *
 * @public
 */
export function BackupOverview() {
  const api = useApi(backupStatusApiRef);
  const [status, setStatus] = useState<BackupHealth | ''>('');
  const [policy, setPolicy] = useState('');
  const [owner, setOwner] = useState('');
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(0);
  const [rowsPerPage, setRowsPerPage] = useState(ROWS_PER_PAGE[0]);
  useDebounce(
    () => {
      setQ(text);
      if (text !== q) setPage(0);
    },
    300,
    [text],
  );
  /** A filter changed: its first page. */
  const filter =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPage(0);
    };

  const { value, loading, error } = useAsyncRetry(
    () =>
      api.getOverview({
        status: status || undefined,
        policy: policy || undefined,
        owner: owner || undefined,
        q: q || undefined,
        limit: rowsPerPage,
        offset: page * rowsPerPage,
      }),
    [api, status, policy, owner, q, page, rowsPerPage],
  );
  const filtered = Boolean(status || policy || owner || q);
  // the worst come first: the first page names them, and later pages keep
  // the names the first one gave
  const offendersRef = useRef<BackupOverviewItem[]>([]);
  if (value && page === 0) {
    offendersRef.current = value.items
      .filter(
        i => i.backup.status === 'critical' || i.backup.status === 'warning',
      )
      .slice(0, OFFENDERS);
  }
  const offenders = offendersRef.current;

  if (error) return <ResponseErrorPanel error={error} />;
  if (!value && loading) return <Progress />;
  if (value && value.totalItems === 0 && !filtered) {
    return (
      <EmptyState
        missing="info"
        title="No entity has a backup policy yet"
        description={`Add the annotation ${BACKUP_POLICY_ANNOTATION} (e.g. postgres-daily) to the catalog entities that hold data, then have backup jobs report their runs to POST /api/backup-status/v1/runs.`}
      />
    );
  }

  const summary = value?.summary;

  return (
    <Grid container spacing={3}>
      {summary && (
        <>
          <Grid item xs={12} sm={6} md={3}>
            <SummaryCard
              title="Within RPO"
              value={percent(summary.withinRpo, summary.total)}
              note={`${summary.withinRpo} of ${summary.total} entities have a good backup younger than their RPO`}
            />
          </Grid>
          <Grid item xs={12} sm={6} md={3}>
            <SummaryCard
              title="Restore-tested in the last 7 days"
              value={percent(summary.restoreTestedLast7Days, summary.total)}
              note={`${summary.restoreTestedLast7Days} of ${summary.total} entities`}
            />
          </Grid>
          <Grid item xs={12} sm={6} md={3}>
            <SummaryCard
              title="By status"
              value={`${summary.byStatus.critical} critical`}
              note={`${summary.byStatus.warning} warning · ${summary.byStatus.ok} ok · ${summary.byStatus.unknown} unknown`}
            />
          </Grid>
          <Grid item xs={12} sm={6} md={3}>
            <SummaryCard
              title="Size anomalies"
              value={String(summary.sizeAnomalies ?? 0)}
              note="entities whose last backup is empty or much smaller than usual"
            />
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Worst offenders">
              {offenders.length === 0 ? (
                <Typography>Nothing is late or failing.</Typography>
              ) : (
                offenders.map(item => (
                  <Typography
                    key={item.entityRef}
                    variant="body2"
                    component="div"
                  >
                    <StatusChip status={item.backup.status} />{' '}
                    <EntityRefLink entityRef={item.entityRef} />:{' '}
                    {item.backup.reasons[0]?.message}
                  </Typography>
                ))
              )}
            </InfoCard>
          </Grid>
        </>
      )}
      <Grid item xs={12}>
        <Grid container spacing={2}>
          <Grid item>
            <TextField
              select
              label="Status"
              value={status}
              onChange={e =>
                filter(setStatus)(e.target.value as BackupHealth | '')
              }
              style={{ minWidth: 140 }}
              inputProps={{ 'aria-label': 'Filter by status' }}
              SelectProps={{ displayEmpty: true }}
              InputLabelProps={{ shrink: true }}
            >
              <MenuItem value="">All</MenuItem>
              <MenuItem value="critical">Critical</MenuItem>
              <MenuItem value="warning">Warning</MenuItem>
              <MenuItem value="unknown">Unknown</MenuItem>
              <MenuItem value="ok">OK</MenuItem>
            </TextField>
          </Grid>
          <Grid item>
            <TextField
              label="Policy"
              value={policy}
              onChange={e => filter(setPolicy)(e.target.value)}
            />
          </Grid>
          <Grid item>
            <TextField
              label="Owner"
              value={owner}
              onChange={e => filter(setOwner)(e.target.value)}
            />
          </Grid>
          <Grid item>
            <TextField
              id="backup-overview-search"
              label="Search"
              value={text}
              onChange={e => setText(e.target.value)}
            />
          </Grid>
        </Grid>
      </Grid>
      <Grid item xs={12}>
        <Table
          title={`Backups (${value?.totalItems ?? 0})`}
          isLoading={loading}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={columns}
          data={value?.items ?? []}
          emptyContent={
            <Typography style={{ padding: 16 }}>
              No entity matches these filters.
            </Typography>
          }
        />
        <TablePagination
          component="div"
          count={value?.totalItems ?? 0}
          page={page}
          rowsPerPage={rowsPerPage}
          rowsPerPageOptions={ROWS_PER_PAGE}
          onPageChange={(_e, p) => setPage(p)}
          onRowsPerPageChange={e => {
            setRowsPerPage(Number(e.target.value));
            setPage(0);
          }}
        />
      </Grid>
    </Grid>
  );
}
