import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, { qualityEntityContent } from './alpha';
import { isQualityAvailable } from './isQualityAvailable';

const entity = (kind: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
  spec: {},
});

describe('quality frontend plugin', () => {
  it('is a discoverable new-frontend-system plugin', () => {
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(plugin.id).toBe('quality');
  });

  it('is available on Components only', () => {
    expect(isQualityAvailable(entity('Component'))).toBe(true);
    expect(isQualityAvailable(entity('Resource'))).toBe(false);
  });

  it('adds the Quality entity tab on Components', () => {
    const tester = createExtensionTester(qualityEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('quality');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Quality');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity('Component'))).toBe(true);
    expect(filter(entity('System'))).toBe(false);
  });
});
