import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { OverviewResponse } from '@platform-portal/backstage-plugin-platform-deploy-common';
import {
  PlatformDeployApi,
  platformDeployApiRef,
} from '../../api/PlatformDeployApi';
import { metrics } from '../__testUtils__/metrics';
import {
  DeploymentsMatrix,
  DeploymentsPageContent,
  SEARCH_DEBOUNCE_MS,
} from './DeploymentsPage';

const overview = (q: string): OverviewResponse => ({
  environments: ['staging', 'production'],
  items: [
    {
      entityRef: `component:default/${q || 'all'}-svc`,
      title: `${q || 'all'} service`,
      environments: {},
    },
  ],
  totalItems: 1,
});

describe('DeploymentsMatrix search', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sends one request per typing pause, not one per keystroke', async () => {
    const getOverview = jest.fn(async (request?: { q?: string }) =>
      overview(request?.q ?? ''),
    );
    const api = { getOverview } as unknown as PlatformDeployApi;
    await renderInTestApp(
      <TestApiProvider apis={[[platformDeployApiRef, api]]}>
        <DeploymentsMatrix />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('all service')).toBeInTheDocument();
    expect(getOverview).toHaveBeenCalledTimes(1);

    jest.useFakeTimers();
    const box = screen.getByLabelText('Search services');
    // "chat" typed a key every 100 ms: no request while typing
    for (const text of ['c', 'ch', 'cha', 'chat']) {
      fireEvent.change(box, { target: { value: text } });
      await act(async () => {
        jest.advanceTimersByTime(100);
      });
    }
    expect(getOverview).toHaveBeenCalledTimes(1);
    expect(box).toHaveValue('chat');
    // the pause: one request with the whole term
    await act(async () => {
      jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    });
    expect(getOverview).toHaveBeenCalledTimes(2);
    expect(getOverview).toHaveBeenLastCalledWith(
      expect.objectContaining({ q: 'chat', offset: 0 }),
    );
    // more typing after the pause, then another pause: one more request
    fireEvent.change(box, { target: { value: 'chat-' } });
    fireEvent.change(box, { target: { value: 'chat-b' } });
    await act(async () => {
      jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    });
    expect(getOverview).toHaveBeenCalledTimes(3);
    expect(getOverview).toHaveBeenLastCalledWith(
      expect.objectContaining({ q: 'chat-b' }),
    );
    jest.useRealTimers();
    expect(await screen.findByText('chat-b service')).toBeInTheDocument();
  });
});

describe('DeploymentsPageContent', () => {
  it('shows the matrix and the weekly chart, whose code loads on its own', async () => {
    const api = {
      getOverview: jest.fn(async () => overview('')),
      getMetrics: jest.fn(async () => ({
        ...metrics,
        weekly: [
          { weekStart: '2026-11-02T00:00:00Z', succeeded: 5, failed: 1 },
          { weekStart: '2026-11-09T00:00:00Z', succeeded: 7, failed: 0 },
        ],
      })),
    } as unknown as PlatformDeployApi;
    const { container } = await renderInTestApp(
      <TestApiProvider apis={[[platformDeployApiRef, api]]}>
        <DeploymentsPageContent />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('all service')).toBeInTheDocument();
    expect(
      await screen.findByText('Production deploys per week (last 30 days)'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        container.querySelector('.recharts-responsive-container'),
      ).toBeInTheDocument(),
    );
    expect(api.getMetrics).toHaveBeenCalledWith({ windowDays: 30 });
  });
});
