import Grid from '@material-ui/core/Grid';
import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { MetricsResponse } from '@platform-portal/backstage-plugin-platform-deploy-common';
import { formatFigure, formatTarget } from './format';

const TILES: Array<[keyof MetricsResponse, string]> = [
  ['deploysPerWeek', 'Production deploys'],
  ['successRate', 'Success rate'],
  ['p90DurationSeconds', 'Deploy duration (p90)'],
  ['leadTimeSeconds', 'Lead time (median)'],
  ['changeFailureRate', 'Change failure rate'],
  ['timeToRestoreSeconds', 'Time to restore (median)'],
];

/** The DORA-style figures, each against the target the API sends with it. */
export function MetricTiles(props: { metrics: MetricsResponse }) {
  return (
    <Grid container spacing={2}>
      {TILES.map(([key, label]) => {
        const figure = props.metrics[key] as any;
        let colour: string | undefined;
        if (figure.met === true) colour = '#2e7d32';
        if (figure.met === false) colour = '#c62828';
        return (
          <Grid item xs={6} md={2} key={key}>
            <InfoCard title={label} noPadding={false}>
              <Typography variant="h5" style={{ color: colour }}>
                {formatFigure(figure)}
              </Typography>
              <Typography variant="caption">{formatTarget(figure)}</Typography>
            </InfoCard>
          </Grid>
        );
      })}
    </Grid>
  );
}
