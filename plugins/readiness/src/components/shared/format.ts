const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `just now`, `12 min ago`, `5 h ago`, `3 d ago`; `—` for no time. */
export function formatAge(
  iso: string | undefined | null,
  now: number = Date.now(),
): string {
  if (!iso) return '—';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const ms = Math.max(0, now - at);
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ago`;
  if (ms < 2 * DAY) return `${Math.floor(ms / HOUR)} h ago`;
  return `${Math.floor(ms / DAY)} d ago`;
}

/** `24 h`, `1.5 h`; `—` for no value. */
export function formatHours(hours: number | undefined): string {
  if (hours === undefined || !Number.isFinite(hours)) return '—';
  return `${Number(hours.toFixed(1))} h`;
}

/** `42 %` of a part of a whole; `–` of nothing. */
export function formatShare(part: number, total: number): string {
  return total === 0 ? '–' : `${Math.round((part / total) * 100)} %`;
}

/** What went wrong, in the backend's words when it said (`{error:{name,message}}`). */
export function errorMessage(error: unknown): string {
  const body = (error as { body?: { error?: { message?: unknown } } })?.body;
  if (typeof body?.error?.message === 'string') return body.error.message;
  return error instanceof Error ? error.message : String(error);
}

/** `system:default/chat` → `chat`; another namespace stays: `ns/chat`. */
export function shortRef(ref: string): string {
  const name = ref.includes(':') ? ref.slice(ref.indexOf(':') + 1) : ref;
  return name.startsWith('default/') ? name.slice('default/'.length) : name;
}
