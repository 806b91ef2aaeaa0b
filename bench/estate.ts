/*
 * A large estate without processing it: the catalog processes K template
 * components itself, then its rows for them are copied in SQL to N
 * entities; our plugins' tables are filled in SQL for the same N services.
 * Shared by bench/platform-deploy-scale.ts and bench/browser-pages.ts.
 *
 * The copies: every table the catalog wrote for the templates
 * (refresh_state, final_entities, search, relations,
 * refresh_state_references) is copied N/K times, each copy with its own
 * entity id and name (`svc-000007` becomes `svc-012347` in every JSON text,
 * search value and ref), so the catalog answers for N entities that are byte
 * for byte what it would have stitched. Copy n is made from template n % K;
 * the templates themselves are 0..K-1.
 */
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';

/** The environments of the estate's services, in promotion order. */
export const ENVIRONMENTS = ['staging', 'production', 'preview'];

/** The name of service `i`: `svc-000042`. */
export const serviceName = (i: number) => `svc-${String(i).padStart(6, '0')}`;

/** The K template components (`extraAnnotations` added to each). */
export function templateComponents(
  k: number,
  extraAnnotations: Record<string, string> = {},
): Entity[] {
  return Array.from({ length: k }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: serviceName(i),
      title: `Service ${serviceName(i)}`,
      annotations: {
        'backstage.io/managed-by-location': 'bench:generated',
        'backstage.io/managed-by-origin-location': 'bench:generated',
        'platform-portal.dev/environments': ENVIRONMENTS.join(','),
        ...extraAnnotations,
      },
    },
    spec: {
      type: i % 3 === 0 ? 'website' : 'service',
      lifecycle: 'production',
      owner: `group:default/team-${i % 20}`,
      system: `system-${i % 10}`,
    },
  }));
}

/** Copies the K processed templates to N entities, in the catalog's tables. */
export async function cloneCatalog(db: Knex, k: number, n: number) {
  await db.raw(
    `create temp table clone as
     select n, r.entity_id as t_id, gen_random_uuid()::text as new_id,
       'svc-' || lpad((n % ?)::text, 6, '0') as name_t, 'svc-' || lpad(n::text, 6, '0') as name_n
     from generate_series(?::int, ?::int - 1) n
     join refresh_state r on r.entity_ref = 'component:default/svc-' || lpad((n % ?)::text, 6, '0')`,
    [k, k, n, k],
  );
  const re = (col: string) =>
    `replace(replace(${col}, c.t_id, c.new_id), c.name_t, c.name_n)`;
  await db.raw(
    `insert into refresh_state (entity_id, entity_ref, unprocessed_entity, processed_entity, cache, errors, next_update_at, last_discovery_at, location_key, result_hash, unprocessed_hash)
     select c.new_id, ${re('r.entity_ref')}, ${re(
      'r.unprocessed_entity',
    )}, ${re(
      'r.processed_entity',
    )}, r.cache, r.errors, r.next_update_at, r.last_discovery_at, r.location_key, r.result_hash, r.unprocessed_hash
     from clone c join refresh_state r on r.entity_id = c.t_id`,
  );
  await db.raw(
    `insert into final_entities (entity_id, hash, final_entity, last_updated_at, entity_ref)
     select c.new_id, f.hash, ${re('f.final_entity')}, f.last_updated_at, ${re(
      'f.entity_ref',
    )}
     from clone c join final_entities f on f.entity_id = c.t_id`,
  );
  await db.raw(
    `insert into search (entity_id, key, value, original_value)
     select c.new_id, s.key, ${re('s.value')}, ${re('s.original_value')}
     from clone c join search s on s.entity_id = c.t_id`,
  );
  await db.raw(
    `insert into relations (originating_entity_id, source_entity_ref, type, target_entity_ref)
     select c.new_id, ${re('l.source_entity_ref')}, l.type, ${re(
      'l.target_entity_ref',
    )}
     from clone c join relations l on l.originating_entity_id = c.t_id`,
  );
  await db.raw(
    `insert into refresh_state_references (source_key, source_entity_ref, target_entity_ref)
     select x.source_key, x.source_entity_ref, ${re('x.target_entity_ref')}
     from clone c join refresh_state r on r.entity_id = c.t_id
     join refresh_state_references x on x.target_entity_ref = r.entity_ref`,
  );
  await db.raw('analyze');
}

/**
 * platform-deploy's copy of the N components and their state in the 3
 * environments (1 in 7 failed in preview). Titles are the templates'
 * (`Service svc-000007` for svc-012347) unless `ownTitles`, then each
 * service's own, as the catalog's copies have them.
 */
export async function fillDeployments(
  db: Knex,
  k: number,
  n: number,
  options: { ownTitles?: boolean } = {},
) {
  await db.raw(
    `insert into deploy_entities (entity_ref, name, title, system, owner, type, environments, health_urls, synced_at, trusted)
     select 'component:default/svc-' || lpad(s::text, 6, '0'), 'svc-' || lpad(s::text, 6, '0'),
       'Service svc-' || lpad((s % ?)::text, 6, '0'), 'system-' || (s % 10), 'group:default/team-' || (s % 20),
       case when s % 3 = 0 then 'website' else 'service' end, ?, '{}', now(), true
     from generate_series(0, ?::int - 1) s`,
    [options.ownTitles ? n : k, JSON.stringify(ENVIRONMENTS), n],
  );
  await db.raw(
    `insert into deploy_state (entity_ref, environment, version, last_status, last_version, last_event_at, deployed_at)
     select e.entity_ref, env.name, 'main-' || env.i,
       case when env.name = 'preview' and right(e.name, 6)::int % 7 = 0 then 'failed' else 'succeeded' end,
       'main-' || env.i, now() - make_interval(mins => env.i), now() - make_interval(mins => env.i)
     from deploy_entities e, (values (1, 'staging'), (2, 'production'), (3, 'preview')) as env(i, name)`,
  );
  await db.raw('analyze');
}

/**
 * backup-status runs of the N components (they carry a backup policy): a
 * backup 2 h ago (1 in 13 failed, its last good one 30 h ago) and a
 * restore test 2 days ago, as reported over HTTP.
 */
export async function fillBackupRuns(db: Knex, n: number) {
  await db.raw(
    `insert into backup_runs (source, idempotency_key, entity_ref, type, status, started_at, finished_at, size_bytes, tool, received_at)
     select 'http:bench', 'bench-' || r.kind || '-' || s, 'component:default/svc-' || lpad(s::text, 6, '0'),
       r.type, case when r.kind = 'last' and s % 13 = 0 then 'failed' else 'succeeded' end,
       now() - r.ago - interval '5 minutes', now() - r.ago, 1000000 + s, 'pg_dump', now()
     from generate_series(0, ?::int - 1) s,
       (values ('last', 'backup', interval '2 hours'), ('good', 'backup', interval '30 hours'),
               ('restore', 'restore-test', interval '2 days')) as r(kind, type, ago)`,
    [n],
  );
  await db.raw('analyze');
}

/**
 * readiness' latest evaluation of the N components (a quarter each without
 * a level, bronze, silver, gold) and their daily levels of the last `days`
 * days, as the evaluation task writes them.
 */
export async function fillReadiness(db: Knex, n: number, days: number) {
  await db.raw(
    `insert into readiness_entities (entity_ref, title, system, owner, level, failing, checks, evaluated_at)
     select 'component:default/svc-' || lpad(s::text, 6, '0'), 'Service svc-' || lpad(s::text, 6, '0'),
       'system-' || (s % 10), 'group:default/team-' || (s % 20),
       (array[null, 'bronze', 'silver', 'gold'])[s % 4 + 1],
       (array['["catalog-description","docs-runbook"]', '["docs-techdocs"]', '["deploy-frequency"]', '[]'])[s % 4 + 1],
       '[]', now()
     from generate_series(0, ?::int - 1) s`,
    [n],
  );
  await db.raw(
    `insert into readiness_history (day, entity_ref, level)
     select to_char((now() at time zone 'utc')::date - d, 'YYYY-MM-DD'), e.entity_ref,
       case when d > 0 and (right(e.entity_ref, 6)::int + d) % 11 = 0 then null else e.level end
     from readiness_entities e, generate_series(0, ?::int - 1) d`,
    [days],
  );
  await db.raw('analyze');
}
