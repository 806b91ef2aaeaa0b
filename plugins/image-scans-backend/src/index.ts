/**
 * The image-scans backend plugin: stores Trivy reports per (entity, version)
 * and serves, per environment, the vulnerabilities of the version live there.
 *
 * @packageDocumentation
 */
export { imageScansPlugin as default } from './plugin';
