import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import { backupStatusPlugin } from '../plugin';
import { catalogConfig } from './catalog';

/**
 * The backend the backup scripts report to in their integration tests:
 * backup-status and the catalog of `backup-scripts.catalog.yaml`, with the
 * real static-token auth. The jobs' token (subject `backup-jobs`) may
 * ingest for every entity, as the platform team's jobs do; the catalog
 * token lets the test wait for the catalog.
 */
export function startBackupJobsBackend(tokens: {
  ingest: string;
  catalog: string;
}) {
  return startTestBackend({
    features: [
      backupStatusPlugin,
      catalogBackend,
      authServiceFactory,
      httpAuthServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          ...catalogConfig('backup-scripts.catalog.yaml'),
          platformPortal: {
            ingest: {
              credentials: [{ subject: 'backup-jobs', allEntities: true }],
            },
          },
          backend: {
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token: tokens.ingest, subject: 'backup-jobs' },
                  accessRestrictions: [{ plugin: 'backup-status' }],
                },
                {
                  type: 'static',
                  options: { token: tokens.catalog, subject: 'test' },
                  accessRestrictions: [{ plugin: 'catalog' }],
                },
              ],
            },
          },
        },
      }),
    ],
  });
}
