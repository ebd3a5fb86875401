/**
 * A run split by users over threads (src/parallel): its files do not depend on how many threads
 * ran it — each thread simulates the users it owns, the epochs merge into the order one thread
 * would have produced, each model is trained by one thread on the merged log and adopted by the
 * others, and every serving draw is keyed by its request. Creators join during these runs, on
 * every thread alike.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shardThreadsWaiting, startShardThreadsEarly } from '../src/parallel/shard-threads.js';
import { runScenario } from '../src/run/run-scenario.js';
import { parseScenario } from '../src/scenario/index.js';
import { reproducibleFiles } from './support/run-folder.js';
import { tempDir } from './support/scenarios.js';

/** A tiny two-stage world with `exploration`; 10-minute windows hold enough requests to split. */
function scenario(name: string, exploration: string, kind = 'two_stage', rerank = '{ creator_cap: 1, mmr_lambda: 0.2 }', ann = ''): string {
  const models =
    kind === 'two_stage'
      ? `
  candidates: [{ source: two_tower, k: 20${ann} }, { source: popularity, k: 10 }, { source: content, k: 10 }, { source: fresh, k: 5 }]
  two_tower: { dim: 8, epochs: 1 }
  ranker: { hidden: [8], epochs: 1 }
  rerank: ${rerank}
  exploration: ${exploration}`
      : '';
  return `
name: ${name}
seed: 5
horizon: { days: 3 }
schedule: { kind: continuous, batch_window: 10m }
world:
  topics: 6
  users: { count: 150, signups_per_day: 10 }
  items: { count: 150, uploads_per_day: 15, creators: 20, new_creators_per_day: 3 }
recommender:
  kind: ${kind}
  slate_size: 4
  random_startup: 1d${models}
logs: { impressions: true }
`;
}

/** Runs `text` on each thread count; returns the run folders. */
async function expectSameFolders(text: string, workers: readonly number[]): Promise<string[]> {
  const root = tempDir();
  const dirs: string[] = [];
  for (const n of workers) {
    const outcome = await runScenario(parseScenario(text, 'parallel.yaml'), { outDir: join(root, `workers-${n}`), workers: n });
    dirs.push(outcome.dir);
    expect(JSON.parse(readFileSync(join(outcome.dir, 'run.json'), 'utf8')).workers).toBe(n);
  }
  const files = reproducibleFiles(dirs[0]);
  expect(files.filter((f) => f.endsWith('.parquet')).length).toBe(3);
  for (const dir of dirs.slice(1)) {
    expect(reproducibleFiles(dir)).toEqual(files);
    for (const file of files) expect(readFileSync(join(dir, file)).equals(readFileSync(join(dirs[0], file))), `${dir}: ${file}`).toBe(true);
  }
  return dirs;
}

describe('a run split by users over threads', () => {
  it('two-stage with epsilon-greedy under a creator cap (Monte-Carlo propensities): 1, 2 and 3 threads write the same files', async () => {
    await expectSameFolders(scenario('parallel-epsilon', '{ policy: epsilon_greedy, epsilon: 0.3 }'), [1, 2, 3]);
  }, 300_000);

  it('two-stage with Thompson sampling at the candidate stage, at the slate stage (learning at retrain) and Boltzmann slates: 1 and 2 threads write the same files', async () => {
    await expectSameFolders(scenario('parallel-thompson', '{ policy: thompson, stage: candidate, k: 3, head: 40 }'), [1, 2]);
    await expectSameFolders(scenario('parallel-thompson-slate', '{ policy: thompson, update: retrain }', 'two_stage', '{ creator_cap: 1 }'), [1, 2]);
    // A two-tower drawn afresh at each retrain: the adopting thread must draw its rows as the training thread does.
    const cold = scenario('parallel-boltzmann', '{ policy: boltzmann, temperature: 0.5 }', 'two_stage', '{ creator_cap: 1 }').replace('two_tower: { dim: 8, epochs: 1 }', 'two_tower: { dim: 8, epochs: 1, warm_start: false }');
    expect(cold).toContain('warm_start: false');
    await expectSameFolders(cold, [1, 2]);
  }, 300_000);

  it('two-stage over an HNSW index, each graph built once by the main thread and read by the replicas: 1, 2 and 3 threads write the same files, and no graph file is left behind', async () => {
    const graphFiles = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`recloop-hnsw-${process.pid}-`));
    const before = graphFiles();
    await expectSameFolders(scenario('parallel-hnsw', '{ policy: epsilon_greedy, epsilon: 0.3 }', 'two_stage', '{ creator_cap: 1 }', ', ann: { kind: hnsw, ef_search: 30 }'), [1, 2, 3]);
    expect(graphFiles()).toEqual(before);
  }, 300_000);

  it('two-stage over an inverted file with a ranking cascade in front of a low-rank ranker (each thread builds the same index; the pre-ranker fitted on one thread, its recall and kept share counted on every thread and summed; the cross layers\' U and V adopted by every thread): 1, 2 and 3 threads write the same files', async () => {
    const text = scenario('parallel-cascade', '{ policy: greedy }', 'two_stage', undefined, ', ann: { kind: ivf, lists: 8, probes: 3 }').replace('ranker: { hidden: [8], epochs: 1 }', 'ranker: { hidden: [8], epochs: 1, cross_rank: 4, prerank: { keep: 12 } }');
    expect(text).toContain('prerank');
    const dirs = await expectSameFolders(text, [1, 2, 3]);
    const last = JSON.parse(readFileSync(join(dirs[0], 'metrics.jsonl'), 'utf8').trim().split('\n').at(-1) ?? '{}');
    // Trimmed, and measured on requests of every thread (a thread's own share would differ and the files with it).
    expect(last.prerank_kept_share).toBeGreaterThan(0.2);
    expect(last.prerank_kept_share).toBeLessThan(0.6);
    expect(last.prerank_recall_at_10).toBeGreaterThan(0.3);
  }, 300_000);

  it('popularity on both schedules and with every request served at once, and the oracle (each thread reads its own copy of the world): 1 and 2 threads write the same files', async () => {
    const popularity = scenario('parallel-popularity', '', 'popularity');
    await expectSameFolders(popularity, [1, 2]);
    await expectSameFolders(popularity.replace('batch_window: 10m', 'batch_window: 0m'), [1, 2]);
    await expectSameFolders(popularity.replace('{ kind: continuous, batch_window: 10m }', '{ kind: steps, step: 2h }'), [1, 2, 3]);
    await expectSameFolders(scenario('parallel-oracle', '', 'oracle'), [1, 2]);
  }, 180_000);

  it('takes the shard thread the recloop command started before the run was read, and tells it what to simulate: the same files as one thread', async () => {
    startShardThreadsEarly(1);
    expect(shardThreadsWaiting()).toBe(1);
    await expectSameFolders(scenario('parallel-early', '', 'popularity'), [1, 2]);
    expect(shardThreadsWaiting()).toBe(0);
  }, 120_000);

  it('refuses slate policies that learn online from every user (Thompson, UCB), linear Thompson sampling, which learns from what only the serving thread saw, and a worker count below one', async () => {
    for (const policy of ['thompson', 'ucb']) {
      const online = parseScenario(scenario(`parallel-${policy}`, `{ policy: ${policy} }`, 'two_stage', '{ creator_cap: 1 }'), 'online.yaml');
      await expect(runScenario(online, { outDir: join(tempDir(), policy), workers: 2 })).rejects.toThrow(new RegExp(`${policy} learns online .* set update: retrain`));
    }
    const linear = parseScenario(scenario('parallel-linear', '{ policy: linear_thompson }', 'two_stage', '{ creator_cap: 1 }'), 'linear.yaml');
    await expect(runScenario(linear, { outDir: join(tempDir(), 'linear'), workers: 2 })).rejects.toThrow(/linear_thompson .* runs on one worker/);
    await expect(runScenario(linear, { outDir: join(tempDir(), 'zero'), workers: 0 })).rejects.toThrow(/workers must be a whole number of at least 1, got 0/);
  });

  it('stops with the training thread’s error when a model diverges on a thread other than the main one, instead of waiting for its state', async () => {
    // The two-tower trains on shard 1; the main thread waits for what it trained.
    const text = scenario('parallel-diverges', '{ policy: greedy }').replace('two_tower: { dim: 8, epochs: 1 }', 'two_tower: { dim: 8, epochs: 1, learning_rate: 1e30 }');
    await expect(runScenario(parseScenario(text, 'diverges.yaml'), { outDir: join(tempDir(), 'diverges'), workers: 2 })).rejects.toThrow(/shard thread: two_tower diverged/);
  }, 60_000);
});
