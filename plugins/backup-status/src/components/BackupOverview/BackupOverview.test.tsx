import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BackupOverviewResponse } from '@platform-portal/backstage-plugin-backup-status-common';
import { BackupStatusApi, backupStatusApiRef } from '../../api/BackupStatusApi';
import { details } from '../testData';
import { BackupOverview } from './BackupOverview';

const { runs, totalRuns, restoreTests, ...critical } = details;
const ok = {
  ...critical,
  entityRef: 'component:default/postgres',
  backup: { ...critical.backup, status: 'ok' as const, reasons: [] },
};
const SIZE_MESSAGE =
  'Last backup 1.0 MB is 0.04 % of the median 2.7 GB of the previous 7 (a warning below 50 %).';
const small = {
  ...critical,
  entityRef: 'resource:default/quotes-db',
  backup: {
    ...critical.backup,
    status: 'warning' as const,
    demo: false,
    reasons: [
      {
        code: 'size_anomaly' as const,
        severity: 'warning' as const,
        message: SIZE_MESSAGE,
      },
    ],
  },
};

const response: BackupOverviewResponse = {
  items: [critical, ok],
  totalItems: 2,
  summary: {
    total: 2,
    withinRpo: 2,
    restoreTestedLast7Days: 1,
    byStatus: { ok: 1, warning: 0, critical: 1, unknown: 0 },
    sizeAnomalies: 0,
  },
};

async function render(api: Partial<BackupStatusApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[backupStatusApiRef, api]]}>
      <BackupOverview />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('BackupOverview', () => {
  it('shows the compliance summary, worst offenders and the table', async () => {
    await render({ getOverview: jest.fn().mockResolvedValue(response) });
    expect(await screen.findByText('100%')).toBeInTheDocument();
    expect(screen.getByText('50%')).toBeInTheDocument();
    expect(screen.getByText('1 critical')).toBeInTheDocument();
    expect(screen.getByText('Worst offenders')).toBeInTheDocument();
    expect(screen.getByText('Backups (2)')).toBeInTheDocument();
    expect(screen.getAllByText('chat-db').length).toBeGreaterThan(0);
    expect(screen.getByText('All checks pass')).toBeInTheDocument();
    // Both rows come from the demo feeder and say so.
    expect(screen.getAllByText('Demo')).toHaveLength(2);
  });

  it('counts size anomalies and marks them in the table', async () => {
    await render({
      getOverview: jest.fn().mockResolvedValue({
        items: [critical, small, ok],
        totalItems: 3,
        summary: {
          ...response.summary,
          total: 3,
          byStatus: { ok: 1, warning: 1, critical: 1, unknown: 0 },
          sizeAnomalies: 1,
        },
      }),
    });
    expect(await screen.findByText('Size anomalies')).toBeInTheDocument();
    expect(
      screen.getByText(
        'entities whose last backup is empty or much smaller than usual',
      ).previousSibling,
    ).toHaveTextContent('1');
    expect(screen.getAllByText('Size anomaly')).toHaveLength(1);
    // the reason, in the worst offenders and in the table
    expect(screen.getAllByText(SIZE_MESSAGE, { exact: false })).toHaveLength(2);
  });

  it('asks once per typing pause, not per keystroke (search box)', async () => {
    jest.useFakeTimers();
    try {
      const getOverview = jest.fn().mockResolvedValue(response);
      await render({ getOverview });
      await screen.findByText('Backups (2)');
      expect(getOverview).toHaveBeenCalledTimes(1);
      // typing fast: 100 ms between keys, under the 300 ms pause
      const user = userEvent.setup({
        advanceTimers: jest.advanceTimersByTime,
        delay: 100,
      });
      const search = screen.getByLabelText('Search');
      await user.type(search, 'chat');
      expect(getOverview).toHaveBeenCalledTimes(1);
      await act(async () => {
        jest.advanceTimersByTime(300);
      });
      await waitFor(() => expect(getOverview).toHaveBeenCalledTimes(2));
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ q: 'chat' }),
      );
      // a second burst after a pause: one more request
      await user.type(search, '-db');
      await act(async () => {
        jest.advanceTimersByTime(300);
      });
      await waitFor(() => expect(getOverview).toHaveBeenCalledTimes(3));
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ q: 'chat-db' }),
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('asks the API for one page at a time, and a filter for its first page', async () => {
    const getOverview = jest
      .fn()
      .mockResolvedValue({ ...response, totalItems: 60 });
    await render({ getOverview });
    await screen.findByText('Backups (60)');
    expect(getOverview).toHaveBeenLastCalledWith(
      expect.objectContaining({ limit: 25, offset: 0 }),
    );
    expect(screen.getByText('1-25 of 60')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ limit: 25, offset: 25 }),
      ),
    );
    // the first page named the worst; the second keeps them
    expect(screen.getByText('Worst offenders')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Filter by status' }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Critical' }),
    );
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ status: 'critical', offset: 0 }),
      ),
    );
  });

  it('passes the status filter to the API', async () => {
    const getOverview = jest.fn().mockResolvedValue(response);
    await render({ getOverview });
    await screen.findByText('Backups (2)');
    await userEvent.click(
      screen.getByRole('button', { name: 'Filter by status' }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Critical' }),
    );
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ status: 'critical' }),
      ),
    );
  });

  it('tells what to do when no entity has a policy', async () => {
    await render({
      getOverview: jest.fn().mockResolvedValue({
        ...response,
        items: [],
        totalItems: 0,
      }),
    });
    expect(
      await screen.findByText('No entity has a backup policy yet'),
    ).toBeInTheDocument();
  });
});
