import { Entity } from '@backstage/catalog-model';
import { EntityProvider, catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SWRConfig } from 'swr';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { EntityDeploymentsResponse } from '@platform-portal/backstage-plugin-platform-deploy-common';
import {
  PlatformDeployApi,
  platformDeployApiRef,
} from '../../api/PlatformDeployApi';
import { metrics } from '../__testUtils__/metrics';
import { EntityDeploymentsContent } from './EntityDeploymentsContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'chat-backend',
    annotations: { 'platform-portal.dev/environments': 'staging,production' },
  },
  spec: { owner: 'chat-team' },
};

const state = (environment: string, version: string, extra = {}) => ({
  environment,
  version,
  lastVersion: version,
  lastStatus: 'succeeded' as const,
  lastEventAt: '2026-11-20T10:00:00Z',
  deployedAt: '2026-11-20T10:00:00Z',
  deployedBy: 'alice',
  health: 'up' as const,
  demo: false,
  ...extra,
});

const deployments: EntityDeploymentsResponse = {
  entityRef: 'component:default/chat-backend',
  environments: ['staging', 'production'],
  states: {
    staging: state('staging', 'main-bbb2222'),
    production: state('production', 'main-aaa1111', {
      previousVersion: 'main-0000000',
      liveColor: 'green',
      lastVersion: 'main-ccc3333',
      lastStatus: 'failed',
    }),
  },
  history: [
    {
      id: 1,
      entityRef: 'component:default/chat-backend',
      environment: 'production',
      version: 'main-ccc3333',
      status: 'failed',
      idempotencyKey: 'k1',
      source: 'http',
      receivedAt: '2026-11-21T10:00:00Z',
    },
  ],
  totalHistory: 1,
};

async function render(
  api: Partial<PlatformDeployApi>,
  templates: string[] = [],
  authorize: (
    request: EvaluatePermissionRequest,
  ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY = () =>
    AuthorizeResult.ALLOW,
) {
  const catalogApi = {
    getEntityByRef: jest.fn(async (ref: any) =>
      templates.includes(ref.name)
        ? {
            apiVersion: 'scaffolder.backstage.io/v1beta3',
            kind: 'Template',
            metadata: { name: ref.name },
          }
        : undefined,
    ),
  };
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [platformDeployApiRef, api],
        [catalogApiRef, catalogApi],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      {/* usePermission caches decisions (swr): a fresh cache per test */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={entity}>
          <EntityDeploymentsContent />
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
}

describe('EntityDeploymentsContent', () => {
  it('shows each environment, drift, history and KPIs; hides missing templates', async () => {
    const getEntityDeployments = jest.fn().mockResolvedValue(deployments);
    await render({
      getEntityDeployments,
      getMetrics: jest.fn().mockResolvedValue(metrics),
    });
    expect(getEntityDeployments).toHaveBeenCalledWith(
      'component:default/chat-backend',
      { limit: 50 },
    );
    expect(await screen.findByText('main-aaa1111')).toBeInTheDocument();
    expect(screen.getAllByText('main-bbb2222').length).toBeGreaterThan(0);
    expect(screen.getByText(/production is behind/)).toBeInTheDocument();
    expect(screen.getByText(/live slot: green/)).toBeInTheDocument();
    expect(screen.getByText('History (1 events)')).toBeInTheDocument();
    expect(screen.getByText('90.0 %')).toBeInTheDocument();
    expect(screen.getByText('Rollback runbook')).toHaveAttribute(
      'href',
      '/docs/default/system/platform-portal/runbooks/rollback/',
    );
    expect(screen.queryByText('Roll back')).not.toBeInTheDocument();
    expect(screen.getByText('Deploy runbook')).toHaveAttribute(
      'href',
      '/docs/default/system/platform-portal/runbooks/deploy/',
    );
    expect(
      screen.queryByText('Incident response: service down'),
    ).not.toBeInTheDocument();
  });

  it('links the incident response runbook when the service is down', async () => {
    await render({
      getEntityDeployments: jest.fn().mockResolvedValue({
        ...deployments,
        states: {
          ...deployments.states,
          production: state('production', 'main-aaa1111', { health: 'down' }),
        },
      }),
      getMetrics: jest.fn().mockResolvedValue(metrics),
    });
    expect(
      await screen.findByText('Incident response: service down'),
    ).toHaveAttribute(
      'href',
      '/docs/default/system/platform-portal/runbooks/incident-response/#service-down',
    );
    expect(screen.queryByText('Rollback runbook')).not.toBeInTheDocument();
  });

  it('offers rollback and promotion when the templates exist', async () => {
    await render(
      {
        getEntityDeployments: jest.fn().mockResolvedValue(deployments),
        getMetrics: jest.fn().mockResolvedValue(metrics),
      },
      ['rollback-service', 'promote-service'],
    );
    const rollback = await screen.findByText('Roll back');
    expect(rollback.closest('a')?.getAttribute('href')).toContain(
      encodeURIComponent('"version":"main-0000000"'),
    );
    expect(screen.getByText(/Promote staging/)).toBeInTheDocument();
  });

  it('asks for platform-deploy.change on the entity and disables both buttons, saying why, for someone who may not', async () => {
    const asked: EvaluatePermissionRequest[] = [];
    await render(
      {
        getEntityDeployments: jest.fn().mockResolvedValue(deployments),
        getMetrics: jest.fn().mockResolvedValue(metrics),
      },
      ['rollback-service', 'promote-service'],
      request => {
        asked.push(request);
        return AuthorizeResult.DENY;
      },
    );
    const rollback = await screen.findByRole('button', { name: 'Roll back' });
    expect(rollback).toBeDisabled();
    expect(rollback.closest('a')).toBeNull();
    expect(
      screen.getByRole('button', { name: /Promote staging/ }),
    ).toBeDisabled();
    expect(screen.getByRole('note')).toHaveTextContent(
      'Only the owners of chat-backend (chat-team) and the platform team may roll back or promote it',
    );
    expect(asked).toContainEqual(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: 'platform-deploy.change',
        }),
        resourceRef: 'component:default/chat-backend',
      }),
    );
  });

  it('enables both buttons without a note for someone who may', async () => {
    await render(
      {
        getEntityDeployments: jest.fn().mockResolvedValue(deployments),
        getMetrics: jest.fn().mockResolvedValue(metrics),
      },
      ['rollback-service', 'promote-service'],
      () => AuthorizeResult.ALLOW,
    );
    const rollback = await screen.findByRole('link', { name: 'Roll back' });
    expect(rollback).toHaveAttribute(
      'href',
      expect.stringContaining('/create/templates/default/rollback-service'),
    );
    expect(
      screen.getByRole('link', { name: /Promote staging/ }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining('/create/templates/default/promote-service'),
    );
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
  });

  it('tells how CI reports a deploy when there is none', async () => {
    await render({
      getEntityDeployments: jest.fn().mockResolvedValue({
        ...deployments,
        states: {},
        history: [],
        totalHistory: 0,
      }),
      getMetrics: jest.fn().mockResolvedValue(metrics),
    });
    expect(
      await screen.findByText('No deployment reported yet'),
    ).toBeInTheDocument();
    expect(screen.getByText(/scripts\/report-deploy/)).toBeInTheDocument();
  });

  it('shows the error of a failed request', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message: 'Not allowed: platform-deploy.read',
        },
      }),
      {
        status: 403,
        headers: { 'content-type': 'application/json' },
      },
    );
    await render({
      getEntityDeployments: jest
        .fn()
        .mockRejectedValue(await ResponseError.fromResponse(response as any)),
      getMetrics: jest.fn().mockResolvedValue(metrics),
    });
    expect(
      (await screen.findAllByText(/Not allowed: platform-deploy.read/)).length,
    ).toBeGreaterThan(0);
  });
});
