/** The annotations this plugin set reads (see docs/catalog-contract.md). */
export const ANNOTATION_PREFIX = 'platform-portal.dev';
/** Comma-separated environments the service is deployed to. */
export const ANNOTATION_ENVIRONMENTS = `${ANNOTATION_PREFIX}/environments`;
/** `health-url.<environment>`: the URL the health probe fetches. */
export const healthUrlAnnotation = (environment: string) =>
  `${ANNOTATION_PREFIX}/health-url.${environment}`;
