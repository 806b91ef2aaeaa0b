import { EntityBackupDetails } from '@platform-portal/backstage-plugin-backup-status-common';
import { EntityDeploymentsResponse } from '@platform-portal/backstage-plugin-platform-deploy-common';
import { EntityHealthSummary } from '../../api/ReadinessApi';
import { NOW } from './readiness';

const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

/**
 * What platform-deploy's `GET /v1/entities/...?environment=production&limit=1`
 * answers: production runs main-a1 (healthy); main-a2 failed since.
 */
export const deployments: EntityDeploymentsResponse = {
  entityRef: 'component:default/chat-backend',
  environments: ['staging', 'production'],
  states: {
    staging: {
      environment: 'staging',
      version: 'main-a2',
      lastStatus: 'succeeded',
      lastVersion: 'main-a2',
      lastEventAt: ago(90),
      health: 'up',
      demo: false,
    },
    production: {
      environment: 'production',
      version: 'main-a1',
      previousVersion: 'main-a0',
      liveColor: 'green',
      lastStatus: 'failed',
      lastVersion: 'main-a2',
      lastEventAt: ago(30),
      deployedAt: ago(3 * 60),
      deployedBy: 'alice',
      runUrl: 'https://github.com/example/chat/actions/runs/2',
      health: 'up',
      healthCheckedAt: ago(1),
      healthStatusCode: 200,
      demo: false,
    },
  },
  history: [
    {
      id: 7,
      entityRef: 'component:default/chat-backend',
      environment: 'production',
      version: 'main-a2',
      status: 'failed',
      idempotencyKey: 'deploy-main-a2',
      finishedAt: ago(30),
      runUrl: 'https://github.com/example/chat/actions/runs/2',
      actor: 'bob',
      source: 'http',
      receivedAt: ago(30),
    },
  ],
  totalHistory: 12,
};

const policy = {
  name: 'postgres-daily',
  schedule: '0 2 * * *',
  rpoHours: 24,
  retentionDays: 30,
  restoreTestIntervalDays: 7,
  rtoHours: 2,
  graceHours: 2,
};

/** What backup-status's `GET /v1/entities/...?limit=1` answers, per entity. */
export const backups: Record<string, EntityBackupDetails> = {
  'resource:default/chat-backend-db': {
    entityRef: 'resource:default/chat-backend-db',
    title: 'chat-backend database',
    owner: 'group:default/chat-team',
    policyName: 'postgres-daily',
    policy,
    backup: {
      status: 'critical',
      reasons: [
        {
          code: 'rpo_breached',
          severity: 'critical',
          message: 'The last good backup is 31 h old (RPO 24 h).',
        },
      ],
      lastGoodBackupAt: ago(31 * 60),
      ageHours: 31,
      series: [],
      demo: false,
    },
    runs: [],
    totalRuns: 40,
    restoreTests: [],
  },
  'component:default/postgres': {
    entityRef: 'component:default/postgres',
    title: 'postgres',
    owner: 'group:default/platform-team',
    policyName: 'postgres-daily',
    policy,
    backup: {
      status: 'ok',
      reasons: [],
      lastGoodBackupAt: ago(2 * 60),
      ageHours: 2,
      series: [],
      demo: false,
    },
    runs: [],
    totalRuns: 40,
    restoreTests: [],
  },
  // stateless: known to backup-status, but without a policy
  'component:default/mana-core-auth': {
    entityRef: 'component:default/mana-core-auth',
    policyName: '',
    backup: {
      status: 'unknown',
      reasons: [
        {
          code: 'no_policy',
          severity: 'unknown',
          message: 'No backup policy.',
        },
      ],
      series: [],
      demo: false,
    },
    runs: [],
    totalRuns: 0,
    restoreTests: [],
  },
};

/** The health backend's alerts and uptime of chat-backend (demo). */
export const health: EntityHealthSummary = {
  alerts: [
    {
      fingerprint: 'a1',
      alertname: 'HighErrorRate',
      severity: 'critical',
      since: '2026-12-01T10:00:00Z',
      silenced: false,
      labels: { service: 'chat-backend' },
    },
    {
      fingerprint: 'a2',
      alertname: 'HighCpuUsage',
      severity: 'warning',
      since: '2026-12-01T11:00:00Z',
      silenced: false,
      labels: { service: 'chat-backend' },
    },
    {
      fingerprint: 'a3',
      alertname: 'HighMemoryUsage',
      severity: 'warning',
      since: '2026-12-01T11:00:00Z',
      silenced: true,
      labels: { service: 'chat-backend' },
    },
  ],
  uptime: {
    selector: { label: 'service', value: 'chat-backend' },
    demo: true,
    windows: [
      {
        days: 7,
        objective: 0.999,
        uptime: 1,
        meetsObjective: true,
        errorBudgetSeconds: 605,
      },
      {
        days: 30,
        objective: 0.999,
        uptime: 0.99876,
        meetsObjective: false,
        errorBudgetSeconds: 2592,
        downtimeSeconds: 3214,
        errorBudgetRemaining: -0.24,
      },
    ],
  },
};
