import {
  ALERT_SELECTOR_ANNOTATION,
  HealthOverview,
  ServiceHealth,
} from '@platform-portal/backstage-plugin-health-common';
import { PluginClient } from './pluginClient';
import { CategoryFacts, PlatformFactSource } from './types';

/** Component types without a server of their own to be up or alert on. */
const NO_SERVER_TYPES = new Set(['mobile-app', 'library']);

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * The one place the health backend's overview of a service becomes its
 * `health` fact: uptime over 7 and 30 days (0..1), MTTR of the last 30 days
 * in minutes, the incidents, firing critical alerts, and whether the estate's
 * alert rules watch the service (its alert selector is valid and the
 * monitoring has its series: the rules evaluate the same series the uptime
 * is read from).
 *
 * @public
 */
export function toHealthFacts(service: ServiceHealth): CategoryFacts {
  if (service.type && NO_SERVER_TYPES.has(service.type)) {
    return {
      applicable: false,
      reason: `a ${service.type} has no server of its own to monitor`,
    };
  }
  const notes: Record<string, string> = {};
  const windowOf = (days: number) => service.windows.find(w => w.days === days);
  const month = windowOf(30);
  const week = windowOf(7);
  const selector = service.selector
    ? `${service.selector.label}=${service.selector.value}`
    : undefined;
  const noSeries = selector
    ? `the monitoring has no series for ${selector}`
    : `its ${ALERT_SELECTOR_ANNOTATION} annotation is malformed`;
  const uptime30d = month?.uptime ?? null;
  if (uptime30d === null) notes.uptime30d = noSeries;
  else if (month && month.meetsObjective === false) {
    notes.uptime30d = `${(uptime30d * 100).toFixed(
      2,
    )} % over 30 days, objective ${round1(
      month.objective * 100,
    )} %: ${Math.round(
      (month.downtimeSeconds ?? 0) / 60,
    )} min down, ${Math.round(month.errorBudgetSeconds / 60)} min allowed`;
  }
  const { reliability } = service;
  const mttrMinutes =
    reliability.mttrSeconds === undefined
      ? null
      : round1(reliability.mttrSeconds / 60);
  if (reliability.incidents > 0 && mttrMinutes === null) {
    notes.mttrMinutes = `${reliability.incidents} incident(s) in ${reliability.windowDays} days, none resolved yet`;
  }
  const alertRulesPresent = uptime30d !== null;
  if (!alertRulesPresent) notes.alertRulesPresent = noSeries;
  return {
    applicable: true,
    uptime30d,
    uptime7d: week?.uptime ?? null,
    meetsObjective30d: month?.meetsObjective ?? null,
    incidents30d: reliability.incidents,
    mttrMinutes,
    mtbfHours:
      reliability.mtbfSeconds === undefined
        ? null
        : round1(reliability.mtbfSeconds / 3600),
    firingCritical: service.firing.critical ?? 0,
    alertRulesPresent,
    ...(selector ? { alertSelector: selector } : {}),
    ...(Object.keys(notes).length > 0 ? { notes } : {}),
  };
}

/**
 * Health facts of every Component, from the health backend's
 * `GET /v1/overview`: one request per run (one Alertmanager call, the cached
 * uptime query and one query of the stored incidents on its side).
 *
 * @public
 */
export function createHealthFactSource(options: {
  client: PluginClient;
}): PlatformFactSource {
  return {
    id: 'platformHealth',
    version: '1.0.0',
    title: 'Service health',
    description:
      'Uptime against the 99.9 % objective, incidents and MTTR of the last 30 days, from the health backend (Prometheus, Alertmanager).',
    factName: 'health',
    fields: {
      applicable:
        'the component has a server to monitor (not a mobile-app or library)',
      uptime30d: 'uptime over 30 days (0..1), null without a series',
      uptime7d: 'uptime over 7 days (0..1), null without a series',
      meetsObjective30d: 'the 30-day uptime meets the 99.9 % objective',
      incidents30d: 'incidents in the last 30 days',
      mttrMinutes:
        'mean minutes to restore over the resolved incidents of 30 days, null without any',
      mtbfHours:
        'mean hours between failures over 30 days, null without incidents',
      firingCritical: 'critical alerts firing now (not silenced)',
      alertRulesPresent:
        "the estate's alert rules watch the service: a valid alert selector with a monitored series",
      alertSelector: 'the label=value its alerts are matched by',
    },
    async read() {
      const overview = await options.client.getJson<HealthOverview>(
        'health',
        '/v1/overview',
      );
      return new Map(
        overview.services.map(service => [
          service.entityRef,
          toHealthFacts(service),
        ]),
      );
    },
  };
}
