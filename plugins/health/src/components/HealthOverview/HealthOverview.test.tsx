import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HealthApi, healthApiRef } from '../../api/HealthApi';
import { overview } from '../__fixtures__/health';
import {
  firingByTeam,
  HealthOverview,
  SEARCH_DEBOUNCE_MS,
} from './HealthOverview';

async function render(api: Partial<HealthApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[healthApiRef, api]]}>
      <HealthOverview />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('HealthOverview', () => {
  it('shows firing alerts by team and severity and every service with its SLO', async () => {
    await render({ getOverview: jest.fn().mockResolvedValue(overview) });

    const teams = await screen.findAllByTestId('team-firing');
    // quote-team has the most critical alerts, platform-team nothing firing
    expect(teams.map(t => t.textContent)).toEqual([
      'quote-team' + '2' + '1' + '1',
      'chat-team' + '1' + '2' + '2',
    ]);
    expect(screen.getByTestId('health-summary')).toHaveTextContent(
      '6 firing alerts · 2 of 4 services below the 30-day SLO · 1 alerts match no service',
    );
    expect(screen.getByText('Demo data')).toBeInTheDocument();
    expect(screen.getByText('Services (4)')).toBeInTheDocument();
    const row = screen.getByText('quote-backend').closest('tr')!;
    expect(within(row).getByText('2 critical')).toBeInTheDocument();
    expect(within(row).getByText('1 warning')).toBeInTheDocument();
    expect(within(row).getByText('99.00 %')).toBeInTheDocument();
    expect(within(row).getByText('99.50 %')).toBeInTheDocument();
    expect(within(row).getByText('30 min')).toBeInTheDocument();
    const chat = screen.getByText('chat-backend').closest('tr')!;
    expect(within(chat).getByText('1 silenced')).toBeInTheDocument();
    expect(within(chat).getByText('1 h 15 min')).toBeInTheDocument();
    const docs = screen.getByText('docs').closest('tr')!;
    expect(within(docs).getAllByText('–').length).toBeGreaterThan(2);
  });

  it('asks the backend once per pause in typing', async () => {
    const getOverview = jest.fn().mockResolvedValue(overview);
    await render({ getOverview });
    await screen.findByText('Services (4)');
    expect(getOverview).toHaveBeenCalledTimes(1);
    expect(getOverview).toHaveBeenLastCalledWith(undefined);

    const box = screen.getByRole('textbox', { name: 'Search services' });
    await userEvent.type(box, 'chat');
    await waitFor(() => expect(getOverview).toHaveBeenCalledTimes(2), {
      timeout: SEARCH_DEBOUNCE_MS * 5,
    });
    expect(getOverview).toHaveBeenLastCalledWith({ q: 'chat' });
    // no request for "c", "ch", "cha"
    await new Promise(r => setTimeout(r, SEARCH_DEBOUNCE_MS * 2));
    expect(getOverview).toHaveBeenCalledTimes(2);

    getOverview.mockResolvedValue({ ...overview, services: [] });
    await userEvent.type(box, 'zz');
    expect(
      await screen.findByText('No service matches “chatzz”.'),
    ).toBeInTheDocument();
    expect(getOverview).toHaveBeenCalledTimes(3);
  });

  it('tells what to do when there are no services', async () => {
    await render({
      getOverview: jest
        .fn()
        .mockResolvedValue({ ...overview, services: [], unmatchedFiring: 0 }),
    });
    expect(await screen.findByText('No services to show')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'Missing permission health.read',
          },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    await render({ getOverview: jest.fn().mockRejectedValue(error) });
    expect(
      (await screen.findAllByText(/Missing permission health.read/)).length,
    ).toBeGreaterThan(0);
  });
});

describe('firingByTeam', () => {
  it('sums the firing alerts of each team by severity, skipping quiet services', () => {
    expect(firingByTeam(overview.services)).toEqual([
      {
        team: 'group:default/quote-team',
        bySeverity: { critical: 2, warning: 1 },
        services: 1,
      },
      {
        team: 'group:default/chat-team',
        bySeverity: { critical: 1, warning: 2 },
        services: 2,
      },
    ]);
  });
});
