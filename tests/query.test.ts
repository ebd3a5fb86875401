import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunQuery, formatCsv, formatTable, queryRuns, rowObjects } from '../src/query/index.js';
import { runScenario } from '../src/run/run-scenario.js';
import { cli } from './support/run-cli.js';
import { smallScenario, tempDir } from './support/scenarios.js';

type Row = Record<string, number>;

function metricsRows(dir: string): Row[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Row);
}

/** Two short runs of the small scenario, popularity and random, side by side like output/. */
let base: string;

beforeAll(async () => {
  base = tempDir('recloop-query-');
  await runScenario(smallScenario(['horizon.days=2']), { outDir: join(base, 'pop') });
  await runScenario(smallScenario(['horizon.days=2', 'recommender.kind=random', 'seed=4']), { outDir: join(base, 'rand') });
});

describe('recloop query', () => {
  it('gives click-through by run, arm and day that matches each run\'s metrics.jsonl', async () => {
    const sql = 'SELECT run, arm, epoch AS day, count(*) AS impressions, sum(clicked::INT) AS clicks, avg(clicked::INT) AS ctr FROM impressions GROUP BY ALL ORDER BY ALL';
    const { code, out, err } = await cli(['query', sql, '--runs', base, '--format', 'json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { run: string; arm: string; day: number; impressions: number; clicks: number; ctr: number }[];
    const expected = ['pop', 'rand'].flatMap((run) =>
      metricsRows(join(base, run)).map((m) => ({
        run,
        arm: run === 'pop' ? 'popularity' : 'random',
        day: m.epoch,
        impressions: m.impressions,
        clicks: m.clicks,
      })),
    );
    expect(rows.map(({ run, arm, day, impressions, clicks }) => ({ run, arm, day, impressions, clicks }))).toEqual(expected);
    for (const row of rows) expect(row.ctr).toBeCloseTo(row.clicks / row.impressions, 12);
  });

  it('has metrics, runs and summary views with a run column', async () => {
    const query = await RunQuery.open([base]);
    try {
      const metrics = rowObjects(await query.query('SELECT run, epoch, ctr, catalog_coverage FROM metrics ORDER BY run, epoch'));
      const fromFiles = ['pop', 'rand'].flatMap((run) => metricsRows(join(base, run)).map((m) => ({ run, epoch: m.epoch, ctr: m.ctr, catalog_coverage: m.catalog_coverage })));
      expect(metrics).toEqual(fromFiles);

      const runs = rowObjects(await query.query('SELECT run, scenario, seed, recommender, days, epochs, logged FROM runs ORDER BY run'));
      expect(runs).toEqual([
        { run: 'pop', scenario: 'small', seed: 3, recommender: 'popularity', days: 2, epochs: 2, logged: true },
        { run: 'rand', scenario: 'small', seed: 4, recommender: 'random', days: 2, epochs: 2, logged: true },
      ]);

      const summary = JSON.parse(readFileSync(join(base, 'pop', 'summary.json'), 'utf8')) as { totals: Row; first: Row; last: Row; mean: Row };
      const rows = rowObjects(await query.query(`SELECT metric, first, last, mean, total FROM summary WHERE run = 'pop' AND metric IN ('impressions', 'ctr') ORDER BY metric`));
      expect(rows).toEqual([
        { metric: 'ctr', first: summary.first.ctr, last: summary.last.ctr, mean: summary.mean.ctr, total: null },
        { metric: 'impressions', first: summary.first.impressions, last: summary.last.impressions, mean: summary.mean.impressions, total: summary.totals.impressions },
      ]);
      const timings = await query.query('SELECT run, count(*) AS epochs FROM timings GROUP BY run ORDER BY run');
      expect(timings.rows).toEqual([['pop', 2], ['rand', 2]]);
    } finally {
      query.close();
    }
  });

  it('prints an aligned table by default and quotes CSV fields', async () => {
    const table = await cli(['query', `SELECT run, count(*) AS n FROM metrics GROUP BY run ORDER BY run`, '--runs', base]);
    expect(table.code).toBe(0);
    expect(table.out).toBe(['run   n', '----  -', 'pop   2', 'rand  2', '(2 rows)', ''].join('\n'));

    const csv = formatCsv({ columns: ['a', 'b,c'], rows: [['x "y"', 1.5], [null, 'line\nbreak']] });
    expect(csv).toBe('a,"b,c"\n"x ""y""",1.5\n,"line\nbreak"\n');
    expect(formatTable({ columns: ['v'], rows: [[0.123456], [12345.678], [null]] })).toBe('      v\n-------\n 0.1235\n12345.7\n   NULL\n(3 rows)\n');
  });

  it('reads one run folder given directly, and names same-named runs from different folders by path', async () => {
    const single = await queryRuns('SELECT DISTINCT run FROM impressions', [join(base, 'pop')]);
    expect(single.rows).toEqual([['pop']]);

    const other = tempDir('recloop-query-other-');
    await runScenario(smallScenario(['horizon.days=1', 'logs.impressions=false']), { outDir: join(other, 'pop') });
    const both = await queryRuns('SELECT run, logged FROM runs ORDER BY logged DESC', [join(base, 'pop'), join(other, 'pop'), join(base, 'pop')]);
    expect(both.rows).toEqual([[join(base, 'pop'), true], [join(other, 'pop'), false]]);
    // The run without a log adds no impressions but does not break the view.
    const counted = await queryRuns('SELECT count(DISTINCT run) AS runs FROM impressions', [join(base, 'pop'), join(other, 'pop')]);
    expect(counted.rows).toEqual([[1]]);
    const empty = await queryRuns('SELECT count(*) AS n FROM impressions', [join(other, 'pop')]);
    expect(empty.rows).toEqual([[0]]);
  });

  it('reports SQL errors and missing folders as one message, exit code 2, no stack trace', async () => {
    const bad = await cli(['query', 'SELEC run FROM metrics', '--runs', base]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('Parser Error');
    expect(bad.err).not.toMatch(/\n\s+at /);

    const unknown = await cli(['query', 'SELECT * FROM clicks', '--runs', base]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('the tables are: impressions, metrics, timings, runs, summary');

    const missing = await cli(['query', 'SELECT 1', '--runs', join(base, 'nope')]);
    expect(missing).toMatchObject({ code: 2, out: '' });
    expect(missing.err).toBe(`${join(base, 'nope')}: no such folder\n`);

    const noRuns = tempDir('recloop-query-empty-');
    mkdirSync(join(noRuns, 'not-a-run'));
    writeFileSync(join(noRuns, 'notes.txt'), 'hello');
    const none = await cli(['query', 'SELECT 1', '--runs', noRuns]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('no run folders found');
  });
});
