import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, {
  readinessEntityCard,
  readinessPage,
  readinessStatusEntityCard,
} from './alpha';

function entity(kind: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'x' },
    spec: {},
  };
}

describe('readiness frontend plugin', () => {
  it('is a discoverable new-frontend-system plugin', () => {
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(plugin.id).toBe('readiness');
  });

  it('mounts the page at /platform/readiness with a nav title', () => {
    const tester = createExtensionTester(readinessPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/platform/readiness');
    expect(tester.get(coreExtensionData.title)).toBe('Readiness');
  });

  /** The kinds, of a few, whose overview gets the card. */
  function kindsShown(filter: ((e: Entity) => boolean) | undefined) {
    return ['Component', 'component', 'Resource', 'System', 'Group'].filter(
      kind => filter?.(entity(kind)),
    );
  }

  it.each([
    ['Production readiness', readinessEntityCard],
    ['Status', readinessStatusEntityCard],
  ] as const)(
    'puts the %s card on the overview of Components only, in the main column',
    (_, card) => {
      const tester = createExtensionTester(card as typeof readinessEntityCard);
      expect(
        kindsShown(tester.get(EntityCardBlueprint.dataRefs.filterFunction)),
      ).toEqual(['Component', 'component']);
      // no type: a content card
      expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBeUndefined();
    },
  );
});
