/**
 * Each example plug-in under examples/plugins runs through `recloop run` as the README shows,
 * and visibly takes effect: its source's items are in the slates, its policy's propensities are
 * in the log, its metric is in the summary with the value the impression log gives, its user
 * model changes how long sessions are, and its recommender shows only items its rule allows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { cli } from './support/run-cli.js';
import { tempDir } from './support/scenarios.js';

const EXAMPLES = join(import.meta.dirname, '..', 'examples', 'plugins');

interface Summary {
  readonly totals: Record<string, number>;
  readonly mean: Record<string, number | null>;
}

async function run(example: string, extra: readonly string[] = []): Promise<{ dir: string; out: string; summary: Summary; rows: Record<string, number>[] }> {
  const dir = join(tempDir(), 'run');
  const result = await cli(['run', join(EXAMPLES, example), '--out', dir, '--no-report', ...extra]);
  expect(result.err).not.toMatch(/Error|error/);
  expect(result.code).toBe(0);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
  const rows = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, number>);
  return { dir, out: result.out, summary, rows };
}

async function query(dir: string, sql: (impressions: string) => string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(sql(`read_parquet('${join(dir, 'impressions', '*.parquet')}')`));
    return reader.getRowObjects();
  } finally {
    conn.closeSync();
  }
}

describe('example plug-ins run through recloop run', () => {
  it('a candidate source: its promoted items fill the slates beside popularity', async () => {
    const { dir } = await run('source.yaml');
    const promoted = [7, 42, 99, 123, 256];
    // After the random start-up day every item comes from one of the two sources.
    const sources = await query(dir, (log) => `SELECT DISTINCT source FROM ${log} WHERE epoch >= 1`);
    for (const { source } of sources) expect(String(source).split('+').every((name) => name === 'popularity' || name === 'promoted'), String(source)).toBe(true);
    const items = await query(dir, (log) => `SELECT DISTINCT item_id FROM ${log} WHERE source LIKE '%promoted%' ORDER BY item_id`);
    expect(items.length).toBeGreaterThan(0);
    for (const { item_id } of items) expect(promoted).toContain(Number(item_id));
    // Popularity offers 3 candidates to a 5-item slate; new users (popularity only) and items
    // a user already clicked (not shown again) keep the promoted share below 2 in 5.
    const shares = await query(dir, (log) => `SELECT avg((source LIKE '%promoted%')::INTEGER) AS share FROM ${log} WHERE epoch >= 1`);
    expect(Number(shares[0].share)).toBeGreaterThan(0.1);
  });

  it('an exploration policy: every slate after start-up is its shuffle of the top 8 (fewer when fewer are ranked), each slot at propensity 1/pool', async () => {
    const { dir } = await run('policy.yaml');
    const slates = await query(
      dir,
      (log) => `SELECT count(*)::INTEGER AS n, min(propensity) AS low, max(propensity) AS high FROM ${log} WHERE epoch >= 1 GROUP BY slate_id`,
    );
    expect(slates.length).toBeGreaterThan(500);
    let full = 0;
    for (const { n, low, high } of slates) {
      const pool = Math.round(1 / Number(low));
      expect(high).toBe(low);
      expect(pool).toBeLessThanOrEqual(8);
      expect(n).toBe(Math.min(5, pool));
      if (pool === 8) full++;
    }
    expect(full / slates.length).toBeGreaterThan(0.5);
  });

  it('a metric family: its column is in every epoch, printed with the headline, and equals the share the log gives', async () => {
    const { dir, out, summary, rows } = await run('metric.yaml');
    expect(out).toMatch(/top_click_share\s+[\d.]+ → [\d.]+/);
    const fromLog = await query(
      dir,
      (log) => `SELECT epoch, (count(*) FILTER (WHERE clicked AND position < 2))::DOUBLE / count(*) FILTER (WHERE clicked) AS share FROM ${log} GROUP BY epoch ORDER BY epoch`,
    );
    expect(fromLog).toHaveLength(rows.length);
    rows.forEach((row, epoch) => expect(row.top_click_share).toBeCloseTo(Number(fromLog[epoch].share), 12));
    const mean = rows.reduce((sum, row) => sum + row.top_click_share, 0) / rows.length;
    expect(summary.mean.top_click_share).toBeCloseTo(mean, 12);
  });

  it('a user model: sessions of one slate each, where the built-in model keeps users for several', async () => {
    const { summary } = await run('user-model.yaml');
    expect(summary.totals.sessions).toBeGreaterThan(100);
    expect(summary.totals.slates).toBe(summary.totals.sessions);
    // The same file with the built-in users (the switch drops the plug-in's keys).
    const builtIn = await run('user-model.yaml', ['--set', 'world.users.kind=satisfaction']);
    expect(builtIn.summary.totals.slates).toBeGreaterThan(2 * builtIn.summary.totals.sessions);
  });

  it('a recommender: after the random start-up day, every slate is its own, of items clicked in its window and not by this user', async () => {
    const { dir, summary } = await run('recommender.yaml');
    expect(summary.totals.slates).toBeGreaterThan(500);
    const sources = await query(dir, (log) => `SELECT epoch, source, count(*)::INTEGER AS n, max(position)::INTEGER AS last FROM ${log} GROUP BY ALL ORDER BY epoch`);
    expect(sources.map(({ epoch, source }) => `${String(epoch)}:${String(source)}`)).toEqual(['0:random-startup', '1:same_device', '2:same_device']);
    for (const { last } of sources) expect(last).toBe(4); // slate_size: 5, a shared field, applies
    // Retrained at the start of each epoch on the clicks of the 2 days before (window: 2d).
    const counts = await query(dir, (log) => {
      const clickedBefore = (who: string) => `EXISTS (SELECT 1 FROM ${log} c WHERE c.clicked AND c.item_id = s.item_id ${who} AND c.epoch < s.epoch AND c.time >= s.epoch - 2)`;
      return `SELECT count(*)::INTEGER AS shown, (count(*) FILTER (WHERE NOT ${clickedBefore('')}))::INTEGER AS unclicked,
        (count(*) FILTER (WHERE ${clickedBefore('AND c.user_id = s.user_id')}))::INTEGER AS own FROM ${log} s WHERE s.epoch >= 1`;
    });
    expect(counts[0].shown).toBeGreaterThan(1000);
    expect(counts[0].unclicked).toBe(0);
    expect(counts[0].own).toBe(0);
  });

  it('recloop compare: an arm that swaps in the plug-in policy, measured by the plug-in metric, in a worker process', async () => {
    const dir = tempDir();
    const file = join(dir, 'compare.yaml');
    writeFileSync(
      file,
      `name: plugin-compare
horizon: { days: 3 }
world: { topics: 8, users: { count: 200 }, items: { count: 300, creators: 40 } }
recommender: { kind: popularity, slate_size: 5, random_startup: 1d }
metrics: { plugins: [{ family: module, path: ${join(EXAMPLES, 'my-metric.ts')}, top: 3 }] }
experiment:
  control: greedy
  arms:
    greedy: {}
    shuffled: { exploration: { policy: module, path: ${join(EXAMPLES, 'my-policy.ts')}, pool: 3 } }
`,
    );
    // The worker re-loads both plug-ins from the resolved scenario it is sent.
    const { code } = await cli(['compare', file, '--out', join(dir, 'out'), '--workers', '1', '--no-report']);
    expect(code).toBe(0);
    type Series = { series: { mean: number[] } };
    const comparison = JSON.parse(readFileSync(join(dir, 'out', 'comparison.json'), 'utf8')) as { metrics: Record<string, { arms: Record<string, Series> }> };
    const share = comparison.metrics.top_click_share.arms;
    // After the random start-up day, a shuffle of the top 3 fills 3 slots: every click is in the top 3.
    expect(share.shuffled.series.mean.slice(1)).toEqual([1, 1]);
    // Greedy's 5-item slates get some clicks below the third slot.
    for (const value of share.greedy.series.mean.slice(1)) expect(value).toBeLessThan(1);
  });
});
