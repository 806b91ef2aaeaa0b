import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  EntityFactsQuery,
  EntityScanFactsResponse,
  EntityScansResponse,
  ReportQuery,
  ReportResult,
  TrivyReport,
} from '@platform-portal/backstage-plugin-image-scans-common';

/** The version live in each environment, from platform-deploy. */
export interface DeployedVersions {
  /** Environment name → version live there and since when. */
  forEntity(entityRef: string): Promise<{
    environments: string[];
    states: Record<
      string,
      { version?: string; deployedAt?: string } | undefined
    >;
  }>;
  /** The version live in `environment` for every entity platform-deploy knows. */
  allIn(
    environment: string,
  ): Promise<
    Array<{ entityRef: string; version?: string; deployedAt?: string }>
  >;
}

/** Who owns an entity, from the catalog (undefined when not in it). */
export interface EntityOwners {
  ownerOf(entityRef: string): Promise<{ found: boolean; owner?: string }>;
}

/** The image-scans service: what the router calls. */
export interface ImageScanService {
  /**
   * Stores a validated report once per (entity, version, image digest);
   * `authorize` throws (403) before anything is stored.
   */
  ingest(
    query: ReportQuery,
    report: TrivyReport,
    options: {
      source: string;
      authorize: (target: { entityRef: string; owner?: string }) => void;
      /** When it was received; now unless given (the demo feed's history). */
      receivedAt?: Date;
    },
  ): Promise<ReportResult>;
  /** The scans of the versions live in each environment. */
  entity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityScansResponse>;
  /**
   * Every entity's production figures (criticals, old highs) in one
   * response: one read of platform-deploy's overview, three queries.
   */
  entityFacts(query: EntityFactsQuery): Promise<EntityScanFactsResponse>;
}
