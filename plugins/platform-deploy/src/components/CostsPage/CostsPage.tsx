import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  EmptyState,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table as DataTable,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  CostTargetStatus,
  formatMemoryMiB,
  ScenarioCost,
  ServerCost,
  ServiceCost,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { platformDeployApiRef } from '../../api/PlatformDeployApi';
import { CostChart } from '../shared/CostChart';
import { MET_COLOUR, MISSED_COLOUR, TargetChip } from '../shared/TargetChip';
import {
  COST_MODEL_RUNBOOK_URL,
  formatCpu,
  formatPercent,
  formatUsd,
} from '../shared/format';

const NO_WRAP = { whiteSpace: 'nowrap' } as const;
const MET = MET_COLOUR;
const MISSED = MISSED_COLOUR;

function TargetTiles(props: { targets: CostTargetStatus[] }) {
  return (
    <Grid container spacing={2}>
      {props.targets.map(target => (
        <Grid item xs={12} md={4} key={target.id}>
          <InfoCard title={target.label}>
            <Typography
              variant="h4"
              style={{ color: target.met ? MET : MISSED }}
              data-testid={`cost-target-${target.id}`}
            >
              {formatUsd(target.value)}
            </Typography>
            <Typography variant="body2" component="div">
              target &lt; {formatUsd(target.limit)}{' '}
              <TargetChip met={target.met} />
            </Typography>
            {target.entityRef && (
              <Typography variant="body2">
                <EntityRefLink entityRef={target.entityRef} />
              </Typography>
            )}
          </InfoCard>
        </Grid>
      ))}
    </Grid>
  );
}

/** The month's total, line by line, as the estate's plan tabulates it. */
function TotalCard(props: { scenario: ScenarioCost }) {
  const { scenario } = props;
  return (
    <InfoCard title={`Monthly total: ${scenario.title}`}>
      <Typography variant="h3" data-testid="cost-total">
        {formatUsd(scenario.totals.monthlyUsd)}
      </Typography>
      <Typography variant="body2" gutterBottom>
        {scenario.totals.services} services,{' '}
        {formatUsd(scenario.totals.perServiceAverageUsd)} each on average
      </Typography>
      <Table size="small" aria-label="monthly total">
        <TableBody>
          {scenario.servers.map(server => (
            <TableRow key={server.name}>
              <TableCell>
                Hetzner {server.plan} ({formatCpu(server.capacity.cpu)} vCPU,{' '}
                {formatMemoryMiB(server.capacity.memoryMiB)})
              </TableCell>
              <TableCell align="right">
                {formatUsd(server.monthlyUsd)}
              </TableCell>
            </TableRow>
          ))}
          {scenario.fixedCosts.map(fixed => (
            <TableRow key={fixed.name}>
              <TableCell>
                {fixed.name}
                {fixed.note && ` (${fixed.note})`}
              </TableCell>
              <TableCell align="right" style={NO_WRAP}>
                {formatUsd(fixed.monthlyUsd)}
              </TableCell>
            </TableRow>
          ))}
          <TableRow>
            <TableCell>
              <strong>Total</strong>
            </TableCell>
            <TableCell align="right">
              <strong>{formatUsd(scenario.totals.monthlyUsd)}</strong>
            </TableCell>
          </TableRow>
          <TableRow>
            <TableCell>of which shared among services by allocation</TableCell>
            <TableCell align="right">
              {formatUsd(scenario.totals.allocatedUsd)}
            </TableCell>
          </TableRow>
          <TableRow>
            <TableCell>of which unallocated server capacity</TableCell>
            <TableCell align="right">
              {formatUsd(scenario.totals.unallocatedUsd)}
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>
    </InfoCard>
  );
}

function usage(allocated: string, capacity: string, ratio: number) {
  return `${allocated} of ${capacity} (${formatPercent(ratio)})`;
}

/** Allocated vs capacity of each server, and what its free capacity costs. */
export function ServersTable(props: { servers: ServerCost[] }) {
  return (
    <Table size="small" aria-label="server headroom">
      <TableHead>
        <TableRow>
          <TableCell>Server</TableCell>
          <TableCell>Plan</TableCell>
          <TableCell>Hosts</TableCell>
          <TableCell>CPU allocated</TableCell>
          <TableCell>Memory allocated</TableCell>
          <TableCell>Headroom</TableCell>
          <TableCell align="right">Price</TableCell>
          <TableCell align="right">Unallocated</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.servers.map(server => (
          <TableRow key={server.name} data-server={server.name}>
            <TableCell>
              <EntityRefLink entityRef={server.entityRef} />
            </TableCell>
            <TableCell>{server.plan}</TableCell>
            <TableCell>
              {server.instances} instances
              {server.environment && ` (${server.environment})`}
            </TableCell>
            <TableCell>
              {usage(
                `${formatCpu(server.allocated.cpu)} vCPU`,
                formatCpu(server.capacity.cpu),
                server.utilisation.cpu,
              )}
            </TableCell>
            <TableCell>
              {usage(
                formatMemoryMiB(server.allocated.memoryMiB),
                formatMemoryMiB(server.capacity.memoryMiB),
                server.utilisation.memory,
              )}
            </TableCell>
            <TableCell>
              {formatCpu(server.headroom.cpu)} vCPU,{' '}
              {formatMemoryMiB(server.headroom.memoryMiB)}{' '}
              {server.overcommitted.map(resource => (
                <Chip
                  key={resource}
                  size="small"
                  label={`${
                    resource === 'cpu' ? 'CPU' : 'memory'
                  } overcommitted`}
                  style={{ backgroundColor: '#ef6c00', color: '#fff' }}
                />
              ))}
            </TableCell>
            <TableCell align="right" style={NO_WRAP}>
              {formatUsd(server.monthlyUsd)}
            </TableCell>
            <TableCell align="right">
              {formatUsd(server.unallocatedUsd)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function SystemsTable(props: { scenario: ScenarioCost }) {
  return (
    <Table size="small" aria-label="cost per system">
      <TableHead>
        <TableRow>
          <TableCell>System</TableCell>
          <TableCell align="right">Services</TableCell>
          <TableCell align="right">Per month</TableCell>
          <TableCell align="right">Share of the total</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.scenario.systems.map(system => (
          <TableRow key={system.system}>
            <TableCell>
              {system.system === '(no system)' ? (
                system.system
              ) : (
                <EntityRefLink
                  entityRef={`system:default/${system.system}`}
                  title={system.system}
                />
              )}
            </TableCell>
            <TableCell align="right">{system.services}</TableCell>
            <TableCell align="right" style={NO_WRAP}>
              {formatUsd(system.monthlyUsd)}
            </TableCell>
            <TableCell align="right">
              {formatPercent(system.shareOfTotal)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const serviceColumns = (perServiceUsd: number): TableColumn<ServiceCost>[] => [
  {
    title: 'Service',
    field: 'name',
    highlight: true,
    render: row => <EntityRefLink entityRef={row.entityRef} title={row.name} />,
  },
  { title: 'System', field: 'system' },
  { title: 'Type', field: 'type' },
  {
    title: 'Allocation per instance',
    field: 'allocation.cpu',
    render: row => {
      if (row.allocationSource === 'none') return 'none (no server)';
      const allocation = `${formatCpu(
        row.allocation.cpu,
      )} CPU / ${formatMemoryMiB(row.allocation.memoryMiB)}`;
      return row.allocationSource === 'default'
        ? `${allocation} (type default)`
        : allocation;
    },
  },
  {
    title: 'Servers',
    sorting: false,
    render: row =>
      row.instances
        .map(i => (i.environment ? `${i.server} (${i.environment})` : i.server))
        .join(', ') || '—',
  },
  {
    title: 'Per month',
    field: 'monthlyUsd',
    type: 'numeric',
    defaultSort: 'desc',
    render: row => (
      <span
        style={{ color: row.monthlyUsd < perServiceUsd ? undefined : MISSED }}
      >
        {formatUsd(row.monthlyUsd)}
      </span>
    ),
  },
  {
    title: 'Share of the total',
    field: 'shareOfTotal',
    type: 'numeric',
    render: row => formatPercent(row.shareOfTotal),
  },
];

function WhatIfCard(props: { scenario: ScenarioCost; current: ScenarioCost }) {
  const { scenario, current } = props;
  const delta = scenario.totals.monthlyUsd - current.totals.monthlyUsd;
  return (
    <InfoCard title={`What if: ${scenario.title}`}>
      <Typography variant="h5" data-testid={`cost-what-if-${scenario.id}`}>
        {formatUsd(scenario.totals.monthlyUsd)} a month (
        {delta >= 0 ? '+' : '−'}
        {formatUsd(Math.abs(delta))} against now)
      </Typography>
      <Typography variant="body2" gutterBottom>
        Same services and the same rules, on these servers. Fixed costs{' '}
        {formatUsd(scenario.totals.fixedUsd)}; unallocated capacity{' '}
        {formatUsd(scenario.totals.unallocatedUsd)}.
      </Typography>
      <Typography component="div" variant="body2" gutterBottom>
        {scenario.targets.map(target => (
          <div key={target.id}>
            {target.label}: {formatUsd(target.value)} (target &lt;{' '}
            {formatUsd(target.limit)}) <TargetChip met={target.met} />
          </div>
        ))}
      </Typography>
      <ServersTable servers={scenario.servers} />
    </InfoCard>
  );
}

/** The `/platform/costs` page content (without the page chrome). */
export function CostsPageContent() {
  const api = useApi(platformDeployApiRef);
  const { value, loading, error } = useAsync(() => api.getCosts(), [api]);

  if (loading) return <Progress />;
  if (error) {
    if (error instanceof ResponseError && error.statusCode === 404) {
      return (
        <EmptyState
          missing="data"
          title="No cost model configured"
          description="Add platformDeploy.costs (servers with plan, price, CPU and memory; fixed costs) to app-config.yaml and install @platform-portal/backstage-plugin-platform-deploy-backend-module-costs in the backend."
        />
      );
    }
    return <ResponseErrorPanel error={error} />;
  }
  const { current, whatIf, warnings } = value!;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <TargetTiles targets={current.targets} />
      </Grid>
      <Grid item xs={12} md={5}>
        <TotalCard scenario={current} />
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Where the month goes">
          <CostChart scenario={current} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Server headroom (allocated vs capacity)">
          <ServersTable servers={current.servers} />
        </InfoCard>
      </Grid>
      {whatIf.map(scenario => (
        <Grid item xs={12} key={scenario.id}>
          <WhatIfCard scenario={scenario} current={current} />
        </Grid>
      ))}
      <Grid item xs={12} md={6}>
        <InfoCard title="Per system">
          <SystemsTable scenario={current} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="How to read these figures">
          <Typography variant="body2" paragraph>
            Each server's price pays {formatPercent(value!.weights.cpu)} for its
            CPU and {formatPercent(value!.weights.memory)} for its memory. A
            service pays for what it is allocated (its platform-portal.dev/cpu
            and memory annotations, or its type's default) against the server's
            capacity; what nobody is allocated is shown as unallocated. When a
            server is overcommitted (more allocated than it has, which Compose
            CPU limits allow), that part of the price is shared by what is
            allocated instead.
          </Typography>
          <Typography variant="body2" paragraph>
            Fixed costs (domains, free tiers) belong to the estate; the average
            per service includes them and the unallocated capacity.
          </Typography>
          <Typography variant="body2">
            <Link to={COST_MODEL_RUNBOOK_URL}>
              How the figures are computed
            </Link>
          </Typography>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <DataTable<ServiceCost>
          title={`Per service (${current.services.length})`}
          options={{ paging: false, padding: 'dense', search: true }}
          columns={serviceColumns(
            current.targets.find(t => t.id === 'per-service-max')?.limit ??
              Infinity,
          )}
          data={current.services}
        />
      </Grid>
      <Grid item xs={12}>
        {current.unplaced.length > 0 && (
          <Typography variant="body2" style={{ color: MISSED }}>
            No server hosts: {current.unplaced.join(', ')}
          </Typography>
        )}
        {warnings.map(warning => (
          <Typography key={warning} variant="body2" style={{ color: MISSED }}>
            {warning}
          </Typography>
        ))}
      </Grid>
    </Grid>
  );
}

/** The page with its header, for the legacy frontend system. */
export function CostsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Costs"
        subtitle="What the estate costs a month, per system and per service"
      />
      <Content>
        <CostsPageContent />
      </Content>
    </Page>
  );
}
