import { Entity } from '@backstage/catalog-model';
import {
  Config,
  ConfigReader,
  readDurationFromConfig,
} from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  BACKUP_POLICY_ANNOTATION,
  BACKUP_RETENTION_ANNOTATION,
  BACKUP_RPO_ANNOTATION,
  BackupPolicy,
} from '@platform-portal/backstage-plugin-backup-status-common';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Values used for any field a policy in config leaves out: a daily backup at
 * 02:00 UTC, RPO 24 h, retention 30 days, weekly restore tests, RTO 2 h
 * (full server restore) and 2 h of grace before late becomes critical.
 */
export const POLICY_FIELD_DEFAULTS: Omit<BackupPolicy, 'name'> = {
  schedule: '0 2 * * *',
  rpoHours: 24,
  retentionDays: 30,
  restoreTestIntervalDays: 7,
  rtoHours: 2,
  graceHours: 2,
};

/**
 * Built-in policies, from the estate's backup facts: PostgreSQL and Redis
 * daily at 02:00 UTC, retention 30 days for databases and 7 for Redis, weekly
 * automated restore tests, RPO under 24 h, RTO 1 h for a service restart
 * (Redis) and 2 h for a full restore. Docker volumes and the GitOps
 * configuration follow the database policy (assumption: the seed names them
 * without their own numbers).
 */
export const BUILT_IN_POLICIES: Record<string, BackupPolicy> = {
  'postgres-daily': { name: 'postgres-daily', ...POLICY_FIELD_DEFAULTS },
  'redis-daily': {
    name: 'redis-daily',
    ...POLICY_FIELD_DEFAULTS,
    retentionDays: 7,
    rtoHours: 1,
  },
  'volumes-daily': { name: 'volumes-daily', ...POLICY_FIELD_DEFAULTS },
  'config-daily': { name: 'config-daily', ...POLICY_FIELD_DEFAULTS },
};

function durationHours(config: Config, key: string): number {
  return (
    durationToMilliseconds(readDurationFromConfig(config, { key })) / HOUR_MS
  );
}

/**
 * Reads `backupStatus.policies`: each entry overrides the fields it sets on the
 * built-in policy of the same name, or on {@link POLICY_FIELD_DEFAULTS} for a
 * new name. Throws on an invalid duration, naming the config key.
 */
export function readPolicies(config: Config): Map<string, BackupPolicy> {
  const policies = new Map(Object.entries(BUILT_IN_POLICIES));
  const section = config.getOptionalConfig('backupStatus.policies');
  for (const name of section?.keys() ?? []) {
    const c = section!.getConfig(name);
    const base = policies.get(name) ?? { name, ...POLICY_FIELD_DEFAULTS };
    policies.set(name, {
      name,
      schedule: c.getOptionalString('schedule') ?? base.schedule,
      rpoHours: c.has('rpo') ? durationHours(c, 'rpo') : base.rpoHours,
      retentionDays: c.has('retention')
        ? durationHours(c, 'retention') / 24
        : base.retentionDays,
      restoreTestIntervalDays: c.has('restoreTestInterval')
        ? durationHours(c, 'restoreTestInterval') / 24
        : base.restoreTestIntervalDays,
      rtoHours: c.has('rto') ? durationHours(c, 'rto') : base.rtoHours,
      graceHours: c.has('grace') ? durationHours(c, 'grace') : base.graceHours,
    });
  }
  return policies;
}

/** Parses `'12h'`, `'P1D'` etc. to hours; undefined when absent or invalid. */
function parseDurationHours(value: string | undefined): number | undefined {
  if (!value) return undefined;
  try {
    return durationHours(new ConfigReader({ value }), 'value');
  } catch {
    return undefined;
  }
}

/** The policy name an entity's annotation gives, if any. */
export function getPolicyName(entity: Entity): string | undefined {
  return (
    entity.metadata.annotations?.[BACKUP_POLICY_ANNOTATION]?.trim() || undefined
  );
}

/**
 * The effective policy of an entity: the named policy with the optional
 * `backup-rpo` and `backup-retention` annotation overrides applied. An
 * override that is not a valid duration is ignored (the policy value stays).
 * Undefined when the entity names no policy or an unknown one.
 */
export function resolveEntityPolicy(
  entity: Entity,
  policies: Map<string, BackupPolicy>,
): BackupPolicy | undefined {
  const name = getPolicyName(entity);
  const policy = name ? policies.get(name) : undefined;
  if (!policy) return undefined;
  const annotations = entity.metadata.annotations ?? {};
  const rpoHours = parseDurationHours(annotations[BACKUP_RPO_ANNOTATION]);
  const retentionHours = parseDurationHours(
    annotations[BACKUP_RETENTION_ANNOTATION],
  );
  return {
    ...policy,
    rpoHours: rpoHours ?? policy.rpoHours,
    retentionDays:
      retentionHours === undefined ? policy.retentionDays : retentionHours / 24,
  };
}
