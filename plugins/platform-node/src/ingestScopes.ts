import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { createHash } from 'node:crypto';

/** What one ingest credential may report for, from config. @public */
export interface IngestScopeConfig {
  /** The static token's subject (`backend.auth.externalAccess[].options.subject`). */
  subject: string;
  /** Entities owned by these groups (entity refs). */
  owners: string[];
  /** These entities (entity refs). */
  entities: string[];
  /** Every entity: the platform team's own jobs. */
  allEntities: boolean;
}

/** An entity a report is about, with its owner as the catalog says. @public */
export interface IngestTarget {
  /** The entity, as a full lowercase ref (`component:default/chat-backend`). */
  entityRef: string;
  /** Its owner (`group:default/chat-team`), from the catalog or our store. */
  owner?: string;
  /** Where the entity is named in the request, e.g. `events[3].entityRef`. */
  field?: string;
}

/**
 * Which entities each ingest credential may report for. Every team's CI holds
 * a static external access token of its own (`backend.auth.externalAccess`,
 * with `accessRestrictions` naming the ingest permissions); this says what
 * that token may report for: the entities its groups own, a list of entities,
 * or, for the platform team's own jobs, all of them. A token that is not
 * listed may report for nothing.
 *
 * @public
 */
export class IngestScopes {
  private constructor(
    private readonly scopes: Map<string, IngestScopeConfig>,
  ) {}

  /** Reads `platformPortal.ingest.credentials`. */
  static fromConfig(config: Config): IngestScopes {
    const list =
      config.getOptionalConfigArray('platformPortal.ingest.credentials') ?? [];
    return IngestScopes.from(
      list.map(c => ({
        subject: c.getString('subject'),
        owners: (c.getOptionalStringArray('owners') ?? []).map(lower),
        entities: (c.getOptionalStringArray('entities') ?? []).map(lower),
        allEntities: c.getOptionalBoolean('allEntities') ?? false,
      })),
    );
  }

  /** Scopes from a list (tests, other config readers). */
  static from(scopes: IngestScopeConfig[]): IngestScopes {
    return new IngestScopes(new Map(scopes.map(s => [s.subject, s])));
  }

  /**
   * The scope of a caller's credentials, if any: a static external access
   * token's principal subject is the `subject` configured for it.
   */
  scopeOf(credentials: BackstageCredentials): IngestScopeConfig | undefined {
    const principal = credentials.principal as {
      type?: string;
      subject?: string;
    };
    if (principal.type !== 'service' || !principal.subject) return undefined;
    return this.scopes.get(principal.subject);
  }

  /** Whether the caller may report for the target. */
  mayReport(credentials: BackstageCredentials, target: IngestTarget): boolean {
    const scope = this.scopeOf(credentials);
    if (!scope) return false;
    if (scope.allEntities) return true;
    if (scope.entities.includes(lower(target.entityRef))) return true;
    return (
      target.owner !== undefined && scope.owners.includes(lower(target.owner))
    );
  }

  /**
   * Throws `NotAllowedError` (403) naming the first target the caller may not
   * report for, so that a batch with one such report stores nothing.
   */
  assertMayReport(
    credentials: BackstageCredentials,
    targets: IngestTarget[],
  ): void {
    const principal = credentials.principal as { subject?: string };
    const subject = principal.subject ?? 'this caller';
    for (const target of targets) {
      if (this.mayReport(credentials, target)) continue;
      const where = target.field ? `${target.field}: ` : '';
      const scope = this.scopeOf(credentials);
      throw new NotAllowedError(
        scope
          ? `${where}${subject} may not report for ${target.entityRef}${
              target.owner ? ` (owned by ${target.owner})` : ''
            }; it reports for ${describe(scope)}`
          : `${where}${subject} has no ingest scope: list it in platformPortal.ingest.credentials`,
      );
    }
  }
}

function lower(ref: string) {
  return ref.toLocaleLowerCase('en-US');
}

function describe(scope: IngestScopeConfig) {
  const parts = [
    ...scope.owners.map(o => `entities owned by ${o}`),
    ...scope.entities,
  ];
  return parts.length ? parts.join(', ') : 'nothing';
}

/**
 * The source of a credential's reports, `http:<subject>`: what its
 * idempotency keys are scoped to (a retry from the same credential is the
 * same report; another credential's same key is another report). Within the
 * stores' 255-character source columns: a longer subject keeps its first 200
 * characters and a hash of the whole.
 *
 * @public
 */
export function httpSource(subject: string): string {
  const source = `http:${subject}`;
  if (source.length <= 255) return source;
  const hash = createHash('sha256').update(subject).digest('hex');
  return `http:${subject.slice(0, 200)}#${hash.slice(0, 32)}`;
}
