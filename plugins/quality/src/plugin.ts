import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { qualityApiRef } from './api/QualityApi';
import { QualityClient } from './api/QualityClient';

/** The quality plugin for the legacy frontend system. @public */
export const qualityPlugin = createPlugin({
  id: 'quality',
  apis: [
    createApiFactory({
      api: qualityApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: deps => new QualityClient(deps),
    }),
  ],
});

/** The "Quality" entity tab; guard it with `isQualityAvailable`. @public */
export const EntityQualityContent: () => JSX.Element = qualityPlugin.provide(
  createComponentExtension({
    name: 'EntityQualityContent',
    component: {
      lazy: () =>
        import('./components/EntityQualityContent').then(
          m => m.EntityQualityContent,
        ),
    },
  }),
);
