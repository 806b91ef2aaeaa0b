/**
 * One line about the running JavaScript bundle, shown on the home screen so
 * testers can tell which EAS Update they run: "staging · update 1a2b3c4d" or
 * "production · embedded build".
 */
export function describeUpdate(
  channel: string | null,
  updateId: string | null,
  isEmbeddedLaunch: boolean,
): string {
  const where = channel || 'development';
  if (isEmbeddedLaunch || !updateId) {
    return `${where} · embedded build`;
  }
  return `${where} · update ${updateId.slice(0, 8)}`;
}
