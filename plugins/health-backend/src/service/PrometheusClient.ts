/** One series of an instant vector (`GET /api/v1/query`, resultType `vector`). */
type VectorSample = { metric: Record<string, string>; value: [number, string] };

/** Talks to Prometheus's HTTP API from the backend (never the browser). */
export class PrometheusClient {
  constructor(
    private readonly options: {
      baseUrl: string;
      /** Timeout of one query, ms (a 30-day range over the estate is not instant). */
      timeoutMs?: number;
    },
  ) {}

  /**
   * Runs an instant query and returns each series' value by the given label
   * (series without the label are left out; NaN values too).
   */
  async vectorBy(query: string, label: string): Promise<Map<string, number>> {
    const url = `${this.options.baseUrl.replace(
      /\/+$/,
      '',
    )}/api/v1/query?${new URLSearchParams({ query })}`;
    const res = await fetch(url, {
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(
        `Prometheus answered ${res.status} without JSON: ${text.slice(0, 200)}`,
      );
    }
    if (!res.ok || body.status !== 'success') {
      throw new Error(
        `Prometheus query failed (${res.status}): ${String(
          body.error ?? text,
        ).slice(0, 300)}`,
      );
    }
    if (body.data?.resultType !== 'vector') {
      throw new Error(
        `The uptime query must return an instant vector, got ${body.data?.resultType}`,
      );
    }
    const values = new Map<string, number>();
    for (const sample of body.data.result as VectorSample[]) {
      const key = sample.metric[label];
      const value = Number(sample.value[1]);
      if (key !== undefined && Number.isFinite(value)) values.set(key, value);
    }
    return values;
  }
}
