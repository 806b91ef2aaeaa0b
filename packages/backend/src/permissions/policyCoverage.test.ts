/*
 * Every permission that an installed backend plugin registers has a named
 * rule in the portal's policy (anything without one is denied to everyone,
 * so a plugin added without a rule would be unusable, and one added with a
 * rule nobody reviewed would be a hole). The list comes from the plugins
 * themselves, through their permission metadata endpoints.
 */
import { PERMISSION_RULES } from '@platform-portal/backstage-plugin-permission-backend-module-platform-policy';
import fs from 'node:fs';
import path from 'node:path';
import {
  listRegisteredPermissions,
  RegisteredPermission,
} from './__testUtils__/registeredPermissions';

jest.setTimeout(180_000);

describe('the permission policy covers every installed plugin', () => {
  let registered: RegisteredPermission[];

  beforeAll(async () => {
    registered = await listRegisteredPermissions({
      app: { baseUrl: 'http://localhost:3000' },
      backend: { baseUrl: 'http://localhost:7007' },
      permission: { enabled: true },
      techdocs: { builder: 'external', publisher: { type: 'local' } },
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [{ type: 'config', clusters: [] }],
      },
      platformDeploy: { healthProbe: { enabled: false } },
    });
  });

  it('finds the permissions of the catalog, the scaffolder, Kubernetes and ours', () => {
    const plugins = new Set(registered.map(p => p.pluginId));
    for (const id of [
      'catalog',
      'scaffolder',
      'kubernetes',
      'platform-deploy',
      'backup-status',
    ]) {
      expect(plugins).toContain(id);
    }
  });

  it('has a rule for each of them', () => {
    const missing = registered
      .filter(p => !Object.hasOwn(PERMISSION_RULES, p.name))
      .map(p => `${p.name} (${p.pluginId})`);
    expect(missing).toEqual([]);
  });

  it('names no permission that nothing registers (a stale rule)', () => {
    const names = new Set(registered.map(p => p.name));
    expect(Object.keys(PERMISSION_RULES).filter(n => !names.has(n))).toEqual(
      [],
    );
  });

  it("lists every rule in the policy's README with its holder", () => {
    const readme = fs.readFileSync(
      path.join(
        require.resolve(
          '@platform-portal/backstage-plugin-permission-backend-module-platform-policy/package.json',
        ),
        '../README.md',
      ),
      'utf8',
    );
    for (const [name, rule] of Object.entries(PERMISSION_RULES)) {
      expect(readme).toMatch(
        new RegExp(
          `\\| \`${name.replace(/\./g, '\\.')}\` +\\| ${rule.who} +\\|`,
        ),
      );
    }
  });
});
