import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  COVERAGE_TARGET,
  CoverageFigure,
  CRITICAL_PATHS_ANNOTATION,
  CRITICAL_PATHS_TARGET,
  parseCriticalPaths,
  summarizeCoverage,
} from '@platform-portal/backstage-plugin-quality-common';
import useAsync from 'react-use/esm/useAsync';
import { qualityApiRef } from '../../api/QualityApi';
import { DemoChip, formatPercent, formatUtc, TargetChip } from '../shared';
import { CoverageHistoryChart } from './CoverageHistoryChart';

/** How many reports the history chart shows. */
export const HISTORY_LIMIT = 60;

type FileRow = { filename: string; line: CoverageFigure };

function Figure(props: {
  label: string;
  figure: CoverageFigure;
  target: number;
  unit: string;
}) {
  const { label, figure, target, unit } = props;
  return (
    <div style={{ marginBottom: 12 }}>
      <Typography variant="h4" component="p">
        {label}: {formatPercent(figure.percentage)}{' '}
        <TargetChip value={figure.percentage} target={target} />
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {figure.covered} of {figure.available} {unit} covered
      </Typography>
    </div>
  );
}

const fileColumns: TableColumn<FileRow>[] = [
  { title: 'File', field: 'filename' },
  {
    title: 'Lines',
    render: r => `${formatPercent(r.line.percentage)}`,
    customSort: (a, b) => a.line.percentage - b.line.percentage,
  },
  {
    title: 'Covered / lines',
    render: r => `${r.line.covered} / ${r.line.available}`,
  },
];

/** Coverage of the entity: figures, history, critical paths and files below target. */
export function CoverageSection(props: {
  entityRef: string;
  annotations?: Record<string, string>;
}) {
  const { entityRef } = props;
  const api = useApi(qualityApiRef);
  const { value, loading, error } = useAsync(async () => {
    const report = await api.getCoverage(entityRef);
    if (!report) return { report };
    const history = await api.getCoverageHistory(entityRef, HISTORY_LIMIT);
    return { report, history };
  }, [api, entityRef]);

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} title="Coverage" />;
  if (!value?.report) {
    return (
      <EmptyState
        missing="data"
        title="No test coverage reported yet"
        description={`Have CI post its LCOV, Cobertura or JaCoCo report: scripts/report-coverage --entity ${entityRef} --file coverage/lcov.info (PLATFORM_URL, PLATFORM_INGEST_TOKEN), i.e. POST /api/code-coverage/report?entity=${entityRef}&coverageType=lcov.`}
      />
    );
  }
  const { report, history } = value;
  const globs = parseCriticalPaths(
    props.annotations?.[CRITICAL_PATHS_ANNOTATION],
  );
  const summary = summarizeCoverage(report.files, globs);
  const critical = summary.criticalPaths;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard
          title={<>Test coverage {report.metadata.demo && <DemoChip />}</>}
          subheader={`Latest report ${formatUtc(
            report.metadata.generationTime,
          )}, ${report.files.length} files`}
        >
          <Figure
            label="Lines"
            figure={report.aggregate.line}
            target={COVERAGE_TARGET}
            unit="lines"
          />
          {report.aggregate.branch.available > 0 ? (
            <Figure
              label="Branches"
              figure={report.aggregate.branch}
              target={COVERAGE_TARGET}
              unit="branches"
            />
          ) : (
            <Typography variant="body2" color="textSecondary">
              The report has no branch data.
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Critical paths">
          {critical ? (
            <>
              <Figure
                label="Lines"
                figure={critical}
                target={CRITICAL_PATHS_TARGET}
                unit="lines on critical paths"
              />
              <Typography variant="body2">
                Globs: <code>{critical.globs.join(', ')}</code>
              </Typography>
              {critical.files.length === 0 && (
                <Typography variant="body2" color="error">
                  No file of the report matches these globs.
                </Typography>
              )}
              {critical.files
                .filter(f => f.line.percentage < CRITICAL_PATHS_TARGET)
                .map(f => (
                  <Typography variant="body2" key={f.filename}>
                    {f.filename}: {formatPercent(f.line.percentage)} (
                    {f.line.missed} lines not covered)
                  </Typography>
                ))}
            </>
          ) : (
            <Typography variant="body2">
              No critical paths declared. List the globs of the code that must
              be fully tested (payments, auth, migrations) in the annotation{' '}
              <code>{CRITICAL_PATHS_ANNOTATION}</code>, e.g.{' '}
              <code>src/payments/**, src/auth/**</code>; they are held to{' '}
              {CRITICAL_PATHS_TARGET} %.
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Coverage over time">
          {history && <CoverageHistoryChart history={history} />}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Table<FileRow>
          title={`Files below ${COVERAGE_TARGET} % (${summary.filesBelowTarget.length} of ${report.files.length})`}
          options={{
            paging: summary.filesBelowTarget.length > 20,
            pageSize: 20,
            search: true,
            padding: 'dense',
          }}
          columns={fileColumns}
          data={summary.filesBelowTarget}
          emptyContent={
            <Typography style={{ padding: 16 }}>
              Every file is at {COVERAGE_TARGET} % or more.
            </Typography>
          }
        />
      </Grid>
    </Grid>
  );
}
