/** The line and branch coverage target of every service, in percent. @public */
export const COVERAGE_TARGET = 80;

/** The coverage target of the critical paths, in percent. @public */
export const CRITICAL_PATHS_TARGET = 100;

/**
 * The annotation listing an entity's critical paths: globs relative to the
 * repository root, separated by commas or new lines
 * (`src/payments/**, src/auth/*.ts`). `**` matches any number of directories,
 * `*` anything but `/`, `?` one character but `/`.
 *
 * @public
 */
export const CRITICAL_PATHS_ANNOTATION = 'platform-portal.dev/critical-paths';

/** Lines or branches: available, covered, missed, percentage (0..100, two decimals). @public */
export type CoverageFigure = {
  available: number;
  covered: number;
  missed: number;
  percentage: number;
};

/** One file of a coverage report, as the code-coverage backend stores it. @public */
export type FileCoverage = {
  filename: string;
  /** Line number → hits. */
  lineHits: Record<string, number>;
  /** Line number → branches there. */
  branchHits: Record<
    string,
    { covered: number; missed: number; available: number }
  >;
};

/** `GET /api/code-coverage/report?entity=`: the latest report of an entity. @public */
export type CoverageReport = {
  metadata: {
    vcs: { type: string; location: string };
    /** Milliseconds since the epoch. */
    generationTime: number;
    /** Set on the reports of the estate's demo feed. */
    demo?: boolean;
  };
  entity: { name: string; namespace: string; kind: string };
  files: FileCoverage[];
  aggregate: { line: CoverageFigure; branch: CoverageFigure };
};

/** `GET /api/code-coverage/history?entity=&limit=`: newest first. @public */
export type CoverageHistory = {
  entity: { name: string; namespace: string; kind: string };
  history: Array<{
    /** Milliseconds since the epoch. */
    timestamp: number;
    line: CoverageFigure;
    branch: CoverageFigure;
  }>;
};

/** The critical-path globs of an annotation value; empty when unset. @public */
export function parseCriticalPaths(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,\n]/)
    .map(s => s.trim())
    .filter(Boolean);
}

/** A glob (`**`, `*`, `?`) as an anchored regular expression. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  const g = glob.replace(/^\.\//, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      // `**/` is zero or more directories; a trailing `**` anything
      if (g[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Whether a file (a path as the report names it) matches one of the globs. @public */
export function matchesAnyGlob(filename: string, globs: string[]): boolean {
  const path = filename.replace(/^\.\//, '');
  return globs.some(glob => globToRegExp(glob).test(path));
}

function percentage(available: number, covered: number): number {
  return available === 0
    ? 0
    : Math.round((covered / available) * 100 * 100) / 100;
}

/** Line coverage of one file. @public */
export function fileLineCoverage(file: FileCoverage): CoverageFigure {
  const hits = Object.values(file.lineHits);
  const covered = hits.filter(h => h > 0).length;
  return {
    available: hits.length,
    covered,
    missed: hits.length - covered,
    percentage: percentage(hits.length, covered),
  };
}

/** What the Quality tab and the coverage facts read of a report. @public */
export type CoverageSummary = {
  /** Files whose line coverage is below {@link COVERAGE_TARGET}, lowest first. */
  filesBelowTarget: Array<{ filename: string; line: CoverageFigure }>;
  /**
   * Line coverage over the files matching the critical-path globs;
   * undefined without globs. `files` the matching files.
   */
  criticalPaths?: CoverageFigure & {
    globs: string[];
    files: Array<{ filename: string; line: CoverageFigure }>;
  };
};

/** Files below target and the critical paths' coverage of a report. @public */
export function summarizeCoverage(
  files: FileCoverage[],
  criticalPathGlobs: string[],
): CoverageSummary {
  const perFile = files.map(f => ({
    filename: f.filename,
    line: fileLineCoverage(f),
  }));
  const filesBelowTarget = perFile
    .filter(f => f.line.available > 0 && f.line.percentage < COVERAGE_TARGET)
    .sort(
      (a, b) =>
        a.line.percentage - b.line.percentage ||
        a.filename.localeCompare(b.filename),
    );
  if (criticalPathGlobs.length === 0) return { filesBelowTarget };
  const critical = perFile.filter(f =>
    matchesAnyGlob(f.filename, criticalPathGlobs),
  );
  const available = critical.reduce((n, f) => n + f.line.available, 0);
  const covered = critical.reduce((n, f) => n + f.line.covered, 0);
  return {
    filesBelowTarget,
    criticalPaths: {
      globs: criticalPathGlobs,
      files: critical,
      available,
      covered,
      missed: available - covered,
      percentage: percentage(available, covered),
    },
  };
}

/**
 * One entity's coverage figures of its latest report, for the readiness
 * facts: an item of `GET /api/code-coverage/platform/v1/entity-facts`.
 *
 * @public
 */
export type EntityCoverageFacts = {
  entityRef: string;
  /** Line coverage, percent. */
  lineCoverage: number;
  /** Branch coverage, percent; null when the report has no branch data. */
  branchCoverage: number | null;
  /** Line coverage of the critical paths, percent; null without the annotation. */
  criticalPathsCoverage: number | null;
  /** Files of the report matching the critical-path globs. */
  criticalPathFiles: number;
  reportedAt: string;
  demo: boolean;
};

/** Response of `GET /api/code-coverage/platform/v1/entity-facts`. @public */
export type EntityCoverageFactsResponse = { items: EntityCoverageFacts[] };
