import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { ReadinessApi, readinessApiRef } from './api/ReadinessApi';
import {
  chatBackend,
  entitiesPage,
  overview,
  summary,
  trend,
} from './components/__fixtures__/readiness';
import { deployments } from './components/__fixtures__/status';
import {
  EntityReadinessCard,
  EntityStatusCard,
  ReadinessPage,
  readinessPlugin,
} from './plugin';
import { rootRouteRef } from './routes';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'chat-backend' },
  spec: {},
};

/**
 * FAKE ReadinessApi: the legacy extensions are rendered alone, without a
 * backend; the browser test reads the real one.
 */
const fakeReadinessApi: ReadinessApi = {
  getEntityReadiness: async () => chatBackend,
  getDeployments: async () => deployments,
  getBackups: async () => undefined,
  getHealth: async () => undefined,
  getOverview: async () => structuredClone(overview),
  getSummary: async () => structuredClone(summary),
  getEntities: async query => entitiesPage(query),
  getTrend: async () => trend,
  getOverviewCsv: async () => '',
};

describe('the legacy frontend system plugin', () => {
  it('is the readiness plugin with its page route', () => {
    expect(readinessPlugin.getId()).toBe('readiness');
    expect(readinessPlugin.routes.root).toBe(rootRouteRef);
  });

  it('lazy-loads both entity cards', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[readinessApiRef, fakeReadinessApi]]}>
        <EntityProvider entity={entity}>
          <EntityReadinessCard />
          <EntityStatusCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/platform/readiness': rootRouteRef } },
    );
    expect(await screen.findByTestId('readiness-level')).toHaveTextContent(
      'Bronze',
    );
    expect(
      await screen.findByTestId('status-production-version'),
    ).toHaveTextContent('main-a1');
  });

  it('lazy-loads the page with its header', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[readinessApiRef, fakeReadinessApi]]}>
        <Routes>
          <Route path="/platform/readiness" element={<ReadinessPage />} />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/platform/readiness'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('heading', { name: 'Production readiness' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Entities (4)')).toBeInTheDocument();
  });
});
