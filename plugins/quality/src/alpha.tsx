import {
  ApiBlueprint,
  createFrontendPlugin,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { qualityApiRef } from './api/QualityApi';
import { QualityClient } from './api/QualityClient';
import { isQualityAvailable } from './isQualityAvailable';

/** The HTTP client. @alpha */
export const qualityApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: qualityApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: deps => new QualityClient(deps),
    }),
});

/** The "Quality" tab on every Component: coverage and image scans. @alpha */
export const qualityEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'quality',
    title: 'Quality',
    filter: isQualityAvailable,
    loader: () =>
      import('./components/EntityQualityContent').then(m => (
        <m.EntityQualityContent />
      )),
  },
});

/**
 * The quality plugin for the new frontend system; discovered by the app
 * through `app.packages` from this default export.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'quality',
  extensions: [qualityApi, qualityEntityContent],
});
