/** Footer line: "© 2024 Owner" in the first year, "© 2024–2026 Owner" afterwards. */
export function copyright(owner: string, since: number, now: number): string {
  const years = now > since ? `${since}–${now}` : `${since}`;
  return `© ${years} ${owner}`;
}
