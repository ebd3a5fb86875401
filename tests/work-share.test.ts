/**
 * A comparison's and a sweep's time left: the share of the batch's expected work done, each epoch
 * weighed by the slates the traffic estimate expects in it (src/experiment/work-share.ts), as
 * runExperiment reports it, and the progress line's `share` pace that reads it.
 */
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createProgress } from '../src/cli/progress.js';
import { runExperiment } from '../src/experiment/run-experiment.js';
import { WorkShare } from '../src/experiment/work-share.js';
import { slatesPerEpoch } from '../src/run/traffic-estimate.js';
import { parseScenario } from '../src/scenario/index.js';
import { tempDir } from './support/scenarios.js';

describe('the share of the expected work done', () => {
  it('weighs each epoch by its expected work, whatever order the jobs report in', () => {
    const share = new WorkShare(new Map([[3, [1, 1, 2]], [7, [2, 4]]]));
    expect(share.share).toBe(0);
    share.epochsDone(7, 1); // 2 of 10
    expect(share.share).toBeCloseTo(0.2, 12);
    share.epochsDone(3, 2); // + 2
    expect(share.share).toBeCloseTo(0.4, 12);
    share.epochsDone(7, 2); // + 4
    share.epochsDone(3, 3); // + 2
    expect(share.share).toBe(1);
    share.epochsDone(9, 5); // a job it was not told of changes nothing
    expect(share.share).toBe(1);
    expect(new WorkShare(new Map()).share).toBe(0);
  });

  it('is what runExperiment reports as its jobs go, rising to the whole', async () => {
    const scenario = parseScenario(
      `name: share
seed: 5
horizon: { days: 3 }
world:
  topics: 8
  users: { count: 150, signups_per_day: 10 }
  items: { count: 150, uploads_per_day: 10, creators: 15 }
recommender: { kind: two_stage, slate_size: 5, random_startup: 1d, candidates: [{ source: two_tower, k: 20 }, { source: popularity, k: 10 }], two_tower: { dim: 8, epochs: 1 }, ranker: { epochs: 1, max_examples: 2000 } }
logs: { impressions: false }
experiment:
  control: greedy
  arms:
    greedy: {}
    explore: { exploration: { policy: epsilon_greedy, epsilon: 0.2, over: catalog } }
`,
      'share.yaml',
    );
    const reports: { done: number; share: number }[] = [];
    await runExperiment(scenario, { outDir: join(tempDir(), 'compare'), workers: 0, onProgress: (done, _total, _jobsDone, _jobs, share) => reports.push({ done, share }) });
    const shares = reports.map((r) => r.share);
    expect(shares.every((s, k) => k === 0 || s >= shares[k - 1])).toBe(true);
    expect(shares.at(-1)).toBeCloseTo(1, 12);
    // A learning recommender's later days are expected busier than its first, so after the first
    // job's first epoch (jobs one by one on the main thread) less than a sixth of the work is done.
    const perJob = slatesPerEpoch(scenario);
    expect(perJob[2]).toBeGreaterThan(perJob[0]);
    const first = reports.find((r) => r.done === 1);
    expect(first?.share).toBeCloseTo(perJob[0] / (2 * perJob.reduce((a, b) => a + b, 0)), 12);
    expect(first?.share).toBeLessThan(1 / 6);
  });
});

describe('the share pace', () => {
  it('counts the time left from the share of the expected work left', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const chunks: string[] = [];
      const out = Object.assign(new Writable({ write: (chunk: Buffer, _e, done) => void (chunks.push(chunk.toString()), done()) }), { isTTY: false });
      const progress = createProgress('compare', 100, out, performance.now(), 'share');
      vi.advanceTimersByTime(30_000);
      // A quarter of the work in 30 s: 90 s left, though 10 of 100 epochs are done.
      progress.update(10, 'epochs', 0.25);
      expect(chunks.join('')).toMatch(/ETA 1m30s\n$/);
    } finally {
      vi.useRealTimers();
    }
  });
});
