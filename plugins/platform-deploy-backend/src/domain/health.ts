import { ProbeHealth } from '../types';

/**
 * The health of a service in one environment after one more probe: `up` as
 * soon as a probe succeeds; `down` once `downAfterFailures` probes in a row
 * have failed (with probes a minute apart, two failures are the two minutes
 * of `ServiceDown` in docs/runbooks/incident-response.md); in between, the
 * health stays what it was, so one lost probe does not flap a service.
 */
export function nextHealth(
  previous: ProbeHealth,
  probe: { ok: boolean },
  downAfterFailures: number,
): ProbeHealth {
  if (probe.ok) return { health: 'up', consecutiveFailures: 0 };
  const consecutiveFailures = previous.consecutiveFailures + 1;
  return {
    health: consecutiveFailures >= downAfterFailures ? 'down' : previous.health,
    consecutiveFailures,
  };
}
