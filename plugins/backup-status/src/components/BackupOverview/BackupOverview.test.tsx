import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
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

const response: BackupOverviewResponse = {
  items: [critical, ok],
  totalItems: 2,
  summary: {
    total: 2,
    withinRpo: 2,
    restoreTestedLast7Days: 1,
    byStatus: { ok: 1, warning: 0, critical: 1, unknown: 0 },
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
