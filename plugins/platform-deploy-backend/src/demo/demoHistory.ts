import { DeploymentEventInput } from '@platform-portal/backstage-plugin-platform-deploy-common';
import { DeployableEntity } from '../types';

const DAY_MS = 24 * 3600 * 1000;
const MINUTE_MS = 60 * 1000;

/**
 * A small deterministic PRNG (mulberry32) started from a hash of `key`, so
 * the demo is the same on every start.
 */
function random(key: string) {
  let state = [...key].reduce(
    (h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619),
    2166136261,
  );
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (rand: () => number) =>
  Array.from({ length: 7 }, () => Math.floor(rand() * 16).toString(16)).join(
    '',
  );

/**
 * About 30 days of plausible history for each entity, in the shape CI reports
 * it: staging deploys on merge (about every other day), production promoted
 * from staging a day or so later behind the approval gate, a few failures and
 * rollbacks. Mobile apps get OTA update events in production only.
 * Entities in `continuousDelivery` deploy to both environments several times
 * a day instead, fail rarely and fix a failed production deploy forward
 * within the hour (the estate's targets, met).
 */
export function demoHistory(
  entities: DeployableEntity[],
  now: Date,
  days = 30,
  options: { continuousDelivery?: Set<string> } = {},
): DeploymentEventInput[] {
  const events: DeploymentEventInput[] = [];
  for (const entity of entities) {
    const rand = random(entity.entityRef);
    const continuous = options.continuousDelivery?.has(entity.entityRef);
    const mobile = entity.type === 'mobile-app';
    const staging = entity.environments.includes('staging') && !mobile;
    const production = entity.environments.includes('production');
    // each environment has its own blue/green pair
    const first = (): 'blue' | 'green' => (rand() < 0.5 ? 'blue' : 'green');
    const slot = {
      colours: { staging: first(), production: first() } as Record<
        string,
        'blue' | 'green'
      >,
      build: 0,
    };
    for (
      let t = now.getTime() - days * DAY_MS;
      t < now.getTime() - 6 * 3600 * 1000;

    ) {
      t += (continuous ? 0.15 + rand() * 0.45 : 0.6 + rand() * 2.4) * DAY_MS;
      if (t > now.getTime() - 3600 * 1000) break;
      slot.build += 1;
      const sha = hex(rand);
      const version = mobile
        ? `ota-1.${Math.floor(slot.build / 10)}.${slot.build % 10}`
        : `main-${sha}`;
      const commitAt = t - (0.5 + rand() * 6) * 3600 * 1000;
      const report = (
        environment: string,
        start: number,
        status: DeploymentEventInput['status'],
      ) => {
        const minutes = 3 + rand() * 6;
        const key = `demo:${entity.entityRef}:${environment}:${slot.build}`;
        const common = {
          entityRef: entity.entityRef,
          environment,
          version,
          commitSha: sha,
          commitTimestamp: new Date(commitAt).toISOString(),
          runUrl: `https://github.com/Memo-2023/mana-monorepo/actions/runs/${Math.floor(
            start / 1000,
          )}`,
          actor:
            environment === 'staging' ? 'github-actions' : 'release-manager',
        };
        events.push({
          ...common,
          status: 'started',
          idempotencyKey: `${key}:started`,
          startedAt: new Date(start).toISOString(),
        });
        const finished = start + minutes * MINUTE_MS;
        if (finished < now.getTime()) {
          if (status === 'succeeded' && !mobile) {
            slot.colours[environment] =
              slot.colours[environment] === 'blue' ? 'green' : 'blue';
          }
          events.push({
            ...common,
            status,
            idempotencyKey: `${key}:${status}`,
            color: mobile ? undefined : slot.colours[environment],
            startedAt: new Date(start).toISOString(),
            finishedAt: new Date(finished).toISOString(),
          });
        }
      };
      const outcome = (): DeploymentEventInput['status'] => {
        const r = rand();
        if (r < (continuous ? 0.01 : 0.04)) return 'failed';
        if (r < (continuous ? 0.02 : 0.07)) return 'rolled_back';
        return 'succeeded';
      };
      if (continuous) {
        if (staging) report('staging', t, 'succeeded');
        const at = t + (0.5 + rand()) * 3600 * 1000;
        const status = outcome();
        report('production', at, status);
        if (status !== 'succeeded') {
          // fixed forward: the next build, 15 to 40 minutes later
          slot.build += 1;
          const fix = `main-${hex(rand)}`;
          const start = at + (15 + rand() * 25) * MINUTE_MS;
          const key = `demo:${entity.entityRef}:production:${slot.build}`;
          const finished = start + (3 + rand() * 3) * MINUTE_MS;
          if (finished < now.getTime()) {
            slot.colours.production =
              slot.colours.production === 'blue' ? 'green' : 'blue';
            events.push({
              entityRef: entity.entityRef,
              environment: 'production',
              version: fix,
              commitSha: fix.slice(5),
              status: 'succeeded',
              idempotencyKey: `${key}:succeeded`,
              color: slot.colours.production,
              startedAt: new Date(start).toISOString(),
              finishedAt: new Date(finished).toISOString(),
              actor: 'release-manager',
            });
          }
        }
        continue;
      }
      if (staging) report('staging', t, outcome());
      if (production && (mobile || rand() < 0.6)) {
        report(
          'production',
          t + (mobile ? 0 : (2 + rand() * 20) * 3600 * 1000),
          outcome(),
        );
      }
    }
  }
  return events.filter(e => Date.parse(e.startedAt!) < now.getTime());
}
