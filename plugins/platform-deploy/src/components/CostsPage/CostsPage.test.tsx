import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { screen, within } from '@testing-library/react';
import {
  PlatformDeployApi,
  platformDeployApiRef,
} from '../../api/PlatformDeployApi';
import { costReport } from '../__fixtures__/costReport';
import { CostsPageContent } from './CostsPage';

async function render(api: Partial<PlatformDeployApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[platformDeployApiRef, api]]}>
      <CostsPageContent />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

async function errorResponse(status: number, message: string) {
  const response = new Response(
    JSON.stringify({ error: { name: 'NotFoundError', message } }),
    { status, headers: { 'content-type': 'application/json' } },
  );
  return ResponseError.fromResponse(response as any);
}

describe('CostsPageContent', () => {
  it('shows the total, the targets, the headroom of each server and every service', async () => {
    await render({ getCosts: jest.fn().mockResolvedValue(costReport) });

    // $40 server + $1 domains + $0 CDN
    expect(await screen.findByTestId('cost-total')).toHaveTextContent('$41.00');
    expect(screen.getByText('Monthly total: One box')).toBeInTheDocument();
    expect(screen.getByText('CDN (free tier)')).toBeInTheDocument();
    expect(screen.getByTestId('cost-target-monthly-total')).toHaveTextContent(
      '$41.00',
    );
    // 3 CPU on 2: the CPU half ($20) is shared by 3 CPU, so shop-backend pays
    // 20*2/3 + 20*2048/8192 = $18.33: over the $5 target.
    expect(screen.getByTestId('cost-target-per-service-max')).toHaveTextContent(
      '$18.33',
    );
    expect(screen.getAllByText('over target').length).toBeGreaterThan(0);
    expect(screen.getAllByText('on target').length).toBeGreaterThan(0);

    // the current servers; the what-if has its own table below
    const [headroom] = screen.getAllByRole('table', {
      name: 'server headroom',
    });
    const box = within(headroom).getByText('box').closest('tr')!;
    expect(box).toHaveTextContent('3 vCPU of 2 (150.0 %)');
    expect(box).toHaveTextContent('3.5 GB of 8 GB (43.8 %)');
    expect(box).toHaveTextContent('CPU overcommitted');
    expect(box).toHaveTextContent('-1 vCPU, 4.5 GB');

    const systems = screen.getByRole('table', { name: 'cost per system' });
    expect(within(systems).getByText('shop')).toBeInTheDocument();
    expect(within(systems).getByText('observability')).toBeInTheDocument();

    expect(screen.getByText('Per service (4)')).toBeInTheDocument();
    expect(screen.getByText('shop-mobile')).toBeInTheDocument();
    expect(screen.getByText('none (no server)')).toBeInTheDocument();
    expect(
      screen.getByText('0.5 CPU / 512 MB (type default)'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('box').length).toBeGreaterThan(1);

    expect(
      screen.getByText('How the figures are computed').closest('a'),
    ).toHaveAttribute(
      'href',
      '/docs/default/system/platform-portal/runbooks/cost-model/',
    );
  });

  it('shows the what-if computed from the same services', async () => {
    await render({ getCosts: jest.fn().mockResolvedValue(costReport) });
    expect(await screen.findByText('What if: Two boxes')).toBeInTheDocument();
    // $20 + $100 + $1 = $121, $80 more than now
    expect(screen.getByTestId('cost-what-if-split')).toHaveTextContent(
      '$121.00 a month (+$80.00 against now)',
    );
    const whatIfTables = screen.getAllByRole('table', {
      name: 'server headroom',
    });
    expect(whatIfTables).toHaveLength(2);
    expect(within(whatIfTables[1]).getByText('prod')).toBeInTheDocument();
  });

  it('tells what to configure when there is no cost model', async () => {
    await render({
      getCosts: jest
        .fn()
        .mockRejectedValue(await errorResponse(404, 'No cost model')),
    });
    expect(
      await screen.findByText('No cost model configured'),
    ).toBeInTheDocument();
    expect(screen.getByText(/platformDeploy.costs/)).toBeInTheDocument();
  });

  it('shows any other error', async () => {
    await render({
      getCosts: jest
        .fn()
        .mockRejectedValue(
          await errorResponse(403, 'Not allowed: platform-deploy.costs.read'),
        ),
    });
    expect(
      (await screen.findAllByText(/Not allowed: platform-deploy.costs.read/))
        .length,
    ).toBeGreaterThan(0);
  });
});
