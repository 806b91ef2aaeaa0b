/**
 * Prefix of the annotations this plugin set reads (see docs/catalog-contract.md).
 *
 * @public
 */
export const ANNOTATION_PREFIX = 'platform-portal.dev';
/** Comma-separated environments the service is deployed to. @public */
export const ANNOTATION_ENVIRONMENTS = `${ANNOTATION_PREFIX}/environments`;
/** `health-url.<environment>`: the URL the health probe fetches. @public */
export const healthUrlAnnotation = (environment: string) =>
  `${ANNOTATION_PREFIX}/health-url.${environment}`;
/**
 * On a Component: CPU allocated per instance (`"0.5"`). On a `server` Resource: its vCPUs.
 *
 * @public
 */
export const ANNOTATION_CPU = `${ANNOTATION_PREFIX}/cpu`;
/**
 * On a Component: memory allocated per instance (`512Mi`). On a `server` Resource: its RAM.
 *
 * @public
 */
export const ANNOTATION_MEMORY = `${ANNOTATION_PREFIX}/memory`;
/** On a `server` Resource: the provider's plan (`CCX32`). @public */
export const ANNOTATION_SERVER_PLAN = `${ANNOTATION_PREFIX}/server-plan`;
/** On a `server` Resource: its monthly price in whole USD (`"50"`). @public */
export const ANNOTATION_MONTHLY_COST_USD = `${ANNOTATION_PREFIX}/monthly-cost-usd`;
