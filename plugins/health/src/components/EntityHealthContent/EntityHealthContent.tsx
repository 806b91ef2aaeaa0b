import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  ALERT_SELECTOR_ANNOTATION,
  healthSilenceCreatePermission,
} from '@platform-portal/backstage-plugin-health-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  GRAFANA_DASHBOARD_ANNOTATION,
  LOKI_LOGS_ANNOTATION,
  monitoringLinksOf,
  SENTRY_PROJECT_ANNOTATION,
} from '../../annotations';
import { healthApiRef } from '../../api/HealthApi';
import { formatAge, formatDuration } from '../shared/format';
import { SeverityChip } from '../shared/SeverityChip';
import { SloGauge } from '../shared/SloGauge';
import { SilenceDialog } from './SilenceDialog';

function AlertsCard(props: { entityRef: string }) {
  const api = useApi(healthApiRef);
  const alertApi = useApi(alertApiRef);
  const [open, setOpen] = useState(false);
  const { allowed } = usePermission({
    permission: healthSilenceCreatePermission,
    resourceRef: props.entityRef,
  });
  const alerts = useAsyncRetry(
    () => api.getAlerts(props.entityRef),
    [api, props.entityRef],
  );

  const action = allowed ? (
    <Button variant="outlined" onClick={() => setOpen(true)}>
      Silence
    </Button>
  ) : undefined;

  let content: JSX.Element;
  if (alerts.loading && !alerts.value) content = <Progress />;
  else if (alerts.error) content = <ResponseErrorPanel error={alerts.error} />;
  else if (!alerts.value?.alerts.length) {
    content = (
      <Typography variant="body2" data-testid="no-firing-alerts">
        Nothing is firing for{' '}
        <code>
          {alerts.value?.selector.label}={alerts.value?.selector.value}
        </code>
        .
      </Typography>
    );
  } else {
    content = (
      <Table size="small" aria-label="Firing alerts">
        <TableHead>
          <TableRow>
            <TableCell>Alert</TableCell>
            <TableCell>Severity</TableCell>
            <TableCell>Since</TableCell>
            <TableCell>Summary</TableCell>
            <TableCell>Runbook</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {alerts.value.alerts.map(alert => (
            <TableRow key={alert.fingerprint} data-testid="firing-alert">
              <TableCell>
                {alert.alertname}
                {alert.silenced && (
                  <Chip
                    size="small"
                    label="silenced"
                    style={{ marginLeft: 8 }}
                  />
                )}
              </TableCell>
              <TableCell>
                <SeverityChip severity={alert.severity} />
              </TableCell>
              <TableCell title={alert.since}>
                {formatAge(alert.since)}
              </TableCell>
              <TableCell>{alert.summary ?? alert.description ?? '–'}</TableCell>
              <TableCell>
                {alert.runbookUrl ? (
                  <Link to={alert.runbookUrl}>runbook</Link>
                ) : (
                  '–'
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }

  return (
    <InfoCard title="Firing alerts" action={action}>
      {content}
      <SilenceDialog
        open={open}
        onClose={() => setOpen(false)}
        onSilence={async request => {
          const silence = await api.createSilence(props.entityRef, request);
          alertApi.post({
            message: `Silenced until ${new Date(
              silence.endsAt,
            ).toLocaleString()} (silence ${silence.silenceId})`,
            severity: 'success',
            display: 'transient',
          });
          alerts.retry();
        }}
      />
    </InfoCard>
  );
}

function SloCard(props: { entityRef: string }) {
  const api = useApi(healthApiRef);
  const uptime = useAsync(
    () => api.getUptime(props.entityRef),
    [api, props.entityRef],
  );
  let content: JSX.Element;
  if (uptime.loading) content = <Progress />;
  else if (uptime.error) content = <ResponseErrorPanel error={uptime.error} />;
  else {
    content = (
      <Grid container spacing={2}>
        {uptime.value!.windows.map(w => (
          <Grid item xs={6} key={w.days}>
            <SloGauge window={w} />
          </Grid>
        ))}
      </Grid>
    );
  }
  return (
    <InfoCard
      title="Uptime SLO"
      subheader={uptime.value?.demo ? 'Demo data' : undefined}
    >
      {content}
    </InfoCard>
  );
}

function IncidentsCard(props: { entityRef: string }) {
  const api = useApi(healthApiRef);
  const incidents = useAsync(
    () => api.getIncidents(props.entityRef),
    [api, props.entityRef],
  );
  let content: JSX.Element;
  if (incidents.loading) content = <Progress />;
  else if (incidents.error) {
    content = <ResponseErrorPanel error={incidents.error} />;
  } else {
    const { reliability, incidents: list } = incidents.value!;
    content = (
      <>
        <Box display="flex" gridGap={24} mb={2} flexWrap="wrap">
          <Typography variant="body2" data-testid="incident-count">
            <strong>{reliability.incidents}</strong> incidents in{' '}
            {reliability.windowDays} days
          </Typography>
          <Typography variant="body2" data-testid="mttr">
            MTTR <strong>{formatDuration(reliability.mttrSeconds)}</strong>
          </Typography>
          <Typography variant="body2" data-testid="mtbf">
            MTBF <strong>{formatDuration(reliability.mtbfSeconds)}</strong>
          </Typography>
        </Box>
        {list.length === 0 ? (
          <Typography variant="body2">
            No incidents in the last {reliability.windowDays} days.
          </Typography>
        ) : (
          <Table size="small" aria-label="Incidents">
            <TableHead>
              <TableRow>
                <TableCell>Started</TableCell>
                <TableCell>Alert</TableCell>
                <TableCell>Severity</TableCell>
                <TableCell>Duration</TableCell>
                <TableCell>Summary</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {list.map(i => (
                <TableRow
                  key={`${i.fingerprint}-${i.startedAt}`}
                  data-testid="incident"
                >
                  <TableCell>
                    {new Date(i.startedAt).toLocaleString()}
                  </TableCell>
                  <TableCell>{i.alertname}</TableCell>
                  <TableCell>
                    <SeverityChip severity={i.severity} />
                  </TableCell>
                  <TableCell>
                    {i.durationSeconds === undefined
                      ? 'still firing'
                      : formatDuration(i.durationSeconds)}
                  </TableCell>
                  <TableCell>{i.summary ?? '–'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </>
    );
  }
  return <InfoCard title="Incidents (30 days)">{content}</InfoCard>;
}

function LinksCard() {
  const { entity } = useEntity();
  const links = monitoringLinksOf(entity);
  return (
    <InfoCard title="Dashboards, logs, errors">
      {links.length === 0 ? (
        <Typography variant="body2">
          No monitoring links. Add the annotations{' '}
          <code>{GRAFANA_DASHBOARD_ANNOTATION}</code>,{' '}
          <code>{LOKI_LOGS_ANNOTATION}</code> or{' '}
          <code>{SENTRY_PROJECT_ANNOTATION}</code> (absolute URLs) to the
          entity.
        </Typography>
      ) : (
        links.map(link => (
          <Typography key={link.annotation} variant="body2">
            <Link to={link.url}>{link.title}</Link>
          </Typography>
        ))
      )}
    </InfoCard>
  );
}

/**
 * The entity's **Health** tab: firing alerts (with a Silence button for
 * those allowed `health.silence.create` on it), the uptime SLO over 7 and 30
 * days with the error budget left, incidents with MTTR and MTBF, and links to
 * its dashboard, logs and Sentry project.
 *
 * @public
 */
export function EntityHealthContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  if (entity.metadata.annotations?.[ALERT_SELECTOR_ANNOTATION] === '') {
    return (
      <EmptyState
        missing="field"
        title="Empty alert selector"
        description={`Set ${ALERT_SELECTOR_ANNOTATION} to label=value (e.g. service=${entity.metadata.name}) or remove it.`}
      />
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <AlertsCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12} md={6}>
        <SloCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12} md={6}>
        <LinksCard />
      </Grid>
      <Grid item xs={12}>
        <IncidentsCard entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}
