import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityReadiness } from '@platform-portal/backstage-plugin-readiness-common';
import { ReadinessApi, readinessApiRef } from '../../api/ReadinessApi';
import { rootRouteRef } from '../../routes';
import { chatBackend } from '../__fixtures__/readiness';
import { EntityReadinessCard } from './EntityReadinessCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'chat-backend' },
  spec: { type: 'service', owner: 'chat-team' },
};

/**
 * FAKE ReadinessApi: the card is rendered alone, without a backend; the
 * browser test (packages/app/e2e-tests/readiness.test.ts) reads the real one.
 */
function fakeReadinessApi(
  getEntityReadiness: ReadinessApi['getEntityReadiness'],
) {
  return { getEntityReadiness: jest.fn(getEntityReadiness) };
}

async function render(api: ReturnType<typeof fakeReadinessApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[readinessApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityReadinessCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/platform/readiness': rootRouteRef } },
  );
}

async function responseError(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}

describe('EntityReadinessCard', () => {
  it('shows a progress bar while loading', async () => {
    const api = fakeReadinessApi(() => new Promise(() => {}));
    await render(api);
    // core-components' Progress shows after a short delay
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(api.getEntityReadiness).toHaveBeenCalledWith(
      'component:default/chat-backend',
    );
  });

  it('shows the level, what fails with why and fix, and collapses what passes', async () => {
    await render(fakeReadinessApi(async () => chatBackend));

    expect(await screen.findByTestId('readiness-level')).toHaveTextContent(
      'Bronze',
    );
    expect(
      screen.getByText(/2 of 5 checks pass · evaluated 5 min ago/),
    ).toBeInTheDocument();

    const open = screen.getAllByTestId('readiness-open-check');
    expect(open.map(o => o.getAttribute('data-check'))).toEqual([
      'backups-within-rpo',
      'restore-within-rto',
    ]);
    // fail: its why and its runbook
    const failing = within(open[0]);
    expect(failing.getByText('Fails')).toBeInTheDocument();
    expect(
      failing.getByText(
        'resource:default/chat-backend-db: last success 31 h ago, RPO 24 h',
      ),
    ).toBeInTheDocument();
    expect(
      failing.getByRole('link', { name: 'Backup and restore runbook' }),
    ).toHaveAttribute(
      'href',
      '/docs/default/system/platform-portal/runbooks/backup-restore/',
    );
    // no-data: shown beside the failures, it keeps the level too
    const unmeasured = within(open[1]);
    expect(unmeasured.getByText('No data')).toBeInTheDocument();
    expect(
      unmeasured.getByRole('link', { name: 'Add a restore test' }),
    ).toHaveAttribute('href', '/create/templates/default/restore-test');

    // grouped by the level they keep the entity from
    expect(screen.getByText('To reach Silver')).toBeInTheDocument();
    expect(screen.getByText('Also needed for Gold')).toBeInTheDocument();

    // pass and not-applicable: collapsed until opened
    expect(screen.queryByText(/Owner is a group/)).not.toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: /3 checks pass or do not apply/ }),
    );
    expect(screen.getByText('Owner is a group – Passes')).toBeInTheDocument();
    expect(
      screen.getByText('Health probe configured – Not applicable'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('not deployed to production by a pipeline we watch'),
    ).toBeInTheDocument();
    expect(screen.getByText('Runbook linked – Passes')).toBeInTheDocument();

    expect(screen.getByText('The whole estate').closest('a')).toHaveAttribute(
      'href',
      '/platform/readiness',
    );
  });

  it('says "No level" when even the lowest level is not reached', async () => {
    const none: EntityReadiness = {
      ...chatBackend,
      level: null,
      checks: chatBackend.checks.map(c =>
        c.id === 'owner-is-group'
          ? { ...c, result: 'fail', why: 'owner user:default/alice is a User' }
          : c,
      ),
    };
    await render(fakeReadinessApi(async () => none));
    expect(await screen.findByTestId('readiness-level')).toHaveTextContent(
      'No level',
    );
    expect(screen.getByText('To reach Bronze')).toBeInTheDocument();
    expect(
      screen.getByText('owner user:default/alice is a User'),
    ).toBeInTheDocument();
  });

  it('says so when every check passes or does not apply', async () => {
    const gold: EntityReadiness = {
      ...chatBackend,
      level: 'gold',
      checks: chatBackend.checks.map(c =>
        c.result === 'not-applicable' ? c : { ...c, result: 'pass' },
      ),
    };
    await render(fakeReadinessApi(async () => gold));
    expect(await screen.findByTestId('readiness-level')).toHaveTextContent(
      'Gold',
    );
    expect(
      screen.getByText('Every check passes or does not apply.'),
    ).toBeInTheDocument();
    expect(screen.queryAllByTestId('readiness-open-check')).toHaveLength(0);
  });

  it('says when the entity was not evaluated yet (404)', async () => {
    const error = await responseError(
      404,
      'NotFoundError',
      'component:default/chat-backend was never evaluated',
    );
    await render(fakeReadinessApi(async () => Promise.reject(error)));
    expect(await screen.findByText(/Not evaluated yet/)).toBeInTheDocument();
  });

  it('says when no check applies', async () => {
    await render(
      fakeReadinessApi(async () => ({ ...chatBackend, checks: [] })),
    );
    expect(
      await screen.findByText('No readiness check applies to this entity.'),
    ).toBeInTheDocument();
  });

  it('shows any other error of the backend', async () => {
    const error = await responseError(
      500,
      'DatabaseError',
      'the readiness store is unavailable',
    );
    await render(fakeReadinessApi(async () => Promise.reject(error)));
    expect(
      (await screen.findAllByText(/the readiness store is unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});
