import { demoHistory } from './demoHistory';

const entity = {
  entityRef: 'component:default/chat-backend',
  name: 'chat-backend',
  type: 'service',
  environments: ['staging', 'production'],
  healthUrls: {},
  trusted: true,
};

describe('demoHistory', () => {
  it('switches the blue/green slot of each environment on its own successful deploys', () => {
    const events = demoHistory([entity], new Date('2026-11-01T12:00:00Z'));
    for (const environment of ['staging', 'production']) {
      const colours = events
        .filter(e => e.environment === environment && e.status === 'succeeded')
        .map(e => e.color);
      expect(colours.length).toBeGreaterThan(3);
      colours.slice(1).forEach((colour, i) => {
        expect(colour).not.toBe(colours[i]);
      });
    }
  });

  it('is the same history for the same day (idempotent demo feed)', () => {
    const now = new Date('2026-11-01T12:00:00Z');
    expect(demoHistory([entity], now)).toEqual(demoHistory([entity], now));
  });
});
