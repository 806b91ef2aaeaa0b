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
import { stringifyEntityRef } from '@backstage/catalog-model';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { EnvironmentState } from '@platform-portal/backstage-plugin-platform-deploy-common';
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
}) {
  const { environment, state, staging, entityRef, templates } = props;
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
      {state.previousVersion && templates.has('rollback-service') && (
        <Button
          size="small"
          variant="outlined"
          href={templateUrl('rollback-service', {
            entityRef,
            environment,
            version: state.previousVersion,
          })}
        >
          Roll back
        </Button>
      )}{' '}
      {drift && templates.has('promote-service') && (
        <Button
          size="small"
          variant="outlined"
          color="primary"
          href={templateUrl('promote-service', { entityRef, version: drift })}
        >
          Promote staging → {environment}
        </Button>
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
