import { ReadinessMatrixRow } from '@platform-portal/backstage-plugin-readiness-common';

/** The groupings of the matrices: by system and by team (the owner). */
export type MatrixGrouping = 'system' | 'owner';

/**
 * One row of a matrix: a system or a team, and its entities per level, as
 * the backend counts them (`GET /v1/summary`).
 */
export type MatrixRow = ReadinessMatrixRow;
