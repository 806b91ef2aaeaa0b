import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, { healthEntityContent, healthPage } from './alpha';
import { isHealthAvailable, monitoringLinksOf } from './annotations';

const entity = (
  kind: string,
  annotations?: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x', annotations },
  spec: {},
});

describe('health frontend plugin', () => {
  it('is a discoverable new-frontend-system plugin', () => {
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(plugin.id).toBe('health');
  });

  it('mounts the page at /platform/health with a nav title', () => {
    const tester = createExtensionTester(healthPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/platform/health');
    expect(tester.get(coreExtensionData.title)).toBe('Health');
  });

  it('adds the Health tab to Components only', () => {
    const tester = createExtensionTester(healthEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('health');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Health');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity('Component'))).toBe(true);
    expect(filter(entity('Resource'))).toBe(false);
    expect(isHealthAvailable(entity('component'))).toBe(true);
  });

  it('links only absolute http(s) URLs from the annotations', () => {
    expect(
      monitoringLinksOf(
        entity('Component', {
          'platform-portal.dev/sentry-project-url': 'https://sentry.io/o/p/',
          'platform-portal.dev/grafana-dashboard-url': '/d/relative',
          // eslint-disable-next-line no-script-url
          'platform-portal.dev/loki-logs-url': 'javascript:alert(1)',
        }),
      ),
    ).toEqual([
      {
        title: 'Sentry project',
        url: 'https://sentry.io/o/p/',
        annotation: 'platform-portal.dev/sentry-project-url',
      },
    ]);
  });
});
