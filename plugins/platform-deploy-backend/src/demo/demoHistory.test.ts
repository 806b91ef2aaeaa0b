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

  it('deploys the continuous-delivery entities several times a day, fixing failures forward within the hour', () => {
    const now = new Date('2026-11-01T12:00:00Z');
    const other = { ...entity, entityRef: 'component:default/quote-backend' };
    const events = demoHistory([entity, other], now, 30, {
      continuousDelivery: new Set([entity.entityRef]),
    });
    const production = events
      .filter(
        e =>
          e.entityRef === entity.entityRef &&
          e.environment === 'production' &&
          e.status !== 'started',
      )
      .sort((a, b) => Date.parse(a.finishedAt!) - Date.parse(b.finishedAt!));
    const succeeded = production.filter(e => e.status === 'succeeded');
    // the readiness targets: more than 5 a week, over 95 % successful
    expect(succeeded.length / (30 / 7)).toBeGreaterThan(5);
    expect(succeeded.length / production.length).toBeGreaterThan(0.95);
    const failures = production.filter(e => e.status !== 'succeeded');
    expect(failures.length).toBeGreaterThan(0);
    production.forEach((e, i) => {
      if (e.status === 'succeeded') return;
      const next = production.slice(i + 1).find(n => n.status === 'succeeded');
      expect(next).toBeDefined();
      expect(
        Date.parse(next!.finishedAt!) - Date.parse(e.finishedAt!),
      ).toBeLessThan(3600_000);
    });
    // the others' history is what it was without the option
    const alone = demoHistory([other], now, 30);
    expect(events.filter(e => e.entityRef === other.entityRef)).toEqual(alone);
  });
});
