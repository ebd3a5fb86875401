/**
 * `recloop import obd` on the Open Bandit Dataset files shipped in data/: the log written is the
 * file's rows, checked against DuckDB's own reading of the CSV (counts, clicks, propensities,
 * positions row by row), `recloop query` reads it back, and broken copies of the file fail
 * with the file, line and field, leaving an earlier import in place.
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync, copyFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { duckdbRows } from './support/duckdb-rows.js';
import { cli } from './support/run-cli.js';
import { tempDir } from './support/scenarios.js';

const DATA = 'data/open-bandit-dataset';
const RANDOM = join(DATA, 'random/men/men.csv');
const BTS = join(DATA, 'bts/men/men.csv');

const sql = duckdbRows;

let base: string;
beforeAll(async () => {
  base = tempDir('recloop-import-obd-');
  for (const [name, path] of [['random', join(DATA, 'random/men')], ['bts', BTS]] as const) {
    const { code, err } = await cli(['import', 'obd', path, '--out', join(base, name)]);
    expect(err).toBe('');
    expect(code).toBe(0);
  }
});

describe('recloop import obd on the shipped data', () => {
  it.each([
    ['random', RANDOM],
    ['bts', BTS],
  ])('the %s log: every row of the file, its clicks, positions from 0 and propensities as logged', async (name, file) => {
    const [[rows, clicks]] = await sql(`SELECT count(*)::INT, sum(click)::INT FROM read_csv_auto('${file}')`);
    const doc = JSON.parse(readFileSync(join(base, name, 'import.json'), 'utf8')) as Record<string, unknown>;
    expect({ rows: doc.rows, clicks: doc.clicks }).toEqual({ rows, clicks });
    // The data set's README: 10,000 impressions each, 46 clicks under random and 69 under Thompson sampling.
    expect(rows).toBe(10_000);
    expect(clicks).toBe(name === 'random' ? 46 : 69);
    expect(doc).toMatchObject({ arm: name, slates: 10_000, slots: 3, items: 34, has_propensity: true, has_user: false });
    // Row by row, in file order (the CSV's first column is the row index; slate ids are the rows' order).
    const mismatches = await sql(
      `SELECT count(*)::INT FROM read_csv_auto('${file}') f
       FULL JOIN read_parquet('${join(base, name, 'impressions/log.parquet')}') l ON l.slate_id = f.column00
       WHERE l.item_id IS DISTINCT FROM f.item_id OR l.position IS DISTINCT FROM f.position - 1
          OR l.propensity IS DISTINCT FROM f.propensity_score OR l.clicked IS DISTINCT FROM (f.click = 1)
          OR l.timestamp IS DISTINCT FROM f.timestamp OR l.arm IS DISTINCT FROM '${name}'`,
    );
    expect(mismatches[0][0]).toBe(0);
  });

  it('writes the columns of a run\'s impression log, unknowns as NULL, and the item table', async () => {
    const [[users, watch, survey, minHour, maxHour, epochs]] = await sql(
      `SELECT count(user_id)::INT, count(watch_minutes)::INT, count(survey)::INT, min(hour_of_day), max(hour_of_day), count(DISTINCT epoch)::INT
       FROM read_parquet('${join(base, 'bts/impressions/log.parquet')}')`,
    );
    expect({ users, watch, survey, minHour, maxHour, epochs }).toEqual({ users: 0, watch: 0, survey: 0, minHour: 0, maxHour: 23, epochs: 7 });
    const [[items, features]] = await sql(`SELECT count(*)::INT, count(item_feature_0)::INT FROM read_parquet('${join(base, 'random/items.parquet')}')`);
    expect({ items, features }).toEqual({ items: 34, features: 34 });
  });

  it('recloop query reads the imported logs: click rate by position as the CSV gives it', async () => {
    const { code, out, err } = await cli([
      'query',
      'SELECT run, position, count(*)::INT AS n, sum(clicked::INT)::INT AS clicks FROM impressions GROUP BY ALL ORDER BY ALL',
      '--runs',
      base,
      '--format',
      'json',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const got = JSON.parse(out) as { run: string; position: number; n: number; clicks: number }[];
    const expected = [];
    for (const [run, file] of [['bts', BTS], ['random', RANDOM]] as const) {
      for (const [position, n, clicks] of await sql(`SELECT (position - 1)::INT, count(*)::INT, sum(click)::INT FROM read_csv_auto('${file}') GROUP BY 1 ORDER BY 1`)) {
        expected.push({ run, position, n, clicks });
      }
    }
    expect(got).toEqual(expected);
    const runs = await cli(['query', 'SELECT run, scenario, recommender, epochs FROM runs ORDER BY run', '--runs', base, '--format', 'json']);
    expect(JSON.parse(runs.out)).toEqual([
      { run: 'bts', scenario: 'import:obd', recommender: 'bts', epochs: 7 },
      { run: 'random', scenario: 'import:obd', recommender: 'random', epochs: 7 },
    ]);
  });
});

/** A copy of the random log with data row `row` (0-based) changed by `edit`; returns the file and that row's line. */
function brokenCopy(dir: string, edit: (fields: string[], header: string[]) => string[], row = 1234): { file: string; line: number } {
  const lines = readFileSync(RANDOM, 'utf8').split('\n');
  const header = lines[0].split(',');
  const folder = join(dir, 'random', 'men');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'men.csv');
  lines[row + 1] = edit(lines[row + 1].split(','), header).join(',');
  writeFileSync(file, lines.join('\n'));
  copyFileSync(join(DATA, 'random/men/item_context.csv'), join(folder, 'item_context.csv'));
  return { file, line: row + 2 };
}

function setField(name: string, value: string): (fields: string[], header: string[]) => string[] {
  return (fields, header) => fields.map((f, k) => (header[k] === name ? value : f));
}

describe('recloop import obd on broken copies', () => {
  it('a missing column: names the file and the column, and writes nothing', async () => {
    const dir = tempDir('recloop-import-bad-');
    const lines = readFileSync(RANDOM, 'utf8').split('\n');
    const drop = lines[0].split(',').indexOf('propensity_score');
    const file = join(dir, 'men.csv');
    writeFileSync(file, lines.map((l) => l.split(',').filter((_, k) => k !== drop).join(',')).join('\n'));
    const { code, err } = await cli(['import', 'obd', file, '--out', join(dir, 'out')]);
    expect(code).toBe(2);
    expect(err).toMatch(new RegExp(`^${file}: missing column "propensity_score"`));
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it.each([
    ['a propensity of 1.5', setField('propensity_score', '1.5'), 'propensity_score: propensity 1.5 is out of range; expected a probability in (0, 1]'],
    ['a propensity of 0', setField('propensity_score', '0'), 'propensity_score: propensity 0 is out of range; expected a probability in (0, 1]'],
    ['a position of 4', setField('position', '4'), 'position: position 4 is out of range; expected 1 to 3 (3 slots)'],
    ['a position of 0', setField('position', '0'), 'position: expected a whole number of 1 or more, found "0"'],
    ['an item id that is not a number', setField('item_id', 'abc'), 'item_id: expected a number, found "abc"'],
    ['a click that is not 0 or 1', setField('click', '2'), 'click: expected a click, 0 or 1 (or true/false), found "2"'],
    ['a timestamp that is not one', setField('timestamp', 'yesterday'), 'timestamp: expected a date-time such as 2019-11-24 00:03:13+00:00, found "yesterday"'],
  ])('%s: file, line and field, and the earlier import of that folder stays as it was', async (_what, edit, message) => {
    const dir = tempDir('recloop-import-bad-');
    const out = join(dir, 'out');
    // An earlier import of the random log (the one made above, marker included) in the folder the bad file is imported over.
    cpSync(join(base, 'random'), out, { recursive: true });
    const before = readFileSync(join(out, 'impressions/log.parquet'));
    const { file, line } = brokenCopy(dir, edit);
    const { code, err } = await cli(['import', 'obd', file, '--out', out, '--force']);
    expect(code).toBe(2);
    expect(err).toBe(`${file}:${line}: ${message}\n`);
    expect(readFileSync(join(out, 'impressions/log.parquet')).equals(before)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'import.json'), 'utf8'))).toMatchObject({ source: { log: join(DATA, 'random/men/men.csv') }, rows: 10_000 });
  });
});
