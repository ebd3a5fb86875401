/**
 * Serving latency per pipeline stage. A batch is served as one call, so every request in it
 * waits for the whole batch: each request is charged its batch's stage time. Percentiles are
 * over requests within the epoch, in milliseconds, so a design review can hold each stage
 * against a latency budget.
 */
export class StageLatency {
  private readonly samples = new Map<string, { ms: number; requests: number }[]>();

  constructor(private readonly stages: readonly string[]) {
    for (const stage of stages) this.samples.set(stage, []);
  }

  /** Runs `work`, charging its wall time to `stage` for each of `requests` requests. */
  time<T>(stage: string, requests: number, work: () => T): T {
    const start = performance.now();
    const result = work();
    this.samples.get(stage)?.push({ ms: performance.now() - start, requests });
    return result;
  }

  /** `latency_<stage>_p50_ms` and `_p95_ms` for every stage (0 when nothing was served), then resets. */
  takeEpoch(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const stage of this.stages) {
      const batches = this.samples.get(stage) ?? [];
      out[`latency_${stage}_p50_ms`] = weightedPercentile(batches, 0.5);
      out[`latency_${stage}_p95_ms`] = weightedPercentile(batches, 0.95);
      this.samples.set(stage, []);
    }
    return out;
  }
}

/** Percentile of batch times where each batch counts once per request it served. */
export function weightedPercentile(batches: readonly { ms: number; requests: number }[], q: number): number {
  const total = batches.reduce((n, b) => n + b.requests, 0);
  if (total === 0) return 0;
  const sorted = [...batches].sort((a, b) => a.ms - b.ms);
  const rank = q * total;
  let seen = 0;
  for (const b of sorted) {
    seen += b.requests;
    if (seen >= rank) return b.ms;
  }
  return sorted[sorted.length - 1].ms;
}
