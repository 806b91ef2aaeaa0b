import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { CoverageSection } from '../CoverageSection';
import { ImageScansSection } from '../ImageScansSection';

/** The "Quality" tab of an entity: coverage, then image scans. @public */
export function EntityQualityContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Typography variant="h5" component="h2">
          Test coverage
        </Typography>
      </Grid>
      <Grid item xs={12}>
        <CoverageSection
          entityRef={entityRef}
          annotations={entity.metadata.annotations}
        />
      </Grid>
      <Grid item xs={12}>
        <Typography variant="h5" component="h2">
          Image scans
        </Typography>
      </Grid>
      <Grid item xs={12}>
        <ImageScansSection entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}
