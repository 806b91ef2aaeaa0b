import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  EnvironmentScan,
  Finding,
  SEVERITIES,
  Severity,
} from '@platform-portal/backstage-plugin-image-scans-common';
import useAsync from 'react-use/esm/useAsync';
import { qualityApiRef } from '../../api/QualityApi';
import { DemoChip, formatUtc } from '../shared';

const SEVERITY_COLORS: Record<Severity, string> = {
  CRITICAL: '#b71c1c',
  HIGH: '#e65100',
  MEDIUM: '#f9a825',
  LOW: '#1565c0',
  UNKNOWN: '#616161',
};

function SeverityChip(props: { severity: Severity; count?: number }) {
  const { severity, count } = props;
  return (
    <Chip
      size="small"
      label={count === undefined ? severity : `${severity} ${count}`}
      style={{
        backgroundColor: count === 0 ? '#e0e0e0' : SEVERITY_COLORS[severity],
        color: count === 0 ? '#424242' : '#fff',
        marginRight: 4,
      }}
    />
  );
}

const findingColumns: TableColumn<Finding>[] = [
  {
    title: 'Severity',
    render: f => <SeverityChip severity={f.severity} />,
    customSort: (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
  },
  { title: 'CVE', field: 'vulnerabilityId' },
  { title: 'Package', field: 'pkgName' },
  { title: 'Installed', field: 'installedVersion' },
  {
    title: 'Fixed in',
    render: f => f.fixedVersion ?? 'no fix yet',
  },
  { title: 'First seen', render: f => formatUtc(f.firstSeenAt) },
];

type OpenCritical = NonNullable<EnvironmentScan['criticalsOpen']>[number];

const openColumns: TableColumn<OpenCritical>[] = [
  { title: 'CVE', field: 'vulnerabilityId' },
  { title: 'Package', field: 'pkgName' },
  { title: 'Open since', render: c => formatUtc(c.openSince) },
  {
    title: 'Days open',
    field: 'openDays',
    render: c => `${c.openDays} d`,
  },
];

function EnvironmentCard(props: {
  scan: EnvironmentScan;
  production: boolean;
}) {
  const { scan, production } = props;
  const title = (
    <>
      {scan.environment}
      {scan.version ? ` – ${scan.version}` : ''} {scan.demo && <DemoChip />}
    </>
  );
  if (!scan.version) {
    return (
      <InfoCard title={title}>
        <Typography variant="body2" color="textSecondary">
          No version is live in {scan.environment}.
        </Typography>
      </InfoCard>
    );
  }
  if (!scan.scanned) {
    return (
      <InfoCard title={title}>
        <Typography variant="body2" color="error">
          Version {scan.version} was never scanned. Have CI post its Trivy
          report: scripts/report-scan --version {scan.version} --file
          trivy.json.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard
      title={title}
      subheader={`Scanned ${formatUtc(scan.scannedAt!)}${
        scan.imageDigest ? `, image ${scan.imageDigest.slice(0, 19)}` : ''
      }`}
    >
      <div aria-label={`${scan.environment} counts by severity`}>
        {SEVERITIES.map(s => (
          <SeverityChip key={s} severity={s} count={scan.counts[s]} />
        ))}
      </div>
      {production && scan.criticalsOpen && scan.criticalsOpen.length > 0 && (
        <div style={{ marginTop: 16 }}>
          <Table<OpenCritical>
            title={`CRITICAL open in ${scan.environment}`}
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={openColumns}
            data={[...scan.criticalsOpen].sort(
              (a, b) => b.openDays - a.openDays,
            )}
          />
        </div>
      )}
      <div style={{ marginTop: 16 }}>
        <Table<Finding>
          title={`Vulnerabilities (${scan.findings.length})`}
          options={{
            paging: scan.findings.length > 10,
            pageSize: 10,
            search: true,
            padding: 'dense',
          }}
          columns={findingColumns}
          data={[...scan.findings].sort(
            (a, b) =>
              SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
          )}
          emptyContent={
            <Typography style={{ padding: 16 }}>
              No known vulnerabilities in this image.
            </Typography>
          }
        />
      </div>
    </InfoCard>
  );
}

/** The image scans of the version live in each environment. */
export function ImageScansSection(props: { entityRef: string }) {
  const { entityRef } = props;
  const api = useApi(qualityApiRef);
  const { value, loading, error } = useAsync(
    () => api.getImageScans(entityRef),
    [api, entityRef],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} title="Image scans" />;
  if (!value || value.environments.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No environments known"
        description="Image scans show for the version live in each environment, as platform-deploy knows it: report deploys first (scripts/report-deploy)."
      />
    );
  }
  if (!value.environments.some(e => e.scanned)) {
    return (
      <EmptyState
        missing="data"
        title="No image scan reported yet"
        description={`Have CI post each image's Trivy report: scripts/report-scan --entity ${entityRef} --version <tag> --file trivy.json (trivy image --format json), i.e. POST /api/image-scans/v1/reports.`}
      />
    );
  }
  // production first: it is what users run
  const environments = [...value.environments].sort(
    (a, b) =>
      Number(b.environment === value.productionEnvironment) -
      Number(a.environment === value.productionEnvironment),
  );
  return (
    <Grid container spacing={3}>
      {environments.map(scan => (
        <Grid item xs={12} key={scan.environment}>
          <EnvironmentCard
            scan={scan}
            production={scan.environment === value.productionEnvironment}
          />
        </Grid>
      ))}
    </Grid>
  );
}
