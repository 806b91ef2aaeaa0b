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
  DEFAULT_SIZE_ANOMALY,
} from '@platform-portal/backstage-plugin-backup-status-common';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Values used for any field a policy in config leaves out: a daily backup at
 * 02:00 UTC, RPO 24 h, retention 30 days, weekly restore tests, RTO 2 h
 * (full server restore), 2 h of grace before late becomes critical, and a
 * backup under half the median of the previous 7 is a size anomaly.
 */
export const POLICY_FIELD_DEFAULTS: Omit<BackupPolicy, 'name'> = {
  schedule: '0 2 * * *',
  rpoHours: 24,
  retentionDays: 30,
  restoreTestIntervalDays: 7,
  rtoHours: 2,
  graceHours: 2,
  anomaly: { ...DEFAULT_SIZE_ANOMALY },
};

/**
 * Built-in policies, from the estate's backup targets in
 * `docs/runbooks/backup-restore.md`: PostgreSQL and Redis daily at 02:00 UTC,
 * RPO under 24 h, database backups kept 30 days and Redis backups 7 days, RTO
 * 1 h for a service restart (Redis) and 2 h for a full restore
 * (`docs/runbooks/disaster-recovery.md`); weekly automated restore tests
 * (`docs/runbooks/restore-tests.md`). Docker volumes and the
 * GitOps configuration follow the database policy (an assumption: the
 * runbook names them without numbers of their own).
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

/** A duration in config (`'12h'`, `P1D`, `{ hours: 12 }`) in hours; throws naming the key. */
export function durationHours(config: Config, key: string): number {
  return (
    durationToMilliseconds(readDurationFromConfig(config, { key })) / HOUR_MS
  );
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
