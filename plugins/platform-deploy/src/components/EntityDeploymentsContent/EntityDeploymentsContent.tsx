import useAsync from 'react-use/esm/useAsync';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  EnvironmentState,
  platformDeployChangePermission,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { platformDeployApiRef } from '../../api/PlatformDeployApi';
import { HealthChip, StatusChip } from '../shared/StatusChip';
import { MetricTiles } from '../shared/MetricTiles';
import {
  DEPLOY_RUNBOOK_URL,
  ROLLBACK_RUNBOOK_URL,
  SERVICE_DOWN_RUNBOOK_URL,
} from '../shared/format';

const TEMPLATES = ['rollback-service', 'promote-service'];

/** Which of the rollback/promote templates exist in the catalog. */
function useAvailableTemplates() {
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(async () => {
    const found = await Promise.all(
      TEMPLATES.map(name =>
        catalogApi.getEntityByRef({
          kind: 'template',
          namespace: 'default',
          name,
        }),
      ),
    );
    return new Set(TEMPLATES.filter((_, i) => found[i]));
  }, [catalogApi]);
  return value ?? new Set<string>();
}

/**
 * Whether the signed-in user may roll back or promote the entity
 * (`platform-deploy.change` on it: its owners and the platform team, as the
 * backend decides), and if not, why, in words.
 */
function useMayChange(entity: Entity) {
  const entityRef = stringifyEntityRef(entity);
  const { loading, allowed, error } = usePermission({
    permission: platformDeployChangePermission,
    resourceRef: entityRef,
  });
  let reason: string | undefined;
  if (error) {
    reason = `Could not check whether you may roll back or promote ${entity.metadata.name}: ${error.message}`;
  } else if (!loading && !allowed) {
    const owner = entity.spec?.owner ? ` (${entity.spec.owner})` : '';
    reason = `Only the owners of ${entity.metadata.name}${owner} and the platform team may roll back or promote it; you are signed in as someone else.`;
  }
  return { allowed: !loading && allowed && !error, reason };
}

function templateUrl(name: string, formData: Record<string, string>) {
  return `/create/templates/default/${name}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}

function EnvironmentCard(props: {
  environment: string;
  state?: EnvironmentState;
  staging?: EnvironmentState;
  entityRef: string;
  templates: Set<string>;
  mayChange: { allowed: boolean; reason?: string };
}) {
  const { environment, state, staging, entityRef, templates, mayChange } =
    props;
  if (!state) {
    return (
      <InfoCard title={environment}>
        <Typography>Not deployed to {environment} yet.</Typography>
      </InfoCard>
    );
  }
  const drift =
    staging &&
    environment !== staging.environment &&
    staging.version !== state.version
      ? staging.version
      : undefined;
  const rollbackTo = templates.has('rollback-service')
    ? state.previousVersion
    : undefined;
  const promote = Boolean(drift && templates.has('promote-service'));
  return (
    <InfoCard title={environment}>
      <Typography variant="h6">
        <code>{state.version ?? '—'}</code>
      </Typography>
      <Typography component="div">
        <StatusChip status={state.lastStatus} />{' '}
        <HealthChip health={state.health} />
        {state.liveColor && ` live slot: ${state.liveColor}`}
        {state.demo && ' (demo data)'}
      </Typography>
      {state.lastVersion !== state.version && (
        <Typography variant="body2">
          Last attempt: <code>{state.lastVersion}</code> ({state.lastStatus})
        </Typography>
      )}
      <Typography variant="body2">
        Deployed{' '}
        {state.deployedAt ? new Date(state.deployedAt).toLocaleString() : '—'}
        {state.deployedBy && ` by ${state.deployedBy}`}
      </Typography>
      {state.runUrl && (
        <Typography variant="body2">
          <Link to={state.runUrl}>Pipeline run</Link>
        </Typography>
      )}
      {drift && (
        <Typography variant="body2">
          Staging runs <code>{drift}</code>: production is behind.
        </Typography>
      )}
      {rollbackTo && (
        <Button
          size="small"
          variant="outlined"
          disabled={!mayChange.allowed}
          href={
            mayChange.allowed
              ? templateUrl('rollback-service', {
                  entityRef,
                  environment,
                  version: rollbackTo,
                })
              : undefined
          }
        >
          Roll back
        </Button>
      )}{' '}
      {promote && (
        <Button
          size="small"
          variant="outlined"
          color="primary"
          disabled={!mayChange.allowed}
          href={
            mayChange.allowed
              ? templateUrl('promote-service', { entityRef, version: drift! })
              : undefined
          }
        >
          Promote staging → {environment}
        </Button>
      )}
      {(rollbackTo || promote) && mayChange.reason && (
        <Typography variant="body2" color="textSecondary" role="note">
          {mayChange.reason}
        </Typography>
      )}
      {(state.lastStatus === 'failed' ||
        state.lastStatus === 'rolled_back') && (
        <Typography variant="body2">
          <Link to={ROLLBACK_RUNBOOK_URL}>Rollback runbook</Link> ·{' '}
          <Link to={DEPLOY_RUNBOOK_URL}>Deploy runbook</Link>
        </Typography>
      )}
      {state.health === 'down' && (
        <Typography variant="body2">
          <Link to={SERVICE_DOWN_RUNBOOK_URL}>
            Incident response: service down
          </Link>
        </Typography>
      )}
    </InfoCard>
  );
}

/** The "Deployments" entity tab. */
export function EntityDeploymentsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(platformDeployApiRef);
  const templates = useAvailableTemplates();
  const mayChange = useMayChange(entity);
  const { value, loading, error } = useAsync(async () => {
    const [deployments, metrics] = await Promise.all([
      api.getEntityDeployments(entityRef, { limit: 50 }),
      api.getMetrics({ entityRef, windowDays: 30 }),
    ]);
    return { deployments, metrics };
  }, [api, entityRef]);

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const { deployments, metrics } = value!;

  if (deployments.totalHistory === 0) {
    return (
      <EmptyState
        missing="data"
        title="No deployment reported yet"
        description={`CI reports each deploy of ${entity.metadata.name} with scripts/report-deploy (POST /api/platform-deploy/v1/events with the ingest token). The first report shows up here.`}
      />
    );
  }

  const staging = deployments.states[deployments.environments[0]];
  return (
    <Grid container spacing={3}>
      {deployments.environments.map(env => (
        <Grid item xs={12} md={6} key={env}>
          <EnvironmentCard
            environment={env}
            state={deployments.states[env]}
            staging={staging}
            entityRef={entityRef}
            templates={templates}
            mayChange={mayChange}
          />
        </Grid>
      ))}
      <Grid item xs={12}>
        <MetricTiles metrics={metrics} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title={`History (${deployments.totalHistory} events)`}>
          <Table size="small" aria-label="deployment history">
            <TableHead>
              <TableRow>
                <TableCell>When</TableCell>
                <TableCell>Environment</TableCell>
                <TableCell>Version</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Slot</TableCell>
                <TableCell>By</TableCell>
                <TableCell>Run</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {deployments.history.map(e => (
                <TableRow key={e.id}>
                  <TableCell>
                    {new Date(
                      e.finishedAt ?? e.startedAt ?? e.receivedAt,
                    ).toLocaleString()}
                  </TableCell>
                  <TableCell>{e.environment}</TableCell>
                  <TableCell>
                    <code>{e.version}</code>
                  </TableCell>
                  <TableCell>
                    <StatusChip status={e.status} />
                  </TableCell>
                  <TableCell>{e.color ?? '—'}</TableCell>
                  <TableCell>{e.actor ?? '—'}</TableCell>
                  <TableCell>
                    {e.runUrl ? <Link to={e.runUrl}>run</Link> : '—'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
