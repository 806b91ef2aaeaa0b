/**
 * The alert label that maps Alertmanager alerts to a catalog entity, as
 * `label=value` (e.g. `service=quote-backend`, `job=mail`). Without it an
 * entity's alerts are those labelled `service=<entity name>`, the label the
 * estate's alert rules carry.
 *
 * @public
 */
export const ALERT_SELECTOR_ANNOTATION = 'platform-portal.dev/alert-selector';

/** An equality matcher on one alert label. @public */
export type AlertSelector = { label: string; value: string };

/** Prometheus label names. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;
/**
 * The values a selector may name: what service names and jobs look like.
 * No quotes, braces, commas or regex characters, so that a selector is one
 * exact-match matcher however it is written into a query or a silence.
 */
const LABEL_VALUE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/**
 * The selector of an entity: its annotation when it is `label=value` with a
 * label name and a plain value, `service=<name>` without one. A malformed
 * annotation is an error (the caller reports it), never a wider match.
 *
 * @public
 */
export function alertSelectorOf(entity: {
  metadata: { name: string; annotations?: Record<string, string> };
}): AlertSelector {
  const annotation = entity.metadata.annotations?.[ALERT_SELECTOR_ANNOTATION];
  if (annotation === undefined) {
    return { label: 'service', value: entity.metadata.name };
  }
  const match = /^([^=]+)=(.*)$/.exec(annotation.trim());
  if (!match || !LABEL_NAME.test(match[1]) || !LABEL_VALUE.test(match[2])) {
    throw new Error(
      `${ALERT_SELECTOR_ANNOTATION} must be label=value with a Prometheus label name and a plain value (letters, digits, . _ : / -), got ${JSON.stringify(
        annotation.slice(0, 100),
      )}`,
    );
  }
  return { label: match[1], value: match[2] };
}
