import { ConfigReader } from '@backstage/config';
import { DEFAULT_UPTIME_QUERY, readHealthConfig } from './config';

const read = (health?: object) =>
  readHealthConfig(new ConfigReader(health ? { health } : {}));

describe('readHealthConfig', () => {
  it('is the demo with neither Alertmanager nor Prometheus', () => {
    expect(read()).toEqual({ mode: 'demo', cacheTtlSeconds: 300 });
  });

  it('uses both when both are set, with the default uptime query', () => {
    expect(
      read({
        alertmanager: { baseUrl: 'http://am:9093' },
        prometheus: { baseUrl: 'http://prom:9090', cacheTtlSeconds: 60 },
      }),
    ).toEqual({
      mode: 'monitoring',
      alertmanager: { baseUrl: 'http://am:9093' },
      prometheus: {
        baseUrl: 'http://prom:9090',
        uptimeQuery: DEFAULT_UPTIME_QUERY,
        uptimeLabel: 'service',
      },
      cacheTtlSeconds: 60,
    });
  });

  it('refuses one without the other, a query without $window and a bad URL', () => {
    expect(() => read({ alertmanager: { baseUrl: 'http://am:9093' } })).toThrow(
      'health.prometheus.baseUrl is missing',
    );
    expect(() => read({ prometheus: { baseUrl: 'http://prom:9090' } })).toThrow(
      'health.alertmanager is missing',
    );
    expect(() =>
      read({
        alertmanager: { baseUrl: 'http://am:9093' },
        prometheus: { baseUrl: 'http://prom:9090', uptimeQuery: 'up' },
      }),
    ).toThrow('health.prometheus.uptimeQuery must contain $window');
    expect(() =>
      read({
        alertmanager: { baseUrl: 'http://am:9093' },
        prometheus: { baseUrl: 'file:///etc/passwd' },
      }),
    ).toThrow('health.prometheus.baseUrl must be an http(s) URL');
  });
});
