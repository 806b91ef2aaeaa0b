import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import { ReadinessApi, readinessApiRef } from '../../api/ReadinessApi';
import { backups, deployments, health } from '../__fixtures__/status';
import { EntityStatusCard } from './EntityStatusCard';

function entity(options: {
  dependsOn?: string[];
  backupPolicy?: string;
}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'chat-backend',
      annotations: options.backupPolicy
        ? { 'platform-portal.dev/backup-policy': options.backupPolicy }
        : {},
    },
    spec: { type: 'service', owner: 'chat-team' },
    relations: (options.dependsOn ?? []).map(targetRef => ({
      type: 'dependsOn',
      targetRef,
    })),
  };
}

/**
 * FAKE ReadinessApi: the card is rendered alone, without the platform-deploy
 * and backup-status backends; the browser test
 * (packages/app/e2e-tests/readiness.test.ts) reads the real ones.
 */
function fakeReadinessApi(api: Partial<ReadinessApi>): Partial<ReadinessApi> {
  return {
    getDeployments: jest.fn(async () => deployments),
    getBackups: jest.fn(async (ref: string) => backups[ref]),
    getHealth: jest.fn(async () => health),
    ...api,
  };
}

async function render(e: Entity, api: Partial<ReadinessApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[readinessApiRef, api]]}>
      <EntityProvider entity={e}>
        <EntityStatusCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const chatBackend = entity({
  dependsOn: [
    'component:default/mana-core-auth',
    'component:default/postgres',
    'resource:default/chat-backend-db',
  ],
});

describe('EntityStatusCard', () => {
  it('shows progress while the backends answer', async () => {
    await render(
      chatBackend,
      fakeReadinessApi({
        getDeployments: () => new Promise(() => {}),
        getBackups: () => new Promise(() => {}),
        getHealth: () => new Promise(() => {}),
      }),
    );
    // each section's Progress shows after its own short delay: under load
    // the first can be there before the others
    await waitFor(() =>
      expect(screen.getAllByRole('progressbar')).toHaveLength(3),
    );
  });

  it('shows production, the last deploy and the backups of what it depends on', async () => {
    const api = fakeReadinessApi({});
    await render(chatBackend, api);

    expect(
      await screen.findByTestId('status-production-version'),
    ).toHaveTextContent('main-a1');
    expect(api.getDeployments).toHaveBeenCalledWith(
      'component:default/chat-backend',
    );
    expect(screen.getByTestId('status-health')).toHaveTextContent('Healthy');
    expect(screen.getByTestId('status-production')).toHaveTextContent(
      /deployed 3 h ago by alice · health checked 1 min ago/,
    );
    const last = screen.getByTestId('status-last-deploy');
    expect(last).toHaveTextContent('main-a2');
    expect(screen.getByTestId('status-last-deploy-result')).toHaveTextContent(
      'Failed',
    );
    expect(last).toHaveTextContent('30 min ago by bob');
    expect(
      within(last).getByRole('link', { name: /^pipeline run/ }),
    ).toHaveAttribute('href', 'https://github.com/example/chat/actions/runs/2');

    // the component has no policy itself: only its dependencies are asked,
    // and the stateless one (no policy) is left out
    expect(api.getBackups).toHaveBeenCalledTimes(3);
    const rows = await screen.findAllByTestId('status-backup');
    expect(rows.map(r => r.getAttribute('data-entity-ref'))).toEqual([
      'component:default/postgres',
      'resource:default/chat-backend-db',
    ]);
    expect(rows[0]).toHaveTextContent(
      /OK\s*last good backup 2 h ago \(RPO 24 h\)/,
    );
    expect(rows[1]).toHaveTextContent(
      /Critical\s*last good backup 31 h ago \(RPO 24 h\) · The last good backup is 31 h old \(RPO 24 h\)\./,
    );
  });

  it("asks for the component's own backups when it has a policy", async () => {
    const api = fakeReadinessApi({
      getBackups: jest.fn(async (ref: string) =>
        ref === 'component:default/chat-backend'
          ? {
              ...backups['component:default/postgres'],
              entityRef: ref,
            }
          : undefined,
      ),
    });
    await render(entity({ backupPolicy: 'postgres-daily' }), api);
    const rows = await screen.findAllByTestId('status-backup');
    expect(rows.map(r => r.getAttribute('data-entity-ref'))).toEqual([
      'component:default/chat-backend',
    ]);
  });

  it('says when nothing holds data, without asking backup-status', async () => {
    const api = fakeReadinessApi({});
    await render(entity({}), api);
    expect(
      await screen.findByText(
        'Neither this entity nor what it depends on holds data.',
      ),
    ).toBeInTheDocument();
    expect(api.getBackups).not.toHaveBeenCalled();
  });

  it('says when none of the dependencies has a backup policy', async () => {
    await render(
      entity({ dependsOn: ['component:default/mana-core-auth'] }),
      fakeReadinessApi({}),
    );
    expect(
      await screen.findByText(
        'Neither this entity nor what it depends on has a backup policy.',
      ),
    ).toBeInTheDocument();
  });

  it('says when the service is not deployed to production or not known', async () => {
    const { unmount } = await render(
      chatBackend,
      fakeReadinessApi({
        getDeployments: jest.fn(async () => ({
          ...deployments,
          states: { staging: deployments.states.staging },
          history: [],
        })),
      }),
    );
    expect(
      await screen.findByText('Not deployed to production yet.'),
    ).toBeInTheDocument();
    unmount();

    await render(
      chatBackend,
      fakeReadinessApi({ getDeployments: jest.fn(async () => undefined) }),
    );
    expect(
      await screen.findByText('No deployments reported for this entity.'),
    ).toBeInTheDocument();
  });

  it('shows a health that is down and a deploy that is still running', async () => {
    const production = deployments.states.production!;
    await render(
      chatBackend,
      fakeReadinessApi({
        getDeployments: jest.fn(async () => ({
          ...deployments,
          states: {
            production: {
              ...production,
              health: 'down' as const,
              lastStatus: 'started' as const,
            },
          },
          history: [],
        })),
      }),
    );
    expect(await screen.findByTestId('status-health')).toHaveTextContent(
      'Down',
    );
    expect(screen.getByTestId('status-last-deploy-result')).toHaveTextContent(
      'Deploying',
    );
  });

  it("shows each backend's error where its part would be", async () => {
    const forbidden = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'Missing permission backup-status.read',
          },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    await render(
      chatBackend,
      fakeReadinessApi({
        getDeployments: jest.fn(async () => {
          throw new Error('platform-deploy is unavailable');
        }),
        getBackups: jest.fn(async (ref: string) => {
          if (ref === 'resource:default/chat-backend-db') throw forbidden;
          return backups[ref];
        }),
      }),
    );
    expect(
      await screen.findByText(
        'Deployments could not be read: platform-deploy is unavailable',
      ),
    ).toBeInTheDocument();
    const rows = await screen.findAllByTestId('status-backup');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent(
      'could not be read: Missing permission backup-status.read',
    );
    expect(rows[0]).toHaveTextContent('OK');
  });

  it('shows the firing alerts and the 30-day uptime from the health backend', async () => {
    const api = fakeReadinessApi({});
    await render(chatBackend, api);
    // the silenced alert does not count
    expect(await screen.findByTestId('status-alerts')).toHaveTextContent(
      '2 firing',
    );
    expect(screen.getByTestId('status-uptime')).toHaveTextContent(
      '99.87 % uptime in 30 days (objective 99.9 %) · demo data',
    );
    expect(api.getHealth).toHaveBeenCalledWith(
      'component:default/chat-backend',
    );
  });

  it('says so when the health backend is absent or unreachable; the rest stays', async () => {
    const { unmount } = await render(
      chatBackend,
      fakeReadinessApi({ getHealth: jest.fn(async () => undefined) }),
    );
    expect(
      await screen.findByText(
        'No health data: the health backend is not installed or does not know this entity.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByTestId('status-production-version'),
    ).toHaveTextContent('main-a1');
    unmount();

    await render(
      chatBackend,
      fakeReadinessApi({
        getHealth: jest.fn(async () => {
          // what the browser's fetch rejects with when nothing answers
          throw new Error('Failed to fetch');
        }),
      }),
    );
    expect(
      await screen.findByText('Health could not be read: Failed to fetch'),
    ).toBeInTheDocument();
    expect((await screen.findAllByTestId('status-backup')).length).toBe(2);
  });
});
