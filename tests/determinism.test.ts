/**
 * What README ("Run folders") claims is reproducible: the same scenario and seed give
 * byte-identical scenario.resolved.yaml, metrics.jsonl, summary.json, impression Parquet files
 * and recommender files (calibration.json) on the same machine, for every recommender kind;
 * only timings.jsonl and run.json (wall clock, machine, model backend) may differ.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, type RunOutcome } from '../src/run/run-scenario.js';
import { parseScenario } from '../src/scenario/index.js';
import { reproducibleFiles } from './support/run-folder.js';
import { smallScenario, tempDir } from './support/scenarios.js';

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('reproducibility', () => {
  it('the same scenario and seed give byte-identical metrics and summary; another seed does not', async () => {
    const root = tempDir();
    const a = await runScenario(smallScenario(['logs.impressions=false']), { outDir: join(root, 'a') });
    const b = await runScenario(smallScenario(['logs.impressions=false']), { outDir: join(root, 'b') });
    const c = await runScenario(smallScenario(['logs.impressions=false', 'seed=4']), { outDir: join(root, 'c') });
    expect(read(a.dir, 'metrics.jsonl')).toBe(read(b.dir, 'metrics.jsonl'));
    expect(read(a.dir, 'summary.json')).toBe(read(b.dir, 'summary.json'));
    expect(read(a.dir, 'metrics.jsonl')).not.toBe(read(c.dir, 'metrics.jsonl'));
    expect(read(a.dir, 'summary.json')).not.toBe(read(c.dir, 'summary.json'));
    expect(a.summary.totals.impressions).toBeGreaterThan(1000);
  });

  it('is reproducible for every schedule and batch window', async () => {
    const root = tempDir();
    const variants = [
      ['schedule.batch_window=0'],
      ['schedule.batch_window=10m'],
      ['schedule={kind: steps, step: 1d}', 'horizon.days=3', 'world.users.count=100'],
      ['world.choice.model=cascade'],
    ];
    for (const [k, overrides] of variants.entries()) {
      const s = smallScenario(['logs.impressions=false', ...overrides]);
      const first = await runScenario(s, { outDir: join(root, `${k}-1`) });
      const second = await runScenario(s, { outDir: join(root, `${k}-2`) });
      expect(read(first.dir, 'metrics.jsonl'), overrides.join(' ')).toBe(read(second.dir, 'metrics.jsonl'));
    }
  });
});

/** A tiny scenario of each kind: a few days, a hundred-odd users and items, impressions logged. */
function tiny(kind: string, seed: number): string {
  const models =
    kind === 'two_stage'
      ? `
  candidates: [{ source: two_tower, k: 20 }, { source: popularity, k: 10 }, { source: content, k: 10 }]
  two_tower: { dim: 8, epochs: 1 }
  ranker: { hidden: [8], epochs: 1 }
  rerank: { creator_cap: 1 }
  exploration: { policy: epsilon_greedy, epsilon: 0.2 }`
      : '';
  return `
name: tiny-${kind}
seed: ${seed}
horizon: { days: 3 }
schedule: { kind: continuous, batch_window: 5m }
world:
  topics: 6
  users: { count: 120, signups_per_day: 5 }
  items: { count: 150, uploads_per_day: 10, creators: 20 }
recommender:
  kind: ${kind}
  slate_size: 4
  random_startup: 1d${models}
logs: { impressions: true }
`;
}

describe('byte-identical run folders for every recommender kind', () => {
  const KINDS = ['random', 'popularity', 'oracle', 'two_stage'] as const;

  it('the same seed twice gives identical files; another seed other metrics, summary and logs; no machine fact in summary.json', async () => {
    const root = tempDir();
    const run = (kind: string, seed: number, tag: string): Promise<RunOutcome> =>
      runScenario(parseScenario(tiny(kind, seed), `${kind}.yaml`), { outDir: join(root, `${kind}-${tag}`) });
    // All kinds once, then all again: the second popularity run comes after a two_stage run has
    // chosen the process's tfjs backend, which must not leak into its files.
    const first = new Map<string, RunOutcome>();
    for (const kind of KINDS) first.set(kind, await run(kind, 7, 'a'));
    for (const kind of KINDS) {
      const a = first.get(kind)?.dir ?? '';
      const b = (await run(kind, 7, 'b')).dir;
      const c = (await run(kind, 8, 'c')).dir;
      const files = reproducibleFiles(a);
      expect(files, kind).toEqual(reproducibleFiles(b));
      expect(files, kind).toContain('summary.json');
      expect(files.filter((f) => f.endsWith('.parquet')).length, kind).toBe(3);
      if (kind === 'two_stage') expect(files).toContain('calibration.json');
      for (const file of files) expect(readFileSync(join(b, file)).equals(readFileSync(join(a, file))), `${kind}: ${file}`).toBe(true);
      for (const file of ['metrics.jsonl', 'summary.json', join('impressions', 'epoch-00002.parquet')]) {
        expect(readFileSync(join(c, file)).equals(readFileSync(join(a, file))), `${kind}: ${file} under another seed`).toBe(false);
      }
      expect(read(a, 'summary.json'), kind).not.toContain('backend');
      const runInfo = JSON.parse(read(b, 'run.json')) as { model_backend: string };
      if (kind === 'two_stage') expect(['wasm', 'tensorflow', 'cpu']).toContain(runInfo.model_backend);
      else expect(runInfo.model_backend, kind).toBe('none');
    }
  }, 300_000);
});
