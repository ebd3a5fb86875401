/**
 * The two_stage recommender end to end on the real simulator: every stage runs, reports its
 * figures, writes calibration tables, and the run is reproducible with real tfjs models.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/run/run-scenario.js';
import { parseScenario } from '../src/scenario/index.js';
import { tempDir } from './support/scenarios.js';

const TWO_STAGE = `
name: two-stage-small
seed: 5
horizon: { days: 3 }
schedule: { kind: continuous, batch_window: 5m }
world:
  topics: 8
  users: { count: 300, signups_per_day: 10 }
  items: { count: 400, uploads_per_day: 20, creators: 40 }
recommender:
  kind: two_stage
  slate_size: 5
  random_startup: 1d
  candidates:
    - { source: two_tower, k: 40 }
    - { source: popularity, k: 20 }
    - { source: content, k: 20 }
    - { source: fresh, k: 5 }
  two_tower: { dim: 16, epochs: 1 }
  ranker: { hidden: [16], epochs: 1 }
  rerank: { mmr_lambda: 0.2, creator_cap: 2 }
`;

describe('the two_stage recommender', () => {
  it('runs every stage, logs their sources, reports calibration, and replays exactly', async () => {
    const scenario = parseScenario(TWO_STAGE, 'two-stage.yaml');
    const root = tempDir();
    const first = await runScenario(scenario, { outDir: join(root, 'a') });
    const second = await runScenario(scenario, { outDir: join(root, 'b') });
    expect(readFileSync(join(first.dir, 'metrics.jsonl'), 'utf8')).toBe(readFileSync(join(second.dir, 'metrics.jsonl'), 'utf8'));

    const last = first.rows[first.rows.length - 1];
    for (const head of ['click', 'watch', 'complete', 'like', 'survey']) {
      expect(last[`ece_${head}_raw`], head).toBeGreaterThanOrEqual(0);
      expect(last[`ranker_holdout_${head}`], head).toBeGreaterThan(0);
    }
    expect(last.ranker_auc_click).toBeGreaterThan(0.5);
    expect(last.two_tower_indexed_items).toBeGreaterThan(400);
    // The backend is a fact about the machine, kept in run.json so summary.json stays machine-independent.
    const runInfo = JSON.parse(readFileSync(join(first.dir, 'run.json'), 'utf8')) as { model_backend: string };
    expect(['wasm', 'tensorflow', 'cpu']).toContain(runInfo.model_backend);
    expect(first.summary).not.toHaveProperty('model_backend');

    const calibration = JSON.parse(readFileSync(join(first.dir, 'calibration.json'), 'utf8')) as { heads: Record<string, unknown> };
    expect(Object.keys(calibration.heads).sort()).toEqual(['click', 'complete', 'like', 'survey', 'watch']);
    const timings = readFileSync(join(first.dir, 'timings.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(timings.at(-1)?.latency_ranking_p95_ms).toBeGreaterThan(0);

    // After the random start-up, slates come from the pipeline's sources, two-tower among them.
    expect(existsSync(join(first.dir, 'impressions', 'epoch-00002.parquet'))).toBe(true);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const reader = await conn.runAndReadAll(
      `SELECT DISTINCT unnest(string_split(source, '+')) AS s FROM read_parquet('${join(first.dir, 'impressions', 'epoch-00002.parquet')}') ORDER BY s`,
    );
    const sources = reader.getRowObjects().map((r) => String(r.s));
    expect(sources).toContain('two_tower');
    expect(sources).toContain('popularity');
    expect(sources).not.toContain('random-startup');
    conn.closeSync();
  });
});
