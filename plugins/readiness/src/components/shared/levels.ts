import {
  NO_LEVEL,
  ReadinessLevel,
} from '@platform-portal/backstage-plugin-readiness-common';

/** The key of "no level" in the overview's distribution, the trend and the matrices. */
export const NONE = NO_LEVEL;

const METALS: Record<string, string> = {
  bronze: '#a0522d',
  silver: '#607d8b',
  gold: '#b8860b',
  platinum: '#37474f',
};

/** Colours of levels named otherwise, by rank (lowest first). */
const BY_RANK = ['#8d6e63', '#546e7a', '#9e7c0c', '#2e7d32', '#1565c0'];

/** A level's colour: metals by name, any other level by its rank. */
export function levelColour(
  levelId: string | null,
  levels: ReadinessLevel[] = [],
): string {
  if (levelId === null || levelId === NONE) return '#757575';
  const metal = METALS[levelId.toLocaleLowerCase('en-US')];
  if (metal) return metal;
  const rank = levels.findIndex(l => l.id === levelId);
  return BY_RANK[Math.max(rank, 0) % BY_RANK.length];
}

/** A level's title: from the configured levels, else its id with a capital. */
export function levelTitle(
  levelId: string | null,
  levels: ReadinessLevel[] = [],
): string {
  if (levelId === null || levelId === NONE) return 'No level';
  const level = levels.find(l => l.id === levelId);
  if (level) return level.title;
  return levelId.charAt(0).toLocaleUpperCase('en-US') + levelId.slice(1);
}

/** The distribution's keys in order: `none` first, then lowest → highest. */
export function levelKeys(levels: ReadinessLevel[]): string[] {
  return [NONE, ...levels.map(l => l.id)];
}
