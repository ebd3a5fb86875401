/**
 * `recloop import csv` on small hand-made logs: columns named on the command line, CSV quoting,
 * slates grouped by a column, a reward instead of a click, numbers of days as time, the same log
 * from Parquet, and the errors for a missing column or a bad value.
 */
import { writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckdbRowObjects } from './support/duckdb-rows.js';
import { cli } from './support/run-cli.js';
import { tempDir } from './support/scenarios.js';

const sql = duckdbRowObjects;

// Line 4 holds a quoted field with a comma and a doubled quote; line 5's device spans two lines.
const LOG = `uid,iid,slot,reward,p,when,request,device
7,3,1,0,0.5,2024-03-01 10:15:00,100,phone
7,5,2,2.5,0.25,2024-03-01 10:15:00,100,tablet
8,3,1,0,1,2024-03-02T23:59:59.5Z,101,"desk, ""big"""
9,1,2,1,0.125,2024-03-03 00:00:00+02:00,102,"two
lines"
`;

const COLUMNS = ['--user', 'uid', '--item', 'iid', '--position', 'slot', '--position-base', '1', '--slots', '2', '--reward', 'reward', '--propensity', 'p', '--time', 'when', '--slate', 'request', '--feature', 'device'];

describe('recloop import csv', () => {
  it('reads the named columns into the impression log, from CSV and from Parquet alike', async () => {
    const dir = tempDir('recloop-import-csv-');
    const file = join(dir, 'log.csv');
    writeFileSync(file, LOG);
    const { code, out, err } = await cli(['import', 'csv', file, ...COLUMNS, '--out', join(dir, 'out'), '--arm', 'prod']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(`4 impressions (2 clicks; 3 slates, 2 slots, 6 items), logged by prod → ${join(dir, 'out')}\n`);
    const rows = await sql(
      `SELECT slate_id, user_id, item_id, position, clicked, reward, propensity, round(time, 6) AS time, epoch, hour_of_day, arm, source, device, watch_minutes
       FROM read_parquet('${join(dir, 'out/impressions/log.parquet')}')`,
    );
    // Times in days since the earliest (2024-03-01 10:15 UTC): 23:59:59.5 on the 2nd is 1 day 13:44:59.5 later (1.572911),
    // and the last row's 00:00+02:00 on the 3rd is 22:00 UTC on the 2nd, 1 day 11:45 later (1.489583).
    expect(rows).toEqual([
      { slate_id: 100, user_id: 7, item_id: 3, position: 0, clicked: false, reward: 0, propensity: 0.5, time: 0, epoch: 0, hour_of_day: 10, arm: 'prod', source: 'csv', device: 'phone', watch_minutes: null },
      { slate_id: 100, user_id: 7, item_id: 5, position: 1, clicked: true, reward: 2.5, propensity: 0.25, time: 0, epoch: 0, hour_of_day: 10, arm: 'prod', source: 'csv', device: 'tablet', watch_minutes: null },
      { slate_id: 101, user_id: 8, item_id: 3, position: 0, clicked: false, reward: 0, propensity: 1, time: 1.572911, epoch: 1, hour_of_day: 23, arm: 'prod', source: 'csv', device: 'desk, "big"', watch_minutes: null },
      { slate_id: 102, user_id: 9, item_id: 1, position: 1, clicked: true, reward: 1, propensity: 0.125, time: 1.489583, epoch: 1, hour_of_day: 22, arm: 'prod', source: 'csv', device: 'two\nlines', watch_minutes: null },
    ]);
    // The same rows as Parquet (DuckDB's reading of the CSV) import to the same log.
    const parquet = join(dir, 'log.parquet');
    await sql(`COPY (SELECT * FROM read_csv('${file}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`);
    expect((await cli(['import', 'csv', parquet, ...COLUMNS, '--out', join(dir, 'from-parquet'), '--arm', 'prod'])).code).toBe(0);
    const again = await sql(
      `SELECT slate_id, user_id, item_id, position, clicked, reward, propensity, round(time, 6) AS time, epoch, hour_of_day, arm, source, device, watch_minutes
       FROM read_parquet('${join(dir, 'from-parquet/impressions/log.parquet')}')`,
    );
    expect(again).toEqual(rows);
  });

  it('with only item and click: slot 0, one slate per row, time 0, no user or propensity', async () => {
    const dir = tempDir('recloop-import-csv-');
    const file = join(dir, 'clicks.csv');
    writeFileSync(file, 'item,clicked\n4,true\n2,false\n');
    expect((await cli(['import', 'csv', file, '--item', 'item', '--click', 'clicked', '--out', join(dir, 'out')])).code).toBe(0);
    const rows = await sql(`SELECT slate_id, user_id, item_id, position, clicked, propensity, time, arm FROM read_parquet('${join(dir, 'out/impressions/log.parquet')}')`);
    expect(rows).toEqual([
      { slate_id: 0, user_id: null, item_id: 4, position: 0, clicked: true, propensity: null, time: 0, arm: 'logged' },
      { slate_id: 1, user_id: null, item_id: 2, position: 0, clicked: false, propensity: null, time: 0, arm: 'logged' },
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'out/import.json'), 'utf8'))).toMatchObject({ has_propensity: false, has_user: false, slots: 1, items: 5 });
  });

  it.each([
    ['a column the file lacks', ['--item', 'item_id', '--click', 'reward'], (file: string) => `${file}: missing column "item_id" (item); the file has "uid", "iid", "slot", "reward", "p", "when", "request", "device"`],
    ['a slot past --slots', ['--item', 'iid', '--reward', 'reward', '--position', 'slot', '--slots', '1', '--position-base', '1'], (file: string) => `${file}:3: slot: position 2 is out of range; expected 1 to 1 (1 slots)`],
    ['a propensity of 0', ['--item', 'iid', '--reward', 'reward', '--propensity', 'request'], (file: string) => `${file}:2: request: propensity 100 is out of range; expected a probability in (0, 1]`],
    ['a user id that is text', ['--item', 'iid', '--reward', 'reward', '--user', 'device'], (file: string) => `${file}:2: device: expected a number, found "phone"`],
    ['neither click nor reward', ['--item', 'iid'], (file: string) => `${file}: no click or reward column named; expected --click or --reward`],
  ])('%s: one line naming the file (and line and field), nothing written', async (_what, options, message) => {
    const dir = tempDir('recloop-import-csv-');
    const file = join(dir, 'log.csv');
    writeFileSync(file, LOG);
    const { code, err } = await cli(['import', 'csv', file, ...options, '--out', join(dir, 'out')]);
    expect(err).toBe(`${message(file)}\n`);
    expect(code).toBe(2);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('an unclosed quote and a short row are reported at their line', async () => {
    const dir = tempDir('recloop-import-csv-');
    const short = join(dir, 'short.csv');
    writeFileSync(short, 'item,click\n1,0\n2\n');
    expect((await cli(['import', 'csv', short, '--item', 'item', '--click', 'click', '--out', join(dir, 'a')])).err).toBe(`${short}:3: 1 fields; expected 2, as the header has\n`);
    const open = join(dir, 'open.csv');
    writeFileSync(open, 'item,click\n1,0\n"2,1\n');
    expect((await cli(['import', 'csv', open, '--item', 'item', '--click', 'click', '--out', join(dir, 'b')])).err).toBe(`${open}:3: a quoted field is not closed\n`);
  });
});
