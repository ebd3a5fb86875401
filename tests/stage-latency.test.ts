import { describe, expect, it } from 'vitest';
import { StageLatency, weightedPercentile } from '../src/recommender/stage-latency.js';
import { buildParts } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';
import { smallScenario } from './support/scenarios.js';

describe('stage latency', () => {
  it('charges each request its batch time when taking percentiles', () => {
    // 9 requests waited 1 ms (one batch), 1 request waited 50 ms.
    const batches = [
      { ms: 1, requests: 9 },
      { ms: 50, requests: 1 },
    ];
    expect(weightedPercentile(batches, 0.5)).toBe(1);
    expect(weightedPercentile(batches, 0.9)).toBe(1);
    expect(weightedPercentile(batches, 0.95)).toBe(50);
    expect(weightedPercentile([], 0.5)).toBe(0);
  });

  it('reports every stage, then starts afresh', () => {
    const latency = new StageLatency(['retrieval', 'ranking']);
    expect(latency.time('retrieval', 3, () => 42)).toBe(42);
    const first = latency.takeEpoch();
    expect(Object.keys(first)).toEqual(['latency_retrieval_p50_ms', 'latency_retrieval_p95_ms', 'latency_ranking_p50_ms', 'latency_ranking_p95_ms']);
    expect(first.latency_retrieval_p50_ms).toBeGreaterThanOrEqual(0);
    expect(latency.takeEpoch().latency_retrieval_p95_ms).toBe(0);
  });

  it('pipelines report per-stage latency each epoch as timings, outside the reproducible metrics', async () => {
    const timings: Record<string, number>[] = [];
    await new Simulation(buildParts(smallScenario(['horizon.days=2', 'recommender.random_startup=0']))).run((e) => {
      timings.push({ ...e.timings });
      expect(Object.keys(e.metrics).some((k) => k.startsWith('latency_'))).toBe(false);
    });
    expect(timings).toHaveLength(2);
    for (const t of timings) expect(t.latency_ranking_p95_ms).toBeGreaterThanOrEqual(t.latency_ranking_p50_ms);
    expect(Object.keys(timings[0])).toContain('latency_retrieval_p95_ms');
    // The whole request is timed too (a total budget is drawn against it): each batch's total is at least any stage's.
    for (const t of timings) {
      for (const stage of ['retrieval', 'ranking', 'rerank']) expect(t.latency_total_p95_ms).toBeGreaterThanOrEqual(t[`latency_${stage}_p95_ms`]);
    }
  });
});
