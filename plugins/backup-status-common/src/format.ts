/**
 * `1.2 GB`-style size, base 1000 like backup tools report; `–` when unknown.
 *
 * @public
 */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** `44 %`, `2.5 %`, `0.04 %`, `< 0.01 %` of a ratio. */
export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  if (pct >= 10) return `${Math.round(pct)} %`;
  if (pct >= 1) return `${pct.toFixed(1)} %`;
  if (pct >= 0.01) return `${pct.toFixed(2)} %`;
  return '< 0.01 %';
}
