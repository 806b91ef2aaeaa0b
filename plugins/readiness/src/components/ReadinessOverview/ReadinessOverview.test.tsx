import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ReadinessApi, readinessApiRef } from '../../api/ReadinessApi';
import { csv, entitiesPage, summary, trend } from '../__fixtures__/readiness';
import {
  ReadinessOverview,
  ROWS_PER_PAGE,
  SEARCH_DEBOUNCE_MS,
} from './ReadinessOverview';

// The page renders four MUI tables and charts: 25 s for the file alone, over
// 80 s with the unit stage's other workers beside it
jest.setTimeout(30_000);
const SLOW_FIND = { timeout: 10_000 };

/**
 * FAKE ReadinessApi: the page is rendered alone, without a backend; the
 * browser test (packages/app/e2e-tests/readiness.test.ts) reads the real one.
 */
function fakeReadinessApi(
  api: Partial<ReadinessApi> = {},
): Partial<ReadinessApi> {
  return {
    getSummary: jest.fn(async () => structuredClone(summary)),
    getEntities: jest.fn(async query => entitiesPage(query)),
    getTrend: jest.fn(async () => trend),
    getOverviewCsv: jest.fn(async () => csv),
    ...api,
  };
}

async function render(api: Partial<ReadinessApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[readinessApiRef, api]]}>
      <ReadinessOverview />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('ReadinessOverview', () => {
  it('shows progress while loading, and asks for the first page beside the summary', async () => {
    const api = fakeReadinessApi({ getSummary: () => new Promise(() => {}) });
    await render(api);
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    // both requests leave together: the table's does not wait for the summary
    expect(api.getEntities).toHaveBeenCalledWith({
      limit: ROWS_PER_PAGE[0],
      offset: 0,
    });
  });

  it('shows the distribution, the matrices, the trend, the top failing checks and every entity', async () => {
    const api = fakeReadinessApi();
    await render(api);

    const distribution = await screen.findByTestId('readiness-distribution');
    for (const [level, title] of [
      ['none', 'No level'],
      ['bronze', 'Bronze'],
      ['silver', 'Silver'],
      ['gold', 'Gold'],
    ]) {
      const tile = distribution.querySelector(`[data-level="${level}"]`)!;
      expect(tile).toHaveTextContent(`${title}125 % of 4`);
    }
    expect(
      screen.getByText(/4 entities · evaluated 1 h ago/),
    ).toBeInTheDocument();

    const bySystem = screen.getByTestId('readiness-matrix-system');
    const chat = bySystem.querySelector('[data-row="chat"]')!;
    expect(
      within(chat as HTMLElement).getByRole('button', {
        name: 'chat, Bronze: 1 of 2',
      }),
    ).toBeInTheDocument();
    expect(chat.querySelector('[data-level="silver"]')).toHaveTextContent('0');
    expect(bySystem.querySelector('[data-row="none"]')).toHaveTextContent(
      'No system',
    );
    const byTeam = screen.getByTestId('readiness-matrix-owner');
    expect(
      byTeam.querySelector('[data-row="group:default/platform-team"]'),
    ).toHaveTextContent(/platform-team\s*0\s*0\s*1\s*0\s*1/);

    expect(api.getTrend).toHaveBeenCalledWith(90);
    expect(screen.getByTestId('readiness-trend-summary')).toHaveTextContent(
      '2026-11-22: 3 No level, 1 Bronze, 0 Silver, 0 Gold. 2026-11-23: 1 No level, 1 Bronze, 1 Silver, 1 Gold.',
    );

    const top = screen.getByTestId('readiness-top-failing');
    expect(
      within(top).getByRole('progressbar', {
        name: 'Backups within RPO: fails for 2 of 4',
      }),
    ).toBeInTheDocument();

    expect(await screen.findByText('Entities (4)')).toBeInTheDocument();
    expect(api.getEntities).toHaveBeenCalledWith({
      limit: ROWS_PER_PAGE[0],
      offset: 0,
    });
    const row = (
      await screen.findByRole('link', { name: 'Chat Backend' })
    ).closest('tr')!;
    expect(row).toHaveTextContent(/chat-team/);
    expect(within(row).getByRole('link', { name: 'chat' })).toHaveAttribute(
      'href',
      '/catalog/default/system/chat',
    );
    expect(row).toHaveTextContent('Bronze');
    expect(row).toHaveTextContent('Backups within RPO');
    // a failing check outside the top list shows by its id
    const scratch = screen
      .getByRole('link', { name: 'scratch' })
      .closest('tr')!;
    expect(scratch).toHaveTextContent('No level');
    expect(scratch).toHaveTextContent('Owner is a group, Backups within RPO');
  });

  it('filters the table by a matrix cell in the backend, and clears the filter', async () => {
    const api = fakeReadinessApi();
    await render(api);
    await userEvent.click(
      await screen.findByRole(
        'button',
        { name: 'chat, Gold: 1 of 2' },
        SLOW_FIND,
      ),
    );
    expect(screen.getByTestId('readiness-filter')).toHaveTextContent(
      'System chat, Gold',
    );
    expect(await screen.findByText('Entities (1)')).toBeInTheDocument();
    expect(api.getEntities).toHaveBeenLastCalledWith({
      system: 'chat',
      level: 'gold',
      limit: ROWS_PER_PAGE[0],
      offset: 0,
    });
    expect(
      await screen.findByRole('link', { name: 'Chat Web' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Chat Backend' }),
    ).not.toBeInTheDocument();

    const chip = screen.getByTestId('readiness-filter');
    await userEvent.click(chip.querySelector('svg')!);
    expect(await screen.findByText('Entities (4)')).toBeInTheDocument();
  });

  it('asks for the entities without a team by an empty owner', async () => {
    const api = fakeReadinessApi();
    await render(api);
    const byTeam = await screen.findByTestId(
      'readiness-matrix-owner',
      {},
      SLOW_FIND,
    );
    await userEvent.click(
      within(
        byTeam.querySelector('[data-row="none"]') as HTMLElement,
      ).getByRole('button', { name: /No level: 1 of 1/ }),
    );
    expect(await screen.findByText('Entities (1)')).toBeInTheDocument();
    expect(api.getEntities).toHaveBeenLastCalledWith({
      owner: '',
      level: 'none',
      limit: ROWS_PER_PAGE[0],
      offset: 0,
    });
    expect(
      await screen.findByRole('link', { name: 'scratch' }),
    ).toBeInTheDocument();
  });

  it('asks the backend once per typing pause, for the first page', async () => {
    const api = fakeReadinessApi();
    await render(api);
    expect(
      await screen.findByRole('link', { name: 'Chat Web' }),
    ).toBeInTheDocument();
    const before = (api.getEntities as jest.Mock).mock.calls.length;
    jest.useFakeTimers();
    try {
      const box = screen.getByPlaceholderText('Filter');
      for (const text of ['s', 'sc', 'scr', 'scra']) {
        fireEvent.change(box, { target: { value: text } });
        await act(async () => {
          jest.advanceTimersByTime(100);
        });
      }
      // still typing: nothing asked yet
      expect(api.getEntities).toHaveBeenCalledTimes(before);
      await act(async () => {
        jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
      });
      expect(api.getEntities).toHaveBeenCalledTimes(before + 1);
      expect(api.getEntities).toHaveBeenLastCalledWith({
        q: 'scra',
        limit: ROWS_PER_PAGE[0],
        offset: 0,
      });
    } finally {
      jest.useRealTimers();
    }
    expect(
      await screen.findByRole('link', { name: 'scratch' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Chat Web' }),
    ).not.toBeInTheDocument();
  }, 30_000);

  it('pages through the backend', async () => {
    const api = fakeReadinessApi({
      getEntities: jest.fn(async query => ({
        ...entitiesPage(query),
        totalItems: 45,
      })),
    });
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Next page' }, SLOW_FIND),
    );
    await waitFor(() =>
      expect(api.getEntities).toHaveBeenLastCalledWith({
        limit: ROWS_PER_PAGE[0],
        offset: ROWS_PER_PAGE[0],
      }),
    );
    expect(screen.getByText('Entities (45)')).toBeInTheDocument();
  });

  it('downloads the CSV the backend serves', async () => {
    const blobs: Blob[] = [];
    const createObjectURL = jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:readiness';
    });
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicks: HTMLAnchorElement[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordClick(this: HTMLAnchorElement) {
        clicks.push(this);
      });
    try {
      const api = fakeReadinessApi();
      await render(api);
      await userEvent.click(
        await screen.findByRole('button', { name: /Download CSV/ }),
      );
      await waitFor(() => expect(clicks).toHaveLength(1));
      expect(api.getOverviewCsv).toHaveBeenCalledTimes(1);
      expect(clicks[0].download).toBe('readiness.csv');
      expect(clicks[0].href).toBe('blob:readiness');
      expect(await blobs[0].text()).toBe(csv);
      expect(blobs[0].type).toBe('text/csv;charset=utf-8');
    } finally {
      click.mockRestore();
    }
  });

  it('says when no entity was evaluated yet', async () => {
    await render(
      fakeReadinessApi({
        getSummary: jest.fn(async () => ({
          ...summary,
          total: 0,
          bySystem: [],
          byOwner: [],
          distribution: {},
          topFailing: [],
          evaluatedAt: null,
        })),
      }),
    );
    expect(
      await screen.findByText('No entity evaluated yet'),
    ).toBeInTheDocument();
  });

  it('says when the history begins today', async () => {
    await render(
      fakeReadinessApi({
        getTrend: jest.fn(async () => ({
          days: [trend.days[0], trend.days[2]],
        })),
      }),
    );
    expect(
      await screen.findByTestId('readiness-trend-summary'),
    ).toHaveTextContent(
      /^2026-11-23: 1 No level, 1 Bronze, 1 Silver, 1 Gold; the history begins then\.$/,
    );
  });

  it('says when there is no history yet', async () => {
    await render(
      fakeReadinessApi({
        getTrend: jest.fn(async () => ({ days: [trend.days[0]] })),
      }),
    );
    expect(
      await screen.findByTestId('readiness-trend-empty'),
    ).toHaveTextContent('No history yet');
  });

  it("shows the backend's error", async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'AuthenticationError', message: 'No credentials' },
          response: { statusCode: 401 },
        }),
        { status: 401, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    await render(
      fakeReadinessApi({
        getSummary: jest.fn(async () => Promise.reject(error)),
      }),
    );
    expect(
      (await screen.findAllByText(/No credentials/)).length,
    ).toBeGreaterThan(0);
  });

  it("shows the trend's error beside the rest of the page", async () => {
    await render(
      fakeReadinessApi({
        getTrend: jest.fn(async () => {
          throw new Error('query.days: Number must be at most 365');
        }),
      }),
    );
    expect(
      (await screen.findAllByText(/query.days: Number must be at most 365/))
        .length,
    ).toBeGreaterThan(0);
    expect(screen.getByTestId('readiness-distribution')).toBeInTheDocument();
  });
});
