/*
 * Shared helpers of the benchmarks: quantiles and bench/RESULTS.md, where each
 * benchmark owns one `## <title>` section and replaces only that section.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function quantile(values: number[], q: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** The machine a bench ran on, for its section: `2 cores, <CPU model>`. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores, ${cpus[0]?.model ?? 'unknown CPU'}`;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Writes (or replaces) the section `## <title> (<date>, <cores> cores)`. */
export function writeSection(title: string, body: string) {
  const file = path.join(__dirname, 'RESULTS.md');
  const header = '# Benchmark results';
  const date = new Date().toISOString().slice(0, 10);
  const cores = os.cpus().length;
  const section = `## ${title} (${date}, ${cores} cores)\n\n${body.trim()}\n`;
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : header;
  const pattern = new RegExp(`## ${escape(title)} \\([\\s\\S]*?(?=\\n## |$)`);
  const next = pattern.test(existing)
    ? existing.replace(pattern, section.trimEnd())
    : `${existing.trimEnd()}\n\n${section}`;
  fs.writeFileSync(file, `${next.trimEnd()}\n`);
}
