import { z } from 'zod';
import { SEVERITIES } from './types';

/** Most findings one report may carry (a large base image has a few thousand). @public */
export const MAX_FINDINGS = 20_000;

/** An image tag as Docker allows it. */
const imageTag = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
    'must be an image tag (letters, digits, _ . -; at most 128)',
  );

/** The query of `POST /v1/reports`. @public */
export const reportQuerySchema = z.object({
  entity: z
    .string()
    .regex(
      /^[a-z0-9-]+:[a-z0-9_.-]+\/[a-z0-9_.-]+$/i,
      'must be a full entity ref, e.g. component:default/chat-backend',
    ),
  version: imageTag,
});

/** The query of `POST /v1/reports`. @public */
export type ReportQuery = z.infer<typeof reportQuerySchema>;

/** The query of `GET /v1/entity-facts`. @public */
export const entityFactsQuerySchema = z
  .object({
    /** A HIGH open longer than this in production counts as old. */
    highOlderThanDays: z.coerce.number().int().min(1).max(365).default(30),
  })
  .strict();

/** The validated query of `GET /v1/entity-facts`. @public */
export type EntityFactsQuery = z.infer<typeof entityFactsQuerySchema>;

const vulnerabilitySchema = z.object({
  VulnerabilityID: z.string().min(1).max(200),
  PkgName: z.string().min(1).max(500),
  InstalledVersion: z.string().max(500),
  FixedVersion: z.string().max(500).optional(),
  Severity: z.enum(SEVERITIES),
  Title: z.string().max(2000).optional(),
});

/**
 * The part of Trivy's JSON report (`trivy image --format json`, schema
 * version 2) that the portal reads; other fields are ignored. See
 * https://trivy.dev/latest/docs/configuration/reporting/#json
 *
 * @public
 */
export const trivyReportSchema = z.object({
  SchemaVersion: z.literal(2, {
    message: 'must be 2 (the format of trivy --format json since v0.20)',
  }),
  ArtifactName: z.string().min(1).max(1000),
  ArtifactType: z.string().max(100).optional(),
  Metadata: z.object({
    ImageID: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 hex digits>'),
    RepoDigests: z.array(z.string().max(1000)).max(100).optional(),
  }),
  Results: z
    .array(
      z.object({
        Target: z.string().min(1).max(1000),
        Class: z.string().max(100).optional(),
        Type: z.string().max(100).optional(),
        Vulnerabilities: z
          .array(vulnerabilitySchema)
          .max(MAX_FINDINGS)
          .nullable()
          .optional(),
      }),
    )
    .max(1000)
    .optional(),
});

/** Trivy's JSON report, as the portal reads it. @public */
export type TrivyReport = z.infer<typeof trivyReportSchema>;
