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
