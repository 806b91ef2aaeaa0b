import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

// Development setup: a minimal backend with mocked auth and a fixed catalog.
// Start it with `yarn start` in this package, then try:
//
//   curl http://localhost:7007/api/backup-status/v1/overview
//   curl http://localhost:7007/api/backup-status/v1/runs -H 'Authorization: Bearer mock-service-token' \
//     -H 'Content-Type: application/json' -d '{"entityRef":"resource:default/sample-db","type":"backup",
//     "status":"succeeded","startedAt":"2026-11-23T02:00:00Z","finishedAt":"2026-11-23T02:05:00Z","idempotencyKey":"k1"}'
//
// The mock service token's subject is `external:test-service`: to report, give
// it an ingest scope in app-config.local.yaml:
//
//   platformPortal:
//     ingest:
//       credentials: [{ subject: external:test-service, allEntities: true }]

const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());

backend.add(
  catalogServiceMock.factory({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'sample-db',
          annotations: {
            'platform-portal.dev/backup-policy': 'postgres-daily',
          },
        },
        spec: {
          type: 'database',
          owner: 'team-platform',
        },
      },
    ],
  }),
);

backend.add(import('../src'));

backend.start();
