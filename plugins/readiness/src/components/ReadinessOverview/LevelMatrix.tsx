import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import ButtonBase from '@material-ui/core/ButtonBase';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ReadinessLevel } from '@platform-portal/backstage-plugin-readiness-common';
import { shortRef } from '../shared/format';
import { toCompoundRef } from '../shared/refs';
import { levelColour, levelKeys, levelTitle } from '../shared/levels';
import { MatrixGrouping, MatrixRow } from './matrix';

/** Level names stay on one line; the table scrolls sideways if it must. */
const HEAD = { whiteSpace: 'nowrap', padding: '6px 8px' } as const;

/** `#rrggbb` at an opacity, as `rgba()`. */
function tint(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function RowName(props: { by: MatrixGrouping; rowKey: string }) {
  const kind = props.by === 'system' ? 'system' : 'group';
  if (!props.rowKey) {
    return (
      <Typography variant="body2" color="textSecondary">
        {props.by === 'system' ? 'No system' : 'No owner'}
      </Typography>
    );
  }
  return (
    <EntityRefLink
      entityRef={toCompoundRef(props.rowKey, kind)}
      defaultKind={kind}
    />
  );
}

/**
 * A heatmap of levels: one row per system or team, one column per level
 * (no level first), each cell the number of its entities at that level,
 * shaded by their share of the row. A cell filters the table below.
 */
export function LevelMatrix(props: {
  by: MatrixGrouping;
  rows: MatrixRow[];
  levels: ReadinessLevel[];
  onSelect: (key: string, level: string) => void;
}) {
  const { by, rows, levels, onSelect } = props;
  const keys = levelKeys(levels);
  const label = by === 'system' ? 'System' : 'Team';
  return (
    <Box overflow="auto">
      <Table
        size="small"
        aria-label={`Levels by ${label.toLocaleLowerCase('en-US')}`}
        data-testid={`readiness-matrix-${by}`}
      >
        <TableHead>
          <TableRow>
            <TableCell>{label}</TableCell>
            {keys.map(key => (
              <TableCell key={key} align="center" style={HEAD}>
                {levelTitle(key, levels)}
              </TableCell>
            ))}
            <TableCell align="right" style={HEAD}>
              Total
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(row => (
            <TableRow key={row.key} data-row={row.key || 'none'}>
              <TableCell component="th" scope="row">
                <RowName by={by} rowKey={row.key} />
              </TableCell>
              {keys.map(key => {
                const count = row.counts[key] ?? 0;
                const share = row.total ? count / row.total : 0;
                const name = row.key
                  ? shortRef(row.key)
                  : `no ${by === 'system' ? 'system' : 'owner'}`;
                return (
                  <TableCell
                    key={key}
                    align="center"
                    data-level={key}
                    style={{
                      backgroundColor: count
                        ? tint(levelColour(key, levels), 0.15 + 0.85 * share)
                        : undefined,
                      color: share > 0.5 ? '#fff' : undefined,
                      padding: 0,
                    }}
                  >
                    {count ? (
                      <ButtonBase
                        style={{ width: '100%', padding: '6px 8px' }}
                        aria-label={`${name}, ${levelTitle(
                          key,
                          levels,
                        )}: ${count} of ${row.total}`}
                        onClick={() => onSelect(row.key, key)}
                      >
                        {count}
                      </ButtonBase>
                    ) : (
                      <span style={{ opacity: 0.4 }}>0</span>
                    )}
                  </TableCell>
                );
              })}
              <TableCell align="right">{row.total}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
