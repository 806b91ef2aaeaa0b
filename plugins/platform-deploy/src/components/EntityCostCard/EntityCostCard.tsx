import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { formatMemoryMiB } from '@platform-portal/backstage-plugin-platform-deploy-common';
import { platformDeployApiRef } from '../../api/PlatformDeployApi';
import { costsRouteRef } from '../../routes';
import { TargetChip } from '../shared/TargetChip';
import {
  COST_MODEL_RUNBOOK_URL,
  formatCpu,
  formatPercent,
  formatUsd,
} from '../shared/format';

/** The costs page's URL, or undefined in an app that does not mount it. */
function useCostsLink(): string | undefined {
  try {
    return useRouteRef(costsRouteRef)();
  } catch {
    return undefined;
  }
}

/** The component's monthly cost and its share of the whole, on its overview page. */
export function EntityCostCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(platformDeployApiRef);
  const costsLink = useCostsLink();
  const { value, loading, error } = useAsync(
    () => api.getEntityCost(entityRef),
    [api, entityRef],
  );

  let body: JSX.Element;
  if (loading) {
    body = <Progress />;
  } else if (error instanceof ResponseError && error.statusCode === 404) {
    body = (
      <Typography variant="body2">
        Not in the cost model: {error.body.error.message}
      </Typography>
    );
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else {
    const { service, totalMonthlyUsd, targets, scenario } = value!;
    const onServers = service.instances.length > 0;
    body = (
      <>
        <Typography variant="h4" data-testid="entity-monthly-cost">
          {formatUsd(service.monthlyUsd)}{' '}
          <Typography component="span" variant="body1">
            a month
          </Typography>
        </Typography>
        <Typography variant="body2" component="div" gutterBottom>
          {formatPercent(service.shareOfTotal)} of the estate's{' '}
          {formatUsd(totalMonthlyUsd)} ({scenario.title}) · target &lt;{' '}
          {formatUsd(targets.perServiceUsd)}{' '}
          <TargetChip met={service.monthlyUsd < targets.perServiceUsd} />
        </Typography>
        {onServers ? (
          <Typography variant="body2">
            {formatCpu(service.allocation.cpu)} CPU /{' '}
            {formatMemoryMiB(service.allocation.memoryMiB)} per instance
            {service.allocationSource === 'default' &&
              ` (the default of type ${service.type})`}{' '}
            on{' '}
            {service.instances
              .map(
                i =>
                  `${i.server}${
                    i.environment ? ` (${i.environment})` : ''
                  } ${formatUsd(i.monthlyUsd)}`,
              )
              .join(', ')}
          </Typography>
        ) : (
          <Typography variant="body2">
            Runs on no server (no CPU or memory allocation).
          </Typography>
        )}
      </>
    );
  }

  return (
    <InfoCard
      title="Monthly cost"
      deepLink={costsLink ? { title: 'All costs', link: costsLink } : undefined}
    >
      {body}
      <Typography variant="body2" style={{ marginTop: 8 }}>
        <Link to={COST_MODEL_RUNBOOK_URL}>How it is computed</Link>
      </Typography>
    </InfoCard>
  );
}
