import {
  Entity,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  BACKUP_POLICY_ANNOTATION,
  BackupHealth,
  EntityBackupDetails,
} from '@platform-portal/backstage-plugin-backup-status-common';
import {
  DeploymentStatus,
  EntityDeploymentsResponse,
  HealthState,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import useAsync from 'react-use/esm/useAsync';
import { EntityHealthSummary, readinessApiRef } from '../../api/ReadinessApi';
import { errorMessage, formatAge, formatHours } from '../shared/format';

/** The environment whose state the card shows. */
const PRODUCTION = 'production';

const DEPLOY_LABELS: Record<DeploymentStatus, [string, string]> = {
  succeeded: ['Succeeded', '#2e7d32'],
  started: ['Deploying', '#1565c0'],
  failed: ['Failed', '#c62828'],
  rolled_back: ['Rolled back', '#ef6c00'],
};

const HEALTH_LABELS: Record<HealthState, [string, string]> = {
  up: ['Healthy', '#2e7d32'],
  down: ['Down', '#c62828'],
  unknown: ['Health unknown', '#757575'],
};

const BACKUP_LABELS: Record<BackupHealth, [string, string]> = {
  ok: ['OK', '#2e7d32'],
  warning: ['Warning', '#ef6c00'],
  critical: ['Critical', '#c62828'],
  unknown: ['Unknown', '#757575'],
};

function StateChip(props: { label: [string, string]; testId: string }) {
  const [text, colour] = props.label;
  return (
    <Chip
      size="small"
      label={text}
      data-testid={props.testId}
      style={{ backgroundColor: colour, color: '#fff' }}
    />
  );
}

/** The entity itself when it has a backup policy, then what it depends on. */
function backupRefs(entity: Entity): string[] {
  const own = entity.metadata.annotations?.[BACKUP_POLICY_ANNOTATION]
    ? [stringifyEntityRef(entity)]
    : [];
  const dependencies = (entity.relations ?? [])
    .filter(r => r.type === RELATION_DEPENDS_ON)
    .map(r => r.targetRef);
  return [...new Set([...own, ...dependencies])];
}

function Label(props: { children: string }) {
  return (
    <TableCell component="th" scope="row" style={{ whiteSpace: 'nowrap' }}>
      <Typography variant="subtitle2">{props.children}</Typography>
    </TableCell>
  );
}

function DeploymentRows(props: {
  value?: EntityDeploymentsResponse;
  loading: boolean;
  error?: Error;
}) {
  const { value, loading, error } = props;
  if (loading) {
    return (
      <TableRow>
        <Label>Production</Label>
        <TableCell>
          <Progress />
        </TableCell>
      </TableRow>
    );
  }
  if (error) {
    return (
      <TableRow>
        <Label>Production</Label>
        <TableCell>
          <Typography variant="body2" color="error">
            Deployments could not be read: {errorMessage(error)}
          </Typography>
        </TableCell>
      </TableRow>
    );
  }
  const state = value?.states[PRODUCTION];
  if (!state) {
    return (
      <TableRow>
        <Label>Production</Label>
        <TableCell data-testid="status-production">
          <Typography variant="body2">
            {value
              ? 'Not deployed to production yet.'
              : 'No deployments reported for this entity.'}
          </Typography>
        </TableCell>
      </TableRow>
    );
  }
  const last = value?.history[0];
  return (
    <>
      <TableRow>
        <Label>Production</Label>
        <TableCell data-testid="status-production">
          <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
            <code data-testid="status-production-version">
              {state.version ?? 'none live'}
            </code>
            <StateChip
              label={HEALTH_LABELS[state.health]}
              testId="status-health"
            />
            <Typography variant="body2" color="textSecondary">
              {state.deployedAt
                ? `deployed ${formatAge(state.deployedAt)}`
                : 'never deployed successfully'}
              {state.deployedBy ? ` by ${state.deployedBy}` : ''}
              {state.healthCheckedAt
                ? ` · health checked ${formatAge(state.healthCheckedAt)}`
                : ''}
              {state.demo ? ' · demo data' : ''}
            </Typography>
          </Box>
        </TableCell>
      </TableRow>
      <TableRow>
        <Label>Last deploy</Label>
        <TableCell data-testid="status-last-deploy">
          <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
            <code>{state.lastVersion}</code>
            <StateChip
              label={
                DEPLOY_LABELS[state.lastStatus] ?? [state.lastStatus, '#757575']
              }
              testId="status-last-deploy-result"
            />
            <Typography variant="body2" color="textSecondary">
              {formatAge(last?.finishedAt ?? state.lastEventAt)}
              {last?.actor ? ` by ${last.actor}` : ''}
            </Typography>
            {(last?.runUrl ?? state.runUrl) && (
              <Link to={(last?.runUrl ?? state.runUrl)!}>pipeline run</Link>
            )}
          </Box>
        </TableCell>
      </TableRow>
    </>
  );
}

function HealthRow(props: {
  value?: EntityHealthSummary;
  loading: boolean;
  error?: Error;
}) {
  const { value, loading, error } = props;
  let content: JSX.Element;
  if (loading) content = <Progress />;
  else if (error) {
    content = (
      <Typography variant="body2" color="error">
        Health could not be read: {errorMessage(error)}
      </Typography>
    );
  } else if (!value) {
    content = (
      <Typography variant="body2">
        No health data: the health backend is not installed or does not know
        this entity.
      </Typography>
    );
  } else {
    const firing = value.alerts.filter(a => !a.silenced);
    const critical = firing.filter(a => a.severity === 'critical').length;
    const month = value.uptime.windows.find(w => w.days === 30);
    let uptime = 'no uptime data';
    if (month?.uptime !== undefined) {
      uptime = `${(Math.floor(month.uptime * 10000 + 1e-6) / 100).toFixed(
        2,
      )} % uptime in 30 days (objective ${Number(
        (month.objective * 100).toFixed(2),
      )} %)`;
    }
    content = (
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
        <StateChip
          label={
            firing.length === 0
              ? ['No alerts firing', '#2e7d32']
              : [
                  `${firing.length} firing`,
                  critical > 0 ? '#c62828' : '#ef6c00',
                ]
          }
          testId="status-alerts"
        />
        <Typography
          variant="body2"
          color={month?.meetsObjective === false ? 'error' : 'textSecondary'}
          data-testid="status-uptime"
        >
          {uptime}
          {value.uptime.demo ? ' · demo data' : ''}
        </Typography>
      </Box>
    );
  }
  return (
    <TableRow>
      <Label>Health</Label>
      <TableCell data-testid="status-health-summary">{content}</TableCell>
    </TableRow>
  );
}

type BackupRow =
  | { entityRef: string; details: EntityBackupDetails }
  | { entityRef: string; error: Error };

function BackupRows(props: {
  refs: string[];
  value?: BackupRow[];
  loading: boolean;
}) {
  const { refs, value, loading } = props;
  let content: JSX.Element | JSX.Element[];
  if (refs.length === 0) {
    content = (
      <Typography variant="body2">
        Neither this entity nor what it depends on holds data.
      </Typography>
    );
  } else if (loading || !value) {
    content = <Progress />;
  } else if (value.length === 0) {
    content = (
      <Typography variant="body2">
        Neither this entity nor what it depends on has a backup policy.
      </Typography>
    );
  } else {
    content = value.map(row => (
      <Box
        key={row.entityRef}
        data-testid="status-backup"
        data-entity-ref={row.entityRef}
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        gridGap={8}
        mb={0.5}
      >
        <EntityRefLink entityRef={row.entityRef} />
        {'error' in row ? (
          <Typography variant="body2" color="error">
            could not be read: {errorMessage(row.error)}
          </Typography>
        ) : (
          <>
            <StateChip
              label={BACKUP_LABELS[row.details.backup.status]}
              testId="status-backup-health"
            />
            <Typography variant="body2" color="textSecondary">
              {row.details.backup.lastGoodBackupAt
                ? `last good backup ${formatAge(
                    row.details.backup.lastGoodBackupAt,
                  )}`
                : 'no good backup'}
              {row.details.policy
                ? ` (RPO ${formatHours(row.details.policy.rpoHours)})`
                : ''}
              {row.details.backup.reasons[0]
                ? ` · ${row.details.backup.reasons[0].message}`
                : ''}
            </Typography>
          </>
        )}
      </Box>
    ));
  }
  return (
    <TableRow>
      <Label>Backups</Label>
      <TableCell>{content}</TableCell>
    </TableRow>
  );
}

/**
 * One look at what runs and whether its data is safe: the production
 * version and its health, the last deploy and its result (platform-deploy),
 * its firing alerts and 30-day uptime (health), and the backup status of the entity and of everything it depends on
 * (backup-status).
 *
 * @public
 */
export function EntityStatusCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(readinessApiRef);
  const refs = backupRefs(entity);
  const refsKey = refs.join(',');

  const deployments = useAsync(
    () => api.getDeployments(entityRef),
    [api, entityRef],
  );
  const health = useAsync(() => api.getHealth(entityRef), [api, entityRef]);
  const backups = useAsync(async (): Promise<BackupRow[]> => {
    const results = await Promise.allSettled(refs.map(r => api.getBackups(r)));
    const rows: BackupRow[] = [];
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        rows.push({ entityRef: refs[i], error: result.reason });
      } else if (result.value?.policyName) {
        rows.push({ entityRef: refs[i], details: result.value });
      }
    });
    return rows;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, refsKey]);

  return (
    <InfoCard title="Status" noPadding>
      <Table size="small" aria-label="Status">
        <TableBody>
          <DeploymentRows
            value={deployments.value}
            loading={deployments.loading}
            error={deployments.error}
          />
          <HealthRow
            value={health.value}
            loading={health.loading}
            error={health.error}
          />
          <BackupRows
            refs={refs}
            value={backups.value}
            loading={backups.loading}
          />
        </TableBody>
      </Table>
    </InfoCard>
  );
}
