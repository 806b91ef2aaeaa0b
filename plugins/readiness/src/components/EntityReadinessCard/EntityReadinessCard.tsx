import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { useEntity } from '@backstage/plugin-catalog-react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  EntityReadiness,
  ReadinessCheckResult,
  ReadinessResult,
} from '@platform-portal/backstage-plugin-readiness-common';
import useAsync from 'react-use/esm/useAsync';
import { readinessApiRef } from '../../api/ReadinessApi';
import { rootRouteRef } from '../../routes';
import { formatAge } from '../shared/format';
import { LevelChip } from '../shared/LevelChip';
import { levelTitle } from '../shared/levels';

const RESULT_LABELS: Record<ReadinessResult, string> = {
  pass: 'Passes',
  fail: 'Fails',
  'not-applicable': 'Not applicable',
  'no-data': 'No data',
};

/** The readiness page's URL, or undefined in an app that does not mount it. */
function useReadinessPageLink(): string | undefined {
  try {
    return useRouteRef(rootRouteRef)();
  } catch {
    return undefined;
  }
}

/** The levels in the order their checks come, lowest first as the backend sends them. */
function levelOrder(checks: ReadinessCheckResult[]): string[] {
  return [...new Set(checks.map(c => c.level))];
}

/** A check that keeps the entity from a level: its why and the link that fixes it. */
function OpenCheck(props: { check: ReadinessCheckResult }) {
  const { check } = props;
  return (
    <ListItem
      disableGutters
      alignItems="flex-start"
      data-testid="readiness-open-check"
      data-check={check.id}
      data-result={check.result}
    >
      <ListItemText
        disableTypography
        primary={
          <Typography variant="subtitle2" component="div">
            {check.name}{' '}
            <Chip
              size="small"
              variant="outlined"
              label={RESULT_LABELS[check.result]}
              style={{
                borderColor: check.result === 'fail' ? '#c62828' : undefined,
              }}
            />
          </Typography>
        }
        secondary={
          <>
            <Typography variant="body2" color="textSecondary">
              {check.why ?? check.description}
            </Typography>
            {check.fix && (
              <Typography variant="body2">
                <Link to={check.fix.url}>{check.fix.title}</Link>
              </Typography>
            )}
          </>
        }
      />
    </ListItem>
  );
}

function ReadinessBody(props: { readiness: EntityReadiness }) {
  const { readiness } = props;
  const { checks } = readiness;
  const open = checks.filter(
    c => c.result === 'fail' || c.result === 'no-data',
  );
  const settled = checks.filter(
    c => c.result === 'pass' || c.result === 'not-applicable',
  );
  const passing = checks.filter(c => c.result === 'pass').length;
  const order = levelOrder(checks);
  const nextLevel = order.find(level => open.some(c => c.level === level));

  return (
    <>
      <Box display="flex" alignItems="center" flexWrap="wrap" mb={1}>
        <Box mr={1} data-testid="readiness-level">
          <LevelChip level={readiness.level} size="medium" />
        </Box>
        <Typography variant="body2" color="textSecondary">
          {passing} of {checks.length} checks pass · evaluated{' '}
          {formatAge(readiness.evaluatedAt)}
        </Typography>
      </Box>
      {open.length === 0 ? (
        <Typography variant="body2">
          Every check passes or does not apply.
        </Typography>
      ) : (
        order
          .filter(level => open.some(c => c.level === level))
          .map(level => (
            <Box key={level} mt={1}>
              <Typography variant="overline" component="div">
                {level === nextLevel
                  ? `To reach ${levelTitle(level)}`
                  : `Also needed for ${levelTitle(level)}`}
              </Typography>
              <List dense disablePadding>
                {open
                  .filter(c => c.level === level)
                  .map(check => (
                    <OpenCheck key={check.id} check={check} />
                  ))}
              </List>
            </Box>
          ))
      )}
      {settled.length > 0 && (
        <Accordion
          elevation={0}
          style={{ marginTop: 8 }}
          TransitionProps={{ unmountOnExit: true }}
        >
          <AccordionSummary
            expandIcon={<ExpandMoreIcon />}
            aria-controls="readiness-settled-checks"
          >
            <Typography variant="body2">
              {settled.length} checks pass or do not apply
            </Typography>
          </AccordionSummary>
          <AccordionDetails id="readiness-settled-checks">
            <List dense disablePadding style={{ width: '100%' }}>
              {settled.map(check => (
                <ListItem key={check.id} disableGutters>
                  <ListItemText
                    primary={`${check.name} – ${RESULT_LABELS[check.result]}`}
                    secondary={check.why ?? check.description}
                  />
                </ListItem>
              ))}
            </List>
          </AccordionDetails>
        </Accordion>
      )}
    </>
  );
}

/**
 * The entity's production readiness level and what keeps it from the next
 * one: each failing (or unmeasured) check with its why and the link that
 * fixes it; the passing ones collapsed.
 *
 * @public
 */
export function EntityReadinessCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(readinessApiRef);
  const pageLink = useReadinessPageLink();
  const { value, loading, error } = useAsync(
    () => api.getEntityReadiness(entityRef),
    [api, entityRef],
  );

  let body: JSX.Element;
  if (loading) {
    body = <Progress />;
  } else if (error instanceof ResponseError && error.statusCode === 404) {
    body = (
      <Typography variant="body2">
        Not evaluated yet: the readiness checks run on a schedule and have no
        result for this entity so far.
      </Typography>
    );
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!value || value.checks.length === 0) {
    body = (
      <Typography variant="body2">
        No readiness check applies to this entity.
      </Typography>
    );
  } else {
    body = <ReadinessBody readiness={value} />;
  }

  return (
    <InfoCard
      title="Production readiness"
      deepLink={
        pageLink ? { title: 'The whole estate', link: pageLink } : undefined
      }
    >
      {body}
    </InfoCard>
  );
}
