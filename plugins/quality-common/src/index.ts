/**
 * Coverage types (the community code-coverage backend's report), the
 * critical-paths annotation and the coverage target, shared by the quality
 * frontend plugin and the backend's coverage facts.
 *
 * @packageDocumentation
 */
export * from './coverage';
