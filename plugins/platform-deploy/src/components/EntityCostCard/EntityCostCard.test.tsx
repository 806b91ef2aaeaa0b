import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { screen } from '@testing-library/react';
import { EntityCostResponse } from '@platform-portal/backstage-plugin-platform-deploy-common';
import {
  PlatformDeployApi,
  platformDeployApiRef,
} from '../../api/PlatformDeployApi';
import { costsRouteRef } from '../../routes';
import { costConfig, costReport } from '../__fixtures__/costReport';
import { EntityCostCard } from './EntityCostCard';

const entity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: {},
});

/** What GET /v1/costs?entityRef= answers, from the real report. */
function response(name: string): EntityCostResponse {
  return {
    scenario: { id: costReport.current.id, title: costReport.current.title },
    totalMonthlyUsd: costReport.current.totals.monthlyUsd,
    service: costReport.current.services.find(s => s.name === name)!,
    targets: { perServiceUsd: costConfig.targets.perServiceUsd },
  };
}

async function render(name: string, api: Partial<PlatformDeployApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[platformDeployApiRef, api]]}>
      <EntityProvider entity={entity(name)}>
        <EntityCostCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/platform/costs': costsRouteRef } },
  );
}

describe('EntityCostCard', () => {
  it("shows the service's monthly cost and its share of the whole", async () => {
    const getEntityCost = jest.fn().mockResolvedValue(response('shop-web'));
    await render('shop-web', { getEntityCost });
    expect(getEntityCost).toHaveBeenCalledWith('component:default/shop-web');
    // 0.5 of 3 CPU of the $20 CPU half, 512 MB of 8 GB of the $20 memory half
    expect(await screen.findByTestId('entity-monthly-cost')).toHaveTextContent(
      '$4.58 a month',
    );
    expect(
      screen.getByText(/11\.2 % of the estate's \$41\.00 \(One box\)/),
    ).toBeInTheDocument();
    expect(screen.getByText('on target')).toBeInTheDocument();
    expect(
      screen.getByText(
        /0\.5 CPU \/ 512 MB per instance \(the default of type website\) on box \$4\.58/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('All costs').closest('a')).toHaveAttribute(
      'href',
      '/platform/costs',
    );
    expect(screen.getByText('How it is computed').closest('a')).toHaveAttribute(
      'href',
      '/docs/default/system/platform-portal/runbooks/cost-model/',
    );
  });

  it('says when the service runs on no server', async () => {
    await render('shop-mobile', {
      getEntityCost: jest.fn().mockResolvedValue(response('shop-mobile')),
    });
    expect(await screen.findByTestId('entity-monthly-cost')).toHaveTextContent(
      '$0.00',
    );
    expect(screen.getByText(/Runs on no server/)).toBeInTheDocument();
  });

  it('says when the component is not in the cost model', async () => {
    const res = new Response(
      JSON.stringify({
        error: {
          name: 'NotFoundError',
          message: 'No component component:default/x in the cost model',
        },
      }),
      { status: 404, headers: { 'content-type': 'application/json' } },
    );
    await render('x', {
      getEntityCost: jest
        .fn()
        .mockRejectedValue(await ResponseError.fromResponse(res as any)),
    });
    expect(
      await screen.findByText(
        /Not in the cost model:.*No component component:default\/x in the cost model/,
      ),
    ).toBeInTheDocument();
  });
});
