import {
  coreServices,
  createBackendModule,
  RootInstanceMetadataServicePluginInfo,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { backendFeatures } from '../../features';

/** A permission as a plugin's permission metadata endpoint lists it. */
export interface RegisteredPermission {
  pluginId: string;
  name: string;
  type: 'basic' | 'resource';
  resourceType?: string;
  action?: string;
}

/**
 * Starts the backend's real feature list (features.ts) and asks every
 * installed plugin's permission metadata endpoint
 * (`/.well-known/backstage/permissions/metadata`, served by the permission
 * integration router of each plugin) what it registers.
 */
export async function listRegisteredPermissions(
  config: JsonObject,
): Promise<RegisteredPermission[]> {
  let plugins: ReadonlyArray<RootInstanceMetadataServicePluginInfo> = [];
  const capture = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-installed-plugins',
    register(env) {
      env.registerInit({
        deps: { instance: coreServices.rootInstanceMetadata },
        async init({ instance }) {
          plugins = await instance.getInstalledPlugins();
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      ...backendFeatures,
      capture,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  try {
    const found: RegisteredPermission[] = [];
    for (const { pluginId } of plugins) {
      const res = await request(backend.server)
        .get(`/api/${pluginId}/.well-known/backstage/permissions/metadata`)
        .set('authorization', mockCredentials.service.header());
      if (res.status === 404) continue; // no permission integration
      if (res.status !== 200) {
        throw new Error(
          `${pluginId}: permission metadata answered ${res.status}`,
        );
      }
      for (const p of res.body.permissions ?? []) {
        found.push({
          pluginId,
          name: p.name,
          type: p.type,
          resourceType: p.resourceType,
          action: p.attributes?.action,
        });
      }
    }
    return found;
  } finally {
    await backend.stop();
  }
}
