import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import path from 'node:path';
import { readTrustedLocations } from './trust';

function entityFrom(origin?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'x',
      annotations: origin
        ? { 'backstage.io/managed-by-origin-location': origin }
        : {},
    },
  };
}

describe('readTrustedLocations', () => {
  const trusted = readTrustedLocations(
    new ConfigReader({
      catalog: {
        locations: [
          { type: 'file', target: '../../catalog/all.yaml' },
          {
            type: 'url',
            target: 'https://github.com/mana/catalog/blob/main/all.yaml',
          },
        ],
      },
      platformPortal: {
        trustedLocations: [
          'url:https://github.com/mana/',
          'url:https://exact.example/catalog-info.yaml',
        ],
      },
    }),
  );

  it('trusts the configured catalog locations, with file targets resolved as the catalog does', () => {
    expect(
      trusted.isTrusted(
        entityFrom(`file:${path.resolve('../../catalog/all.yaml')}`),
      ),
    ).toBe(true);
    expect(
      trusted.isTrusted(
        entityFrom('url:https://github.com/mana/catalog/blob/main/all.yaml'),
      ),
    ).toBe(true);
  });

  it('trusts prefixes ending in / and exact refs', () => {
    expect(
      trusted.isTrusted(
        entityFrom(
          'url:https://github.com/mana/chat/blob/main/catalog-info.yaml',
        ),
      ),
    ).toBe(true);
    expect(
      trusted.isTrusted(
        entityFrom('url:https://exact.example/catalog-info.yaml'),
      ),
    ).toBe(true);
  });

  it('does not trust look-alikes, other files or entities without an origin', () => {
    for (const origin of [
      'url:https://github.com/mana-evil/chat/blob/main/catalog-info.yaml',
      'url:https://github.com/mallory/quote-backend/blob/main/catalog-info.yaml',
      'url:https://exact.example/catalog-info.yaml.evil',
      `file:${path.resolve('../../catalog/other.yaml')}`,
      undefined,
    ]) {
      expect(trusted.isTrusted(entityFrom(origin))).toBe(false);
    }
  });
});
