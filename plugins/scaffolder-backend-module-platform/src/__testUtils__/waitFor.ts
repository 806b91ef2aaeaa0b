/**
 * Polls observable state until it is there: `probe` is called every
 * `intervalMs` until it returns something other than `undefined`, which
 * `waitFor` returns. After `timeoutMs` it throws, naming what never came and
 * what the last probe saw (`lastSeen`), so that a test fails on the state,
 * not on a fixed sleep that happened to be long enough.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: {
    timeoutMs?: number;
    intervalMs?: number;
    lastSeen?: () => string;
  } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      const last = options.lastSeen
        ? ` (last seen: ${options.lastSeen()})`
        : '';
      throw new Error(
        `Gave up after ${timeoutMs} ms waiting for ${what}${last}`,
      );
    }
    await new Promise(resolve =>
      setTimeout(resolve, options.intervalMs ?? 200),
    );
  }
}
