import Chip from '@material-ui/core/Chip';
import { ReadinessLevel } from '@platform-portal/backstage-plugin-readiness-common';
import { levelColour, levelTitle } from './levels';

/** A level as a coloured chip with its name, never colour alone. */
export function LevelChip(props: {
  level: string | null;
  levels?: ReadinessLevel[];
  size?: 'small' | 'medium';
}) {
  return (
    <Chip
      size={props.size ?? 'small'}
      label={levelTitle(props.level, props.levels)}
      data-level={props.level ?? 'none'}
      style={{
        backgroundColor: levelColour(props.level, props.levels),
        color: '#fff',
        fontWeight: 600,
      }}
    />
  );
}
