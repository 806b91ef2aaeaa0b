import { UptimeWindow } from '@platform-portal/backstage-plugin-health-common';

/** Seconds as the largest two units: `1 h 20 min`, `45 s`, `3 d 2 h`. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s === 0) return '0 s';
  const units: [string, number][] = [
    ['d', 86400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  const i = units.findIndex(([, size]) => s >= size);
  const [unit, size] = units[i];
  const n = Math.floor(s / size);
  const next = units[i + 1];
  const m = next ? Math.floor((s - n * size) / next[1]) : 0;
  return m > 0 ? `${n} ${unit} ${m} ${next[0]}` : `${n} ${unit}`;
}

/** A share 0..1 as a percentage with 2 decimals (`99.95 %`), `–` without. */
export function formatPercent(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  // floored (99.899 % is not shown as 99.90 %), past float noise
  return `${(Math.floor(value * 10000 + 1e-6) / 100).toFixed(2)} %`;
}

/** How long ago an ISO time was, coarse (`3 h ago`). */
export function formatAge(iso: string, now = Date.now()): string {
  const seconds = (now - Date.parse(iso)) / 1000;
  if (!Number.isFinite(seconds)) return iso;
  if (seconds < 60) return 'just now';
  return `${formatDuration(seconds)} ago`;
}

/** The window of `days` days, if the backend sent it. */
export function windowOf(
  windows: UptimeWindow[],
  days: number,
): UptimeWindow | undefined {
  return windows.find(w => w.days === days);
}

/** What went wrong, in the backend's words when it said (`{error:{name,message}}`). */
export function errorMessage(error: unknown): string {
  const body = (error as { body?: { error?: { message?: unknown } } })?.body;
  if (typeof body?.error?.message === 'string') return body.error.message;
  return error instanceof Error ? error.message : String(error);
}
