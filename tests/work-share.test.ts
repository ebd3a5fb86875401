/**
 * A comparison's and a sweep's time left: the share of the batch's expected work done, each epoch
 * weighed by the slates the traffic estimate expects in it, and the time the work left takes on
 * the batch's processes (src/experiment/work-share.ts), as runExperiment reports it, and the
 * progress line's `given` pace that prints it.
 */
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createProgress } from '../src/cli/progress.js';
import { runExperiment } from '../src/experiment/run-experiment.js';
import { longestFirst, WorkShare } from '../src/experiment/work-share.js';
import { epochWork } from '../src/run/epoch-work.js';
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

  it('leaves as much time as the jobs left take on the processes that run them: the last ones alone', () => {
    let now = 0;
    // Three jobs of two epochs (5 and 5) on two processes; job 2 starts when one of the first two ends.
    const work = new WorkShare(new Map([[0, [5, 5]], [1, [5, 5]], [2, [5, 5]]]), { processes: 2, clock: () => now });
    expect(work.timeLeft()).toBeUndefined();
    now = 10_000;
    work.epochsDone(0, 1);
    work.epochsDone(1, 1);
    // 10 of 30 done in 20 process-seconds: 5 left on each running job (10 s), then job 2's 10
    // alone (20 s). The share of work left would say 20 s.
    expect(work.timeLeft()).toBeCloseTo(30_000, 6);
    expect((now * (1 - work.share)) / work.share).toBeCloseTo(20_000, 6);
    now = 20_000;
    work.epochsDone(0, 2);
    work.jobDone(0);
    work.epochsDone(1, 2);
    work.jobDone(1);
    expect(work.timeLeft()).toBeCloseTo(20_000, 6);
    now = 30_000;
    work.epochsDone(2, 1);
    // Job 2 ran from 20 s: 25 done in 50 process-seconds, 5 left at that speed.
    expect(work.timeLeft()).toBeCloseTo(10_000, 6);
    work.jobDone(7); // a job it was not told of changes nothing
    expect(work.timeLeft()).toBeCloseTo(10_000, 6);
    now = 40_000;
    work.epochsDone(2, 2);
    work.jobDone(2);
    expect(work.timeLeft()).toBe(0);
  });

  it('on one process is the time so far in proportion to the work left; a job started late is timed from when its process freed', () => {
    let now = 0;
    const one = new WorkShare(new Map([[0, [1, 3]], [1, [4]]]), { clock: () => now });
    now = 2_000;
    one.epochsDone(0, 1); // 1 of 8 in 2 s
    expect(one.timeLeft()).toBeCloseTo(14_000, 6);
    // Two processes, a longer job first: the second process takes job 2 when job 1 ends.
    const two = new WorkShare(new Map([[0, [8]], [1, [2]], [2, [2]]]), { processes: 2, clock: () => now });
    now = 4_000;
    two.epochsDone(1, 1);
    two.jobDone(1);
    now = 6_000;
    two.epochsDone(2, 1);
    two.jobDone(2);
    // 4 done in 4 s (job 0, still running) + 2 s + 2 s of process time: half a unit a second;
    // job 0 has reported nothing, so all its 8 are left. Timed from the batch's start, job 2
    // would have counted 4 s, the speed 0.4 and the time left 20 s.
    expect(two.timeLeft()).toBeCloseTo(16_000, 6);
  });

  it("times each job at its own group's speed, and a group with nothing done at everyone's", () => {
    let now = 0;
    // Arms a and b alternating, two epochs of 10 each, on two processes.
    const jobs = new Map([[0, [10, 10]], [1, [10, 10]], [2, [10, 10]], [3, [10, 10]]]);
    const paced = (groups: string[]): WorkShare => {
      now = 0;
      const work = new WorkShare(jobs, { processes: 2, clock: () => now, groups: new Map(groups.map((g, job) => [job, g])) });
      now = 20_000;
      work.epochsDone(0, 2); // a: 20 in 20 s
      work.jobDone(0);
      work.epochsDone(1, 1); // b: 10 in 20 s, still running
      return work;
    };
    // Job 1's 10 left at b's half a unit a second ends at 40 s; job 2 (a, 20 s) on the free
    // process ends at 40 s; job 3 (b, 40 s) then ends at 80 s. One speed for all (0.75) says 40 s.
    expect(paced(['a', 'b', 'a', 'b']).timeLeft()).toBeCloseTo(60_000, 6);
    expect(paced(['', '', '', '']).timeLeft()).toBeCloseTo(40_000, 6);
    expect(paced([]).timeLeft()).toBeCloseTo(40_000, 6);
    // Job 3 in a group not yet started: at everyone's 0.75, 26.7 s after 40 s.
    expect(paced(['a', 'b', 'a', 'c']).timeLeft()).toBeCloseTo(140_000 / 3, 6);
  });

  it('starts the jobs with the most expected work first, equal work in the order given', () => {
    const jobs = [0, 1, 2, 3, 4].map((id) => ({ id }));
    const work = new Map([[0, [1, 1]], [1, [5]], [2, [1, 2]], [3, [2, 1]], [4, [0.5]]]);
    expect(longestFirst(jobs, work).map((j) => j.id)).toEqual([1, 2, 3, 0, 4]);
    expect(jobs.map((j) => j.id)).toEqual([0, 1, 2, 3, 4]); // a new array
    // A job without expected work counts as none.
    expect(longestFirst([{ id: 9 }, { id: 1 }], work).map((j) => j.id)).toEqual([1, 9]);
  });

  it('is what runExperiment reports as its jobs go, down to nothing', async () => {
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
    const reports: { done: number; left: number | undefined; elapsed: number }[] = [];
    const before = performance.now();
    await runExperiment(scenario, {
      outDir: join(tempDir(), 'compare'),
      workers: 0,
      onProgress: (done, _total, _jobsDone, _jobs, left) => reports.push({ done, left, elapsed: performance.now() - before }),
    });
    expect(reports.every((r) => r.left !== undefined && r.left >= 0)).toBe(true);
    expect(reports.at(-1)?.left).toBe(0);
    // Jobs one by one on the main thread: after the first job's first epoch, the time so far
    // times the expected work left over the work done, which a learning recommender's busier
    // later days (and its start-up day's lighter weight) make more than five times the time so far.
    const perJob = epochWork(scenario);
    const total = 2 * perJob.reduce((a, b) => a + b, 0);
    const first = reports.find((r) => r.done === 1);
    const ratio = (total - perJob[0]) / perJob[0];
    expect(ratio).toBeGreaterThan(5);
    expect(first?.left).toBeLessThanOrEqual((first?.elapsed ?? 0) * ratio);
  });
});

describe('the given pace', () => {
  it('prints the time left each update gives', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const chunks: string[] = [];
      const out = Object.assign(new Writable({ write: (chunk: Buffer, _e, done) => void (chunks.push(chunk.toString()), done()) }), { isTTY: false });
      const progress = createProgress('compare', 100, out, performance.now(), 'given');
      vi.advanceTimersByTime(30_000);
      // 90 s left, though 10 of 100 epochs are done in 30 s.
      progress.update(10, 'epochs', 90_000);
      expect(chunks.join('')).toMatch(/ETA 1m30s\n$/);
    } finally {
      vi.useRealTimers();
    }
  });
});
