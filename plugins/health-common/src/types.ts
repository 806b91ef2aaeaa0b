import { AlertSelector } from './annotations';

/** A firing alert of an entity, from Alertmanager. @public */
export type FiringAlert = {
  fingerprint: string;
  alertname: string;
  severity: string;
  /** When it started firing (ISO 8601). */
  since: string;
  summary?: string;
  description?: string;
  runbookUrl?: string;
  /** Whether a silence or an inhibition mutes it. */
  silenced: boolean;
  labels: Record<string, string>;
};

/** An alert from firing to resolved. @public */
export type Incident = {
  fingerprint: string;
  alertname: string;
  severity: string;
  summary?: string;
  startedAt: string;
  /** Absent while it fires. */
  endedAt?: string;
  /** Seconds from start to end; absent while it fires. */
  durationSeconds?: number;
};

/** Reliability of one service from its incidents over a window. @public */
export type Reliability = {
  windowDays: number;
  incidents: number;
  /** Mean time to restore in seconds (resolved incidents); absent without any. */
  mttrSeconds?: number;
  /** Mean time between failures in seconds: up time over incidents. */
  mtbfSeconds?: number;
};

/** A silence as the portal created it. @public */
export type CreatedSilence = {
  silenceId: string;
  matchers: { name: string; value: string; isRegex: false; isEqual: true }[];
  endsAt: string;
  createdBy: string;
  comment: string;
};

/** The estate's uptime objective: 99.9 % (43 minutes a month). @public */
export const UPTIME_OBJECTIVE = 0.999;

/** The windows uptime is reported over, in days. @public */
export const UPTIME_WINDOWS_DAYS = [7, 30] as const;

/** Uptime of one service over one window against the objective. @public */
export type UptimeWindow = {
  days: number;
  /** The objective, 0..1 (0.999). */
  objective: number;
  /** Uptime 0..1; absent when the monitoring has no series for the service. */
  uptime?: number;
  meetsObjective?: boolean;
  /** The downtime the objective allows over the window. */
  errorBudgetSeconds: number;
  downtimeSeconds?: number;
  /** Share of the error budget left: 1 untouched, 0 spent, below 0 overspent. */
  errorBudgetRemaining?: number;
};

/** An entity's uptime. @public */
export type EntityUptime = {
  selector: AlertSelector;
  windows: UptimeWindow[];
  /** Whether the figures are the demo's rather than the monitoring's. */
  demo: boolean;
};

/** One service of the health overview. @public */
export type ServiceHealth = {
  entityRef: string;
  title?: string;
  /** The Component's `spec.type` (`service`, `website`, `mobile-app`). */
  type?: string;
  owner?: string;
  system?: string;
  /** Absent when the entity's selector annotation is malformed. */
  selector?: AlertSelector;
  /** Firing (not silenced) alerts by severity. */
  firing: Record<string, number>;
  silenced: number;
  windows: UptimeWindow[];
  /** Incidents, MTTR and MTBF over the last 30 days, from the stored incidents. */
  reliability: Reliability;
};

/** `GET /v1/overview`: every service's SLO and firing alerts. @public */
export type HealthOverview = {
  services: ServiceHealth[];
  /** Firing alerts matching no service in the catalog. */
  unmatchedFiring: number;
  demo: boolean;
};
