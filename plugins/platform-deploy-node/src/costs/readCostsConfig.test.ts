import { ConfigReader, JsonObject } from '@backstage/config';
import {
  DEFAULT_COSTS_CACHE_SECONDS,
  parseCostModelConfig,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { readCostsConfig } from './readCostsConfig';

const box = {
  name: 'box',
  plan: 'CCX32',
  monthlyUsd: 50,
  cpu: 8,
  memory: '32Gi',
};
const costs: JsonObject = {
  scenarios: [{ id: 'single-server', servers: [box] }],
};

const read = (section?: JsonObject) =>
  readCostsConfig(
    new ConfigReader(section ? { platformDeploy: { costs: section } } : {}),
  );

describe('readCostsConfig', () => {
  it('answers undefined when no cost model is configured', () => {
    expect(read()).toBeUndefined();
    expect(
      readCostsConfig(new ConfigReader({ platformDeploy: {} })),
    ).toBeUndefined();
  });

  it('returns the model without cacheSeconds, and cacheSeconds on its own', () => {
    const result = read({ ...costs, cacheSeconds: 5 });
    expect(result?.cacheSeconds).toBe(5);
    expect(result?.model).toEqual(parseCostModelConfig(costs));
    expect(result?.model).not.toHaveProperty('cacheSeconds');
    expect(result?.model.scenarios[0].servers[0].capacity).toEqual({
      cpu: 8,
      memoryMiB: 32768,
    });
  });

  it('caches for a minute unless told otherwise; 0 turns the cache off', () => {
    expect(DEFAULT_COSTS_CACHE_SECONDS).toBe(60);
    expect(read(costs)?.cacheSeconds).toBe(60);
    expect(read({ ...costs, cacheSeconds: 0 })?.cacheSeconds).toBe(0);
  });

  it.each([
    ['a string', '60', 'cacheSeconds: Expected number, received string'],
    ['a negative number', -1, 'cacheSeconds: Number must be greater than'],
  ])('refuses cacheSeconds as %s, naming the field', (_, value, message) => {
    expect(() => read({ ...costs, cacheSeconds: value })).toThrow(
      `Invalid config: platformDeploy.costs.${message}`,
    );
  });

  it('names every bad field of the model by its path', () => {
    expect(() =>
      read({
        scenarios: [
          {
            id: 'single-server',
            servers: [{ ...box, memory: '1 GB' }],
          },
        ],
        extra: true,
      }),
    ).toThrow(
      /^Invalid config: platformDeploy\.costs\.scenarios\[0\]\.servers\[0\]\.memory: must be a memory quantity such as 512Mi or 32Gi, got "1 GB"; platformDeploy\.costs: Unrecognized key\(s\) in object: 'extra' \(extra\)$/,
    );
  });
});
