import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HealthApi, healthApiRef } from '../../api/HealthApi';
import { alerts, incidents, uptime } from '../__fixtures__/health';
import { EntityHealthContent } from './EntityHealthContent';

const entity = (name = 'chat-backend'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    annotations: {
      'platform-portal.dev/grafana-dashboard-url':
        'https://grafana.mana.how/d/chat-backend',
      'platform-portal.dev/loki-logs-url':
        'https://grafana.mana.how/explore?query=%7Bservice%3D%22chat-backend%22%7D',
      // not a URL: no link
      // eslint-disable-next-line no-script-url
      'platform-portal.dev/sentry-project-url': 'javascript:alert(1)',
    },
  },
  spec: { type: 'service', owner: 'chat-team' },
});

/** FAKE HealthApi: the tab alone; the browser test reads the real backend. */
function fakeApi(over: Partial<HealthApi> = {}): HealthApi {
  return {
    getAlerts: jest.fn(async () => alerts),
    getUptime: jest.fn(async () => uptime),
    getIncidents: jest.fn(async () => incidents),
    getOverview: jest.fn(),
    createSilence: jest.fn(async (_ref, request) => ({
      silenceId: 's-1',
      matchers: [],
      endsAt: request.endsAt,
      createdBy: 'user:default/alice',
      comment: request.reason,
    })),
    ...over,
  };
}

/** FAKE PermissionApi answering every request with one definitive decision. */
function permission(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
  return {
    authorize: jest.fn(
      async (_request: unknown): Promise<{ result: typeof result }> => ({
        result,
      }),
    ),
  };
}

/**
 * `usePermission` keeps decisions in a cache shared by the tests, keyed by
 * permission and entity: each test of a decision renders its own entity.
 */
async function render(
  api: HealthApi,
  allow: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.DENY,
  name?: string,
) {
  const permissionApi = permission(allow);
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [healthApiRef, api],
        [permissionApiRef, permissionApi],
      ]}
    >
      <EntityProvider entity={entity(name)}>
        <EntityHealthContent />
      </EntityProvider>
    </TestApiProvider>,
  );
  return permissionApi;
}

describe('EntityHealthContent', () => {
  it('shows firing alerts, the SLO windows, incidents and the monitoring links', async () => {
    const api = fakeApi();
    await render(api);

    const rows = await screen.findAllByTestId('firing-alert');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('HighErrorRate')).toBeInTheDocument();
    expect(within(rows[0]).getByText('critical')).toBeInTheDocument();
    expect(within(rows[0]).getByText('3 h ago')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText(/answers more than 5 % of requests/),
    ).toBeInTheDocument();
    expect(within(rows[0]).getByText('runbook')).toHaveAttribute(
      'href',
      alerts.alerts[0].runbookUrl,
    );
    expect(within(rows[1]).getByText('silenced')).toBeInTheDocument();
    expect(within(rows[1]).getByText('–')).toBeInTheDocument(); // no runbook

    const week = await screen.findByTestId('slo-7d');
    expect(within(week).getByText('99.95 %')).toBeInTheDocument();
    expect(within(week).getByText(/meets the SLO/)).toBeInTheDocument();
    const month = screen.getByTestId('slo-30d');
    expect(within(month).getByText('99.80 %')).toBeInTheDocument();
    expect(within(month).getByText(/below the SLO/)).toBeInTheDocument();
    expect(within(month).getByText('overspent')).toBeInTheDocument();
    expect(screen.getByText('Demo data')).toBeInTheDocument();

    expect(await screen.findByTestId('mttr')).toHaveTextContent(
      'MTTR 1 h 15 min',
    );
    expect(screen.getByTestId('mtbf')).toHaveTextContent('MTBF 14 d 19 h');
    const list = screen.getAllByTestId('incident');
    expect(within(list[0]).getByText('still firing')).toBeInTheDocument();
    expect(within(list[1]).getByText('1 h 15 min')).toBeInTheDocument();

    expect(screen.getByText('Grafana dashboard')).toHaveAttribute(
      'href',
      'https://grafana.mana.how/d/chat-backend',
    );
    expect(screen.getByText('Logs (Loki)')).toBeInTheDocument();
    expect(screen.queryByText('Sentry project')).not.toBeInTheDocument();

    expect(api.getAlerts).toHaveBeenCalledWith(
      'component:default/chat-backend',
    );
  });

  it('hides the Silence button from those without health.silence.create', async () => {
    const permissionApi = await render(
      fakeApi(),
      AuthorizeResult.DENY,
      'not-owned',
    );
    await screen.findAllByTestId('firing-alert');
    await waitFor(() => expect(permissionApi.authorize).toHaveBeenCalled());
    expect(
      screen.queryByRole('button', { name: 'Silence' }),
    ).not.toBeInTheDocument();
  });

  it('silences with a reason and an end for those allowed, and shows the backend refusal', async () => {
    const createSilence = jest
      .fn()
      .mockRejectedValueOnce(
        await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: {
                name: 'InputError',
                message: 'endsAt: a silence lasts at most 7 days',
              },
              response: { statusCode: 400 },
            }),
            { status: 400, headers: { 'Content-Type': 'application/json' } },
          ),
        ),
      )
      .mockImplementationOnce(async (_ref, request) => ({
        silenceId: 's-1',
        matchers: [],
        endsAt: request.endsAt,
        createdBy: 'user:default/alice',
        comment: request.reason,
      }));
    const getAlerts = jest.fn(async () => alerts);
    const permissionApi = await render(
      fakeApi({ createSilence, getAlerts }),
      AuthorizeResult.ALLOW,
      'owned',
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Silence' }),
    );
    expect(permissionApi.authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({ name: 'health.silence.create' }),
        resourceRef: 'component:default/owned',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    const submit = within(dialog).getByRole('button', { name: 'Silence' });
    expect(submit).toBeDisabled(); // no reason yet
    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'Deploying the fix',
    );
    await userEvent.click(submit);
    expect(
      await within(dialog).findByText('endsAt: a silence lasts at most 7 days'),
    ).toBeInTheDocument();

    await userEvent.click(submit);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const [ref, request] = createSilence.mock.calls[1];
    expect(ref).toBe('component:default/owned');
    expect(request.reason).toBe('Deploying the fix');
    // the default end: two hours from now
    const hours = (Date.parse(request.endsAt) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(1.9);
    expect(hours).toBeLessThanOrEqual(2);
    // the alerts are read again, now with the silence
    await waitFor(() => expect(getAlerts).toHaveBeenCalledTimes(2));
  });

  it('shows each backend error in its own card; the rest stays', async () => {
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
    await render(fakeApi({ getAlerts: jest.fn().mockRejectedValue(error) }));
    expect(
      (await screen.findAllByText(/Missing permission health.read/)).length,
    ).toBeGreaterThan(0);
    expect(await screen.findByTestId('slo-7d')).toBeInTheDocument();
    expect(await screen.findByTestId('mttr')).toBeInTheDocument();
  });

  it('says when nothing fires and when there were no incidents', async () => {
    await render(
      fakeApi({
        getAlerts: jest.fn(async () => ({ ...alerts, alerts: [] })),
        getIncidents: jest.fn(async () => ({
          ...incidents,
          incidents: [],
          reliability: { windowDays: 30, incidents: 0 },
        })),
        getUptime: jest.fn(async () => ({
          ...uptime,
          windows: uptime.windows.map(w => ({
            days: w.days,
            objective: w.objective,
            errorBudgetSeconds: w.errorBudgetSeconds,
          })),
        })),
      }),
    );
    expect(await screen.findByTestId('no-firing-alerts')).toHaveTextContent(
      'Nothing is firing for service=chat-backend.',
    );
    expect(
      await screen.findByText('No incidents in the last 30 days.'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('mttr')).toHaveTextContent('MTTR –');
    expect(
      screen.getAllByText(/the monitoring has no series for this service/),
    ).toHaveLength(2);
  });
});
