import {
  Incident,
  Reliability,
} from '@platform-portal/backstage-plugin-health-common';

/**
 * MTTR and MTBF over a window: MTTR is the mean duration of the resolved
 * incidents; MTBF is the time the service was not in an incident (the
 * window less the incidents' durations, open ones up to now) over the
 * number of incidents.
 */
export function reliabilityOf(
  incidents: Incident[],
  options: { windowDays: number; now: Date },
): Reliability {
  const windowSeconds = options.windowDays * 86400;
  const resolved = incidents.filter(i => i.durationSeconds !== undefined);
  const down = incidents.reduce(
    (sum, i) =>
      sum +
      (i.durationSeconds ??
        (options.now.getTime() - Date.parse(i.startedAt)) / 1000),
    0,
  );
  return {
    windowDays: options.windowDays,
    incidents: incidents.length,
    ...(resolved.length
      ? {
          mttrSeconds: Math.round(
            resolved.reduce((sum, i) => sum + i.durationSeconds!, 0) /
              resolved.length,
          ),
        }
      : {}),
    ...(incidents.length
      ? {
          mtbfSeconds: Math.round(
            Math.max(0, windowSeconds - down) / incidents.length,
          ),
        }
      : {}),
  };
}
