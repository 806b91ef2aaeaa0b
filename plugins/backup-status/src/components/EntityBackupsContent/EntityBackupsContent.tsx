import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import ErrorIcon from '@material-ui/icons/Error';
import WarningIcon from '@material-ui/icons/Warning';
import {
  BACKUP_POLICY_ANNOTATION,
  BackupRun,
  EntityBackupDetails,
} from '@platform-portal/backstage-plugin-backup-status-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { backupStatusApiRef } from '../../api/BackupStatusApi';
import { DailyStrip } from '../shared/DailyStrip';
import {
  formatBytes,
  formatHours,
  formatMinutes,
  formatUtc,
  runbooksFor,
} from '../shared/format';
import { ReasonList } from '../shared/ReasonList';
import { SizeTrendChart } from '../shared/SizeTrendChart';
import { StatusChip } from '../shared/StatusChip';

function durationMinutes(run: BackupRun): number {
  return (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 60000;
}

function PolicyCard({ details }: { details: EntityBackupDetails }) {
  const policy = details.policy!;
  const rows: Array<[string, string]> = [
    ['Policy', policy.name],
    ['Schedule (cron, UTC)', policy.schedule],
    ['RPO', formatHours(policy.rpoHours)],
    ['Retention', `${policy.retentionDays} days`],
    ['Restore test every', `${policy.restoreTestIntervalDays} days`],
    ['RTO', formatHours(policy.rtoHours)],
    ['Grace before critical', formatHours(policy.graceHours)],
  ];
  if (policy.anomaly) {
    rows.push([
      'Size check',
      policy.anomaly.minRatio > 0
        ? `warning under ${Math.round(
            policy.anomaly.minRatio * 100,
          )} % of the median of the previous ${
            policy.anomaly.window
          } backups; empty is critical`
        : 'empty is critical',
    ]);
  }
  return (
    <InfoCard title="Backup policy">
      {rows.map(([label, value]) => (
        <Typography key={label} variant="body2">
          <strong>{label}:</strong> {value}
        </Typography>
      ))}
    </InfoCard>
  );
}

function StatusCard({ details }: { details: EntityBackupDetails }) {
  const { backup, policy } = details;
  return (
    <InfoCard
      title={
        <>
          Status <StatusChip status={backup.status} />{' '}
          {backup.demo && <Chip size="small" label="Demo data" />}
        </>
      }
    >
      <Typography variant="body1">
        Last good backup:{' '}
        <strong>
          {backup.lastGoodBackupAt
            ? `${formatHours(backup.ageHours)} ago`
            : 'never'}
        </strong>{' '}
        (RPO {formatHours(policy?.rpoHours)})
        {backup.lastGoodBackupAt && ` – ${formatUtc(backup.lastGoodBackupAt)}`}
      </Typography>
      <ReasonList reasons={backup.reasons} />
      {runbooksFor(
        backup.status,
        backup.reasons.map(r => r.code),
      ).map(({ title, url }) => (
        <Typography variant="body2" key={url}>
          <Link to={url}>{title}</Link>
        </Typography>
      ))}
    </InfoCard>
  );
}

/** The size anomaly of the last backup, above the size chart. */
function SizeAnomalyNote({ details }: { details: EntityBackupDetails }) {
  const anomaly = details.backup.reasons.find(r => r.code === 'size_anomaly');
  if (!anomaly) return null;
  return (
    <Typography
      variant="body1"
      role="alert"
      aria-label="Backup size anomaly"
      style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 8 }}
    >
      {anomaly.severity === 'critical' ? (
        <ErrorIcon color="error" titleAccess="critical" />
      ) : (
        <WarningIcon style={{ color: '#b26a00' }} titleAccess="warning" />
      )}
      <span>
        <strong>Size anomaly:</strong> {anomaly.message}
      </span>
    </Typography>
  );
}

function RestoreTestsCard({ details }: { details: EntityBackupDetails }) {
  const rtoMinutes = (details.policy?.rtoHours ?? 0) * 60;
  const columns: TableColumn<BackupRun>[] = [
    { title: 'Finished', render: r => formatUtc(r.finishedAt) },
    { title: 'Type', field: 'type' },
    { title: 'Result', field: 'status' },
    {
      title: 'Duration vs RTO',
      render: r =>
        `${formatMinutes(durationMinutes(r))} / ${formatMinutes(rtoMinutes)}${
          durationMinutes(r) > rtoMinutes ? ' – over RTO' : ''
        }`,
    },
    { title: 'Message', field: 'message' },
  ];
  return (
    <Table
      title="Restore tests and drills"
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={details.restoreTests}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          No restore test reported. Report one with type "restore-test" to POST
          /api/backup-status/v1/runs.
        </Typography>
      }
    />
  );
}

function RunsTable({ details }: { details: EntityBackupDetails }) {
  const columns: TableColumn<BackupRun>[] = [
    { title: 'Finished', render: r => formatUtc(r.finishedAt) },
    { title: 'Type', field: 'type' },
    { title: 'Result', field: 'status' },
    { title: 'Size', render: r => formatBytes(r.sizeBytes) },
    { title: 'Tool', field: 'tool' },
    { title: 'Location', field: 'location' },
    { title: 'Message', field: 'message' },
  ];
  return (
    <Table
      title={`Recent runs (${details.runs.length} of ${details.totalRuns})`}
      options={{ paging: true, pageSize: 10, search: false, padding: 'dense' }}
      columns={columns}
      data={details.runs}
    />
  );
}

/** The "Backups" tab of an entity page. @public */
export function EntityBackupsContent() {
  const { entity } = useEntity();
  const api = useApi(backupStatusApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsyncRetry(
    () => api.getEntityDetails(entityRef, { limit: 100 }),
    [api, entityRef],
  );

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  if (!value.policy) {
    return (
      <EmptyState
        missing="field"
        title="No known backup policy"
        description={`Set the annotation ${BACKUP_POLICY_ANNOTATION} to one of the policies configured under backupStatus.policies (built in: postgres-daily, redis-daily, volumes-daily, config-daily).`}
      />
    );
  }
  if (value.totalRuns === 0) {
    return (
      <EmptyState
        missing="data"
        title="No backup runs reported yet"
        description={`Have the backup job report each run to POST /api/backup-status/v1/runs with a service token (entityRef "${entityRef}", type, status, startedAt, finishedAt, idempotencyKey). See the backup-status-backend README.`}
      />
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <StatusCard details={value} />
      </Grid>
      <Grid item xs={12} md={6}>
        <PolicyCard details={value} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Last 30 days">
          <DailyStrip series={value.backup.series} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Backup size">
          <SizeAnomalyNote details={value} />
          <SizeTrendChart series={value.backup.series} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <RestoreTestsCard details={value} />
      </Grid>
      <Grid item xs={12}>
        <RunsTable details={value} />
      </Grid>
    </Grid>
  );
}
