import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { describeWithPostgres } from '@platform-portal/backstage-plugin-platform-node/testUtils';
import {
  DeploymentColor,
  DeploymentStatus,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { Knex } from 'knex';
import { AppliedEvent, applyEvent } from '../domain/applyEvent';
import { StateRecord } from '../types';
import { DeploymentStore } from './DeploymentStore';
import { insertAndFoldEvent } from './foldStatement';
import { eventToRow, rowToState, StateRow, toStateRecord } from './rows';

jest.setTimeout(120_000);

const STATUSES: DeploymentStatus[] = [
  'started',
  'succeeded',
  'failed',
  'rolled_back',
];
const VERSIONS = ['main-1', 'main-2', 'main-3'];
const COLORS: Array<DeploymentColor | undefined> = ['blue', 'green', undefined];
const T0 = Date.parse('2026-11-20T10:00:00Z');

/** A small deterministic PRNG (mulberry32): the same sequences every run. */
function random(start: number) {
  let state = start;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A sequence of events of one entity and environment: mostly forward in
 * time, with backfills (older than the last) and ties, every status, with
 * and without colour, actor and run URL.
 */
function sequence(next: () => number, length: number): AppliedEvent[] {
  const pick = <T>(values: T[]) => values[Math.floor(next() * values.length)];
  let minute = 0;
  return Array.from({ length }, () => {
    const r = next();
    if (r < 0.2) minute -= 1 + Math.floor(next() * 5); // a backfill
    else if (r > 0.3) minute += 1 + Math.floor(next() * 3); // else a tie
    return {
      version: pick(VERSIONS),
      status: pick(STATUSES),
      color: pick(COLORS),
      eventAt: new Date(T0 + minute * 60_000),
      actor: pick(['alice', 'bob', undefined]),
      runUrl: pick(['https://ci.example/1', 'https://ci.example/2', undefined]),
    };
  });
}

describeWithPostgres('the single-event fold statement', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await DeploymentStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    }); // migrates
  });

  async function state(entityRef: string): Promise<StateRecord | undefined> {
    const row: StateRow | undefined = await knex<StateRow>('deploy_state')
      .where({ entity_ref: entityRef, environment: 'production' })
      .first();
    return row && toStateRecord(rowToState(row));
  }

  function insert(entityRef: string, event: AppliedEvent, key: string) {
    return insertAndFoldEvent(
      knex,
      eventToRow({
        entityRef,
        environment: 'production',
        version: event.version,
        status: event.status,
        color: event.color,
        actor: event.actor,
        runUrl: event.runUrl,
        finishedAt: event.eventAt,
        idempotencyKey: key,
        source: 'http:ci',
        receivedAt: new Date(T0),
      }),
      { demo: false },
    );
  }

  it('ends in the same state as applyEvent for 200 random sequences', async () => {
    const next = random(19);
    for (let n = 0; n < 200; n++) {
      const entityRef = `component:default/fold-${n}`;
      let expected: StateRecord | undefined;
      for (const [i, event] of sequence(next, 12).entries()) {
        expected = applyEvent(expected, event);
        expect(await insert(entityRef, event, `${entityRef}-${i}`)).toBe(true);
        // after every event, named by the event that made a difference
        expect({ n, i, event, state: await state(entityRef) }).toEqual({
          n,
          i,
          event,
          state: expected,
        });
      }
    }
  });

  it('folds nothing for a duplicate key, even a newer one', async () => {
    const entityRef = 'component:default/fold-duplicate';
    const first = {
      version: 'main-1',
      status: 'succeeded' as const,
      eventAt: new Date(T0),
    };
    expect(await insert(entityRef, first, 'dup-key')).toBe(true);
    const later = {
      version: 'main-2',
      status: 'succeeded' as const,
      eventAt: new Date(T0 + 60_000),
    };
    expect(await insert(entityRef, later, 'dup-key')).toBe(false);
    expect(await state(entityRef)).toMatchObject({ version: 'main-1' });
    const [{ count }] = await knex('deploy_events')
      .where({ entity_ref: entityRef })
      .count({ count: '*' });
    expect(Number(count)).toBe(1);
  });
});
