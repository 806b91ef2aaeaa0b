import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { BackupStatusApi, backupStatusApiRef } from '../../api/BackupStatusApi';
import { details } from '../testData';
import { EntityBackupsContent } from './EntityBackupsContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'chat-db',
    annotations: { 'platform-portal.dev/backup-policy': 'postgres-daily' },
  },
  spec: {},
};

async function render(api: Partial<BackupStatusApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[backupStatusApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityBackupsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityBackupsContent', () => {
  it('shows status, reasons, policy, daily strip, restore tests and the runbook', async () => {
    const getEntityDetails = jest.fn().mockResolvedValue(details);
    await render({ getEntityDetails });

    expect(getEntityDetails).toHaveBeenCalledWith('resource:default/chat-db', {
      limit: 100,
    });
    expect(await screen.findByText('Critical')).toBeInTheDocument();
    expect(screen.getByText('Demo data')).toBeInTheDocument();
    expect(
      screen.getAllByText(/The latest restore-test failed: pg_restore exited 1/)
        .length,
    ).toBeGreaterThan(0);
    expect(screen.getByText(/10 h ago/)).toBeInTheDocument();
    expect(screen.getByText('postgres-daily')).toBeInTheDocument();
    expect(screen.getAllByRole('listitem', { name: /^2026-/ })).toHaveLength(
      30,
    );
    expect(
      screen.getByRole('listitem', { name: '2026-11-20: no backup' }),
    ).toBeInTheDocument();
    expect(screen.getByText('2.5 h / 2 h – over RTO')).toBeInTheDocument();
    expect(screen.getByText('Restore runbook')).toHaveAttribute(
      'href',
      '/docs/default/system/platform-portal/runbooks/backup-restore/',
    );
  });

  it('shows a backup size anomaly above the size chart, and the size check of the policy', async () => {
    const message =
      'Last backup 1.0 MB is 0.04 % of the median 2.7 GB of the previous 7 (a warning below 50 %).';
    await render({
      getEntityDetails: jest.fn().mockResolvedValue({
        ...details,
        policy: { ...details.policy, anomaly: { minRatio: 0.5, window: 7 } },
        backup: {
          ...details.backup,
          reasons: [
            ...details.backup.reasons,
            { code: 'size_anomaly', severity: 'warning', message },
          ],
        },
      }),
    });
    const note = await screen.findByRole('alert', {
      name: 'Backup size anomaly',
    });
    expect(note).toHaveTextContent(`Size anomaly: ${message}`);
    // in the reasons of the status as well
    expect(screen.getAllByText(message)).toHaveLength(2);
    expect(
      screen.getByText(
        'warning under 50 % of the median of the previous 7 backups; empty is critical',
      ),
    ).toBeInTheDocument();
  });

  it('shows no size note when the size is normal', async () => {
    await render({ getEntityDetails: jest.fn().mockResolvedValue(details) });
    expect(await screen.findByText('Critical')).toBeInTheDocument();
    expect(
      screen.queryByRole('alert', { name: 'Backup size anomaly' }),
    ).not.toBeInTheDocument();
  });

  it('tells what to do when no runs were reported', async () => {
    await render({
      getEntityDetails: jest
        .fn()
        .mockResolvedValue({ ...details, runs: [], totalRuns: 0 }),
    });
    expect(
      await screen.findByText('No backup runs reported yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/POST \/api\/backup-status\/v1\/runs/),
    ).toBeInTheDocument();
  });

  it('tells what to do when the policy is unknown', async () => {
    await render({
      getEntityDetails: jest
        .fn()
        .mockResolvedValue({ ...details, policy: undefined }),
    });
    expect(
      await screen.findByText('No known backup policy'),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message: 'Missing permission backup-status.read',
        },
        response: { statusCode: 403 },
      }),
      { status: 403, headers: { 'Content-Type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response);
    await render({ getEntityDetails: jest.fn().mockRejectedValue(error) });
    expect(
      (await screen.findAllByText(/Missing permission backup-status.read/))
        .length,
    ).toBeGreaterThan(0);
  });
});
