import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

// A backend with only this plugin, for trying its API by hand: `yarn start`
// in this package, then for example
//
//   curl http://localhost:7007/api/platform-deploy/v1/events \
//     -H 'Authorization: Bearer mock-service-token' -H 'Content-Type: application/json' \
//     -d '{"entityRef":"component:default/sample","environment":"production","version":"main-abc1234","status":"succeeded","idempotencyKey":"dev-run-1"}'
//   curl http://localhost:7007/api/platform-deploy/v1/overview
//   curl http://localhost:7007/api/platform-deploy/v1/entities/component/default/sample
//
// Auth is mocked (any request is a user, `mock-service-token` a service) and
// the catalog holds one Component; see the README for the real setup.

const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(
  catalogServiceMock.factory({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'sample',
          title: 'Sample Component',
        },
        spec: {
          type: 'service',
          owner: 'team-a',
        },
      },
    ],
  }),
);

backend.add(import('../src'));

backend.start();
