/**
 * CPU and memory quantities as the catalog annotations and the config write
 * them (Kubernetes style): CPU `"0.5"`, `"500m"` or a number; memory `512Mi`,
 * `2Gi`, `1G` or plain bytes. Memory is counted in MiB throughout the model.
 */

const MEMORY_UNITS_IN_BYTES: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

const MIB = 1024 ** 2;

/**
 * Cores from `"0.5"`, `"500m"` or `0.5`; undefined when it is not a CPU quantity.
 *
 * @public
 */
export function parseCpu(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)(m?)\s*$/.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  return match[2] === 'm' ? amount / 1000 : amount;
}

/**
 * MiB from `"512Mi"`, `"2Gi"`, `"1G"` or bytes; undefined when it is not a memory quantity.
 *
 * @public
 */
export function parseMemoryMiB(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value / MIB : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)([kKMGT]i?|)\s*$/.exec(value);
  if (!match) return undefined;
  const factor = MEMORY_UNITS_IN_BYTES[match[2]];
  if (factor === undefined) return undefined;
  return (Number(match[1]) * factor) / MIB;
}

/**
 * Formats MiB for display: `11520` MiB becomes `"11.25 GB"` (binary GB, as the
 * estate's plan counts them).
 *
 * @public
 */
export function formatMemoryMiB(mib: number): string {
  if (Math.abs(mib) < 1024) return `${Math.round(mib)} MB`;
  return `${Number((mib / 1024).toFixed(2))} GB`;
}
