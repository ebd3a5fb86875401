import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { snapshotGraph } from '../src/checkpoint/object-graph.js';
import {
  IMPRESSION_COLUMNS,
  columnOf,
  IMPRESSION_ROW_BYTES,
  ImpressionBuffer,
  SLATE_ROW_BYTES,
  type ImpressionRow,
} from '../src/training/impression-buffer.js';
import { ParquetLogWriter, epochFileName, sqlString } from '../src/training/parquet-log.js';

const ARMS = ['control', 'treatment', "o'brien"]; // a quote, to exercise SQL escaping
const SOURCES = ['popularity', 'two_tower', 'popularity+two_tower', 'fresh'];

/** Deterministic row i of epoch e: slates of ten rows, which share the slate's fields, as the loop logs them. */
function makeRow(i: number, epoch = 7): ImpressionRow {
  const slate = Math.floor(i / 10);
  const clicked = i % 3 === 0;
  const watchMinutes = clicked ? (i % 50) * 0.5 : 0;
  return {
    time: epoch + slate / 1_000,
    epoch,
    slateId: slate,
    userId: (slate * 7) % 1000,
    itemId: (i * 13) % 5000,
    position: i % 10,
    arm: ARMS[slate % ARMS.length],
    source: SOURCES[Math.floor(i / 2) % SOURCES.length],
    propensity: i % 5 === 0 ? 1 : 1 / (1 + (i % 5)),
    clicked,
    watchMinutes,
    watchFraction: watchMinutes / 25,
    completed: clicked && i % 2 === 0,
    liked: i % 11 === 0,
    survey: i % 4 === 0 ? (i % 5) + 1 : null,
    // One slate in seven is logged without its request's context.
    ...(slate % 7 === 0 ? {} : { hourOfDay: slate % 24, pastSessions: slate % 13, requestInSession: slate % 4 }),
  };
}

/** Row i as a buffer gives it back (float32 columns rounded). */
function stored(i: number): ImpressionRow {
  const row = makeRow(i);
  return { ...row, watchMinutes: Math.fround(row.watchMinutes), watchFraction: Math.fround(row.watchFraction) };
}

function fill(buf: ImpressionBuffer, n: number, epoch = 7): void {
  for (let i = 0; i < n; i++) buf.append(makeRow(i, epoch));
}

const N = 5_000;

let tmp: string;
let db: DuckDBInstance;
let con: DuckDBConnection;

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await con.runAndReadAll(sql);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

async function scalar(sql: string): Promise<unknown> {
  const reader = await con.runAndReadAll(sql);
  return reader.getRowsJS()[0][0];
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'recloop-implog-'));
  db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
});

afterAll(async () => {
  con?.closeSync();
  db?.closeSync();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('ImpressionBuffer', () => {
  it('grows past its initial capacity and round-trips rows exactly', () => {
    const buf = new ImpressionBuffer(16);
    fill(buf, N);
    expect(buf.length).toBe(N);
    expect(buf.capacity).toBe(8192); // 16 doubled 9 times
    for (const i of [0, 1, 15, 16, 17, 1234, N - 1]) {
      const expected = makeRow(i);
      expect(buf.row(i)).toEqual(stored(i));
      expect(buf.armOf(i)).toBe(expected.arm);
      expect(buf.sourceOf(i)).toBe(expected.source);
    }
    expect(() => buf.row(N)).toThrow(RangeError);
    expect(() => buf.row(-1)).toThrow(RangeError);
  });

  it('holds no memory until its first row, then its reserved rows in the memory asked for; a checkpoint of it writes none', () => {
    const reserved = 1 << 16;
    const buf = new ImpressionBuffer(reserved, 'shared');
    expect(buf.capacity).toBe(reserved);
    expect(buf.columns.item_id.buffer.byteLength).toBe(0);
    expect(buf.columns.slates.time.buffer.byteLength).toBe(0);
    expect(snapshotGraph(buf).buffers.reduce((sum, b) => sum + b.byteLength, 0)).toBe(0);
    expect(buf.trimmed()).toBe(buf);
    buf.append(makeRow(0));
    expect(buf.capacity).toBe(reserved);
    expect(buf.columns.item_id.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(buf.columns.slates.time.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(buf.columns.item_id.buffer.byteLength).toBe(reserved * IMPRESSION_ROW_BYTES);
    // A slate row for every eight impression rows reserved.
    expect(buf.columns.slates.time.buffer.byteLength).toBe((reserved / 8) * SLATE_ROW_BYTES);
    expect(buf.allocatedBytes).toBe(reserved * IMPRESSION_ROW_BYTES + (reserved / 8) * SLATE_ROW_BYTES);
    expect(buf.row(0)).toEqual(stored(0));
  });

  it('trimmed() copies exactly its rows and strings into a buffer without spare rows, or is itself when full', () => {
    const buf = new ImpressionBuffer(16);
    fill(buf, N);
    const trimmed = buf.trimmed();
    expect(trimmed).not.toBe(buf);
    expect(trimmed.capacity).toBe(N);
    expect(trimmed.strings).toEqual(buf.strings);
    expect(trimmed.columns.slates.time.length).toBe(N / 10);
    expect(trimmed.allocatedBytes).toBe(N * IMPRESSION_ROW_BYTES + (N / 10) * SLATE_ROW_BYTES);
    for (const { name } of IMPRESSION_COLUMNS) expect(columnOf(trimmed.columns, name)).toEqual(columnOf(buf.columns, name));
    expect(trimmed.columns.slate_row).toEqual(buf.columns.slate_row);
    // A copy: rows appended to the original later do not reach it.
    buf.append(makeRow(N));
    expect(trimmed.length).toBe(N);
    expect(trimmed.trimmed()).toBe(trimmed);
  });

  it('a buffer in shared memory reaches another thread without a copy; over() wraps rows as they are; clear() refuses, append copies out', async () => {
    const shared = new ImpressionBuffer(N, 'shared');
    fill(shared, N);
    expect(shared.columns.item_id.buffer).toBeInstanceOf(SharedArrayBuffer);
    // A real worker thread receives the columns, writes into them and posts them back.
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.once('message', (columns) => { columns.slates.user_id[0] = 424242; parentPort.postMessage(columns.item_id.buffer instanceof SharedArrayBuffer && columns.slates.time.buffer instanceof SharedArrayBuffer); });`,
      { eval: true },
    );
    const received = await new Promise<boolean>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage(shared.columns);
    });
    await worker.terminate();
    expect(received).toBe(true);
    expect(shared.columns.slates.user_id[0]).toBe(424242); // the worker wrote the same memory
    shared.columns.slates.user_id[0] = makeRow(0).userId;

    const wrapped = ImpressionBuffer.over({ columns: shared.columns, strings: shared.strings });
    expect(wrapped.length).toBe(N);
    expect(wrapped.strings).toEqual(shared.strings);
    for (const i of [0, 1, 2048, N - 1]) expect(wrapped.row(i)).toEqual(shared.row(i));
    expect(wrapped.columns.item_id.buffer).toBe(shared.columns.item_id.buffer); // not copied
    expect(wrapped.columns.slates.time.buffer).toBe(shared.columns.slates.time.buffer);
    // Rows other threads read are never overwritten: clear() refuses, and an append copies out first.
    expect(() => shared.clear()).toThrow(/shared with other threads/);
    expect(() => wrapped.clear()).toThrow(/shared with other threads/);
    wrapped.append(makeRow(N));
    expect(wrapped.columns.item_id.buffer).toBeInstanceOf(ArrayBuffer);
    expect(wrapped.columns.slates.time.buffer).toBeInstanceOf(ArrayBuffer);
    expect(wrapped.row(N)).toEqual(stored(N));
    expect(wrapped.row(3)).toEqual(shared.row(3));
    wrapped.clear();
    wrapped.append(makeRow(7));
    expect(shared.row(0)).toEqual(stored(0));
    // An append that continues the last slate opens no slate row, yet copies the slate rows out too.
    const continued = ImpressionBuffer.over({ columns: shared.columns, strings: shared.strings });
    continued.append({ ...makeRow(N - 1), itemId: 1 });
    expect(continued.columns.slates.time.buffer).toBeInstanceOf(ArrayBuffer);
    continued.clear();
    continued.append(makeRow(N - 10));
    expect(shared.row(0)).toEqual(stored(0));
    const columns = shared.columns;
    expect(() => ImpressionBuffer.over({ columns: { ...columns, position: columns.position.subarray(1) }, strings: shared.strings })).toThrow(/column position holds 4999 rows, slate_row 5000/);
    expect(() => ImpressionBuffer.over({ columns: { ...columns, slates: { ...columns.slates, epoch: columns.slates.epoch.subarray(1) } }, strings: shared.strings })).toThrow(/slate column epoch holds 499 rows, time 500/);
    const pastTheEnd = columns.slate_row.slice();
    pastTheEnd[N - 1] = N / 10;
    expect(() => ImpressionBuffer.over({ columns: { ...columns, slate_row: pastTheEnd }, strings: shared.strings })).toThrow(/row 4999 points to slate row 500 \(500 slate rows, in order\)/);
    const backwards = columns.slate_row.slice();
    backwards[20] = 0;
    expect(() => ImpressionBuffer.over({ columns: { ...columns, slate_row: backwards }, strings: shared.strings })).toThrow(/row 20 points to slate row 0 /);
    expect(ImpressionBuffer.over({ columns: new ImpressionBuffer(4).columns, strings: ['a'] }).length).toBe(0);
  });

  it('dictionary-encodes arm and source into one shared string table', () => {
    const buf = new ImpressionBuffer();
    fill(buf, 100);
    expect([...buf.strings].sort()).toEqual([...ARMS, ...SOURCES].sort());
    const cols = buf.columns;
    expect(cols.slates.arm.length).toBe(10);
    expect(cols.slates.arm).toBeInstanceOf(Int32Array);
    for (let i = 0; i < 100; i++) {
      expect(buf.stringOf(cols.slates.arm[cols.slate_row[i]])).toBe(ARMS[Math.floor(i / 10) % ARMS.length]);
      expect(cols.source[i]).toBe(buf.codeOf(SOURCES[Math.floor(i / 2) % SOURCES.length]));
    }
    expect(buf.codeOf('nope')).toBe(-1);
    expect(() => buf.stringOf(999)).toThrow(RangeError);
  });

  it('exposes length-trimmed typed columns with 0/1 booleans and 0 = null survey', () => {
    const buf = new ImpressionBuffer(4);
    fill(buf, 10);
    const c = buf.columns;
    expect(c.slates.time).toBeInstanceOf(Float64Array);
    expect(c.watch_minutes).toBeInstanceOf(Float32Array);
    expect(c.clicked).toBeInstanceOf(Uint8Array);
    expect(c.survey).toBeInstanceOf(Int8Array);
    for (const spec of IMPRESSION_COLUMNS) expect(columnOf(c, spec.name).length).toBe(spec.level === 'slate' ? 1 : 10);
    expect([...c.slate_row]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...c.clicked]).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
    expect([...c.survey]).toEqual([1, 0, 0, 0, 5, 0, 0, 0, 4, 0]);
    expect([...c.position]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps a slate\'s fields once a slate row, opens a new one when any of them changes, and reads every row back as appended', () => {
    const base = stored(0);
    // Each of the slate's fields changed alone, a zero of the other sign, the context left out.
    const changes: Partial<ImpressionRow>[] = [
      {},
      { time: base.time + 1e-9 },
      { epoch: 8 },
      { slateId: 1 },
      { userId: 1 },
      { arm: 'treatment' },
      { hourOfDay: 5 },
      { pastSessions: 2 },
      { requestInSession: 3 },
      { hourOfDay: undefined, pastSessions: undefined, requestInSession: undefined },
    ];
    const appended: ImpressionRow[] = [];
    for (const change of changes) for (let p = 0; p < 3; p++) appended.push({ ...base, ...change, itemId: appended.length, position: p });
    // A row's own time: one slate row each (a log from elsewhere).
    for (const time of [0, -0, 0]) appended.push({ ...base, time, slateId: 9, itemId: appended.length });
    const buf = new ImpressionBuffer(2, 'private', 1);
    for (const row of appended) buf.append(row);
    expect(buf.columns.slates.time.length).toBe(changes.length + 3);
    expect([...buf.columns.slate_row.subarray(0, 6)]).toEqual([0, 0, 0, 1, 1, 1]);
    for (let i = 0; i < appended.length; i++) {
      const { hourOfDay, pastSessions, requestInSession, ...rest } = appended[i];
      expect(buf.row(i)).toEqual({ ...rest, ...(hourOfDay === undefined ? {} : { hourOfDay }), ...(pastSessions === undefined ? {} : { pastSessions }), ...(requestInSession === undefined ? {} : { requestInSession }) });
    }
    expect(Object.is(buf.row(appended.length - 2).time, -0)).toBe(true);

    // A snapshot's slate rows stay as they were while rows are appended.
    const snap = buf.snapshot();
    const before = snap.columns.slates.user_id.slice();
    buf.append({ ...appended[appended.length - 1], userId: 77 });
    expect(snap.columns.slates.user_id).toEqual(before);
    snap.release();

    // A merge's slates: the slate id given, the string codes mapped, the slate's fields copied once.
    const merged = new ImpressionBuffer(4, 'private', 1);
    merged.intern('other');
    const codes = merged.codesFor(buf.strings);
    merged.appendSlate(buf.columns, codes, 0, 3, 40);
    merged.appendSlate(buf.columns, codes, 3, 6, 41);
    expect(merged.columns.slates.slate_id).toEqual(Int32Array.from([40, 41]));
    expect(merged.row(4)).toEqual({ ...buf.row(4), slateId: 41 });
    expect(merged.columns.slates.arm[0]).toBe(merged.codeOf(base.arm));
  });

  it('rejects a survey outside 1..5 (0 is the null sentinel)', () => {
    const buf = new ImpressionBuffer();
    expect(() => buf.append({ ...makeRow(0), survey: 0 })).toThrow(RangeError);
    expect(() => buf.append({ ...makeRow(0), survey: 6 })).toThrow(RangeError);
    expect(() => buf.append({ ...makeRow(0), survey: 2.5 })).toThrow(RangeError);
    expect(buf.length).toBe(0);
  });

  it('clear() resets length but keeps capacity and string codes; refuses while pinned', () => {
    const buf = new ImpressionBuffer(8);
    fill(buf, 100);
    const cap = buf.capacity;
    const armCode = buf.codeOf('treatment');
    buf.clear();
    expect(buf.length).toBe(0);
    expect(buf.capacity).toBe(cap);
    expect(buf.columns.item_id.length).toBe(0);
    expect(buf.columns.slates.time.length).toBe(0);
    expect(() => buf.row(0)).toThrow(RangeError);
    buf.append(makeRow(1, 9));
    expect(buf.length).toBe(1);
    expect(buf.row(0)).toMatchObject({ epoch: 9, arm: 'control', slateId: 0, userId: 0 });
    buf.append(makeRow(11, 9));
    expect(buf.row(1)).toMatchObject({ epoch: 9, arm: 'treatment', slateId: 1, userId: 7 });
    expect(buf.columns.slates.arm[1]).toBe(armCode);
    expect([...buf.columns.slate_row]).toEqual([0, 1]);

    const snap = buf.snapshot();
    expect(() => buf.clear()).toThrow(/snapshot/);
    buf.append(makeRow(12, 9)); // appending while pinned is allowed
    expect(snap.length).toBe(2);
    snap.release();
    snap.release(); // idempotent
    buf.clear();
    expect(buf.length).toBe(0);
  });
});

describe('ParquetLogWriter', () => {
  let writer: ParquetLogWriter;
  let buf: ImpressionBuffer;
  let file: string;

  beforeAll(async () => {
    writer = await ParquetLogWriter.open(path.join(tmp, 'run'));
    buf = new ImpressionBuffer(64);
    fill(buf, N);
    file = await writer.writeEpoch(7, buf);
  });

  afterAll(async () => {
    await writer?.close();
  });

  it('writes impressions/epoch-00007.parquet and leaves no temp file', async () => {
    expect(file).toBe(path.join(tmp, 'run', 'impressions', 'epoch-00007.parquet'));
    expect(epochFileName(123)).toBe('epoch-00123.parquet');
    expect((await stat(file)).size).toBeGreaterThan(1000);
    expect(await readdir(path.join(tmp, 'run', 'impressions'))).toEqual(['epoch-00007.parquet']);
    expect(writer.transfer).toBe('raw');
  });

  it('has the schema: names, order and types', async () => {
    const desc = await rows(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
    expect(desc.map((r) => r.column_name)).toEqual(IMPRESSION_COLUMNS.map((c) => c.name));
    expect(desc.map((r) => r.column_type)).toEqual(IMPRESSION_COLUMNS.map((c) => c.sqlType));
    expect(desc.map((r) => r.column_type)).toEqual([
      'DOUBLE', 'INTEGER', 'INTEGER', 'INTEGER', 'INTEGER', 'INTEGER', 'VARCHAR', 'VARCHAR',
      'DOUBLE', 'BOOLEAN', 'FLOAT', 'FLOAT', 'BOOLEAN', 'BOOLEAN', 'TINYINT', 'INTEGER', 'INTEGER',
      'INTEGER',
    ]);
  });

  it('preserves row count, order and exact values', async () => {
    expect(await scalar(`SELECT count(*) FROM read_parquet(${sqlString(file)})`)).toBe(BigInt(N));
    const picks = [0, 1, 2, 3, 4, 63, 64, 65, 2047, 2048, 2049, 4095, 4096, N - 1];
    const got = await rows(
      `SELECT * FROM (SELECT row_number() OVER () - 1 AS i, * FROM read_parquet(${sqlString(file)}))
       WHERE i IN (${picks.join(',')}) ORDER BY i`,
    );
    expect(got.length).toBe(picks.length);
    for (const r of got) {
      const i = Number(r.i);
      const e = makeRow(i);
      expect({ ...r, i }).toEqual({
        i,
        time: e.time,
        epoch: 7,
        slate_id: e.slateId,
        user_id: e.userId,
        item_id: e.itemId,
        position: e.position,
        arm: e.arm,
        source: e.source,
        propensity: e.propensity,
        clicked: e.clicked,
        watch_minutes: Math.fround(e.watchMinutes),
        watch_fraction: Math.fround(e.watchFraction),
        completed: e.completed,
        liked: e.liked,
        survey: e.survey,
        hour_of_day: e.hourOfDay ?? null,
        past_sessions: e.pastSessions ?? null,
        request_in_session: e.requestInSession ?? null,
      });
    }
    // Row order equals append order across the 2048-row slice boundaries (slate 204's rows span one).
    const ordered = await scalar(
      `WITH t AS (SELECT row_number() OVER () - 1 AS i, user_id, item_id FROM read_parquet(${sqlString(file)}))
       SELECT bool_and(item_id = (i * 13) % 5000 AND user_id = (i // 10 * 7) % 1000) FROM t`,
    );
    expect(ordered).toBe(true);
  });

  it('writes NULL for unanswered surveys and 1..5 otherwise', async () => {
    const [r] = await rows(
      `SELECT count(*) FILTER (WHERE survey IS NULL) AS nulls,
              count(survey) AS answered, sum(survey) AS total, min(survey) AS lo, max(survey) AS hi
       FROM read_parquet(${sqlString(file)})`,
    );
    let answered = 0;
    let total = 0;
    for (let i = 0; i < N; i++) {
      const s = makeRow(i).survey;
      if (s !== null) {
        answered++;
        total += s;
      }
    }
    expect(Number(r.answered)).toBe(answered);
    expect(Number(r.nulls)).toBe(N - answered);
    expect(Number(r.total)).toBe(total);
    expect(r.lo).toBe(1);
    expect(r.hi).toBe(5);
  });

  it('writes NULL for the request context of rows logged without it, and 0 where it is 0', async () => {
    const [r] = await rows(
      `SELECT count(*) FILTER (WHERE hour_of_day IS NULL AND past_sessions IS NULL AND request_in_session IS NULL) AS unlogged,
              count(*) FILTER (WHERE request_in_session = 0) AS starts
       FROM read_parquet(${sqlString(file)})`,
    );
    const rowsOf = Array.from({ length: N }, (_, i) => makeRow(i));
    expect(Number(r.unlogged)).toBe(rowsOf.filter((e) => e.pastSessions === undefined).length);
    expect(Number(r.starts)).toBe(rowsOf.filter((e) => e.requestInSession === 0).length);
  });

  it('aggregates match: clicks, watch minutes, counts by source and arm', async () => {
    const expectClicks = Array.from({ length: N }, (_, i) => makeRow(i)).filter((r) => r.clicked).length;
    expect(await scalar(`SELECT sum(clicked::INTEGER) FROM read_parquet(${sqlString(file)})`)).toBe(
      BigInt(expectClicks),
    );
    let minutes = 0;
    for (let i = 0; i < N; i++) minutes += Math.fround(makeRow(i).watchMinutes);
    const gotMinutes = Number(await scalar(`SELECT sum(watch_minutes::DOUBLE) FROM read_parquet(${sqlString(file)})`));
    expect(gotMinutes).toBeCloseTo(minutes, 6);

    const bySource = await rows(
      `SELECT source, count(*) AS n FROM read_parquet(${sqlString(file)}) GROUP BY source ORDER BY source`,
    );
    const expectedBySource = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const s = makeRow(i).source;
      expectedBySource.set(s, (expectedBySource.get(s) ?? 0) + 1);
    }
    expect(bySource.map((r) => [r.source, Number(r.n)])).toEqual(
      [...expectedBySource.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    );
    expect(bySource.map((r) => Number(r.n))).toEqual([1250, 1250, 1250, 1250]);

    const byArm = await rows(
      `SELECT arm, count(*) AS n FROM read_parquet(${sqlString(file)}) GROUP BY arm ORDER BY arm`,
    );
    const armCounts = new Map<string, number>();
    for (let i = 0; i < N; i++) armCounts.set(makeRow(i).arm, (armCounts.get(makeRow(i).arm) ?? 0) + 1);
    expect(byArm.map((r) => [r.arm, Number(r.n)])).toEqual([...armCounts].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    expect(armCounts.get('control')).toBe(1670); // 167 slates of ten
  });

  it('an empty buffer writes a readable empty file with the schema', async () => {
    const empty = new ImpressionBuffer();
    const p = await writer.writeEpoch(0, empty);
    expect(path.basename(p)).toBe('epoch-00000.parquet');
    expect(await scalar(`SELECT count(*) FROM read_parquet(${sqlString(p)})`)).toBe(0n);
    const desc = await rows(`DESCRIBE SELECT * FROM read_parquet(${sqlString(p)})`);
    expect(desc.map((r) => [r.column_name, r.column_type])).toEqual(
      IMPRESSION_COLUMNS.map((c) => [c.name, c.sqlType]),
    );
  });

  it('two epochs write two files that read back together', async () => {
    const b8 = new ImpressionBuffer();
    fill(b8, 300, 8);
    const b9 = new ImpressionBuffer();
    fill(b9, 200, 9);
    const [p8, p9] = await Promise.all([writer.writeEpoch(8, b8), writer.writeEpoch(9, b9)]);
    expect(path.basename(p8)).toBe('epoch-00008.parquet');
    expect(path.basename(p9)).toBe('epoch-00009.parquet');
    const glob = sqlString(path.join(writer.impressionsDir, 'epoch-0000[89].parquet'));
    const got = await rows(`SELECT epoch, count(*) AS n, min(time) AS t0 FROM read_parquet(${glob}) GROUP BY epoch ORDER BY epoch`);
    expect(got.map((r) => [r.epoch, Number(r.n), r.t0])).toEqual([
      [8, 300, 8],
      [9, 200, 9],
    ]);
    expect((await readdir(writer.impressionsDir)).sort()).toEqual([
      'epoch-00000.parquet',
      'epoch-00007.parquet',
      'epoch-00008.parquet',
      'epoch-00009.parquet',
    ]);
  });

  it('pins the buffer while writing: rows appended after the call are not written; clear() throws', async () => {
    const b = new ImpressionBuffer(8);
    fill(b, 100, 10);
    const pending = writer.writeEpoch(10, b);
    expect(() => b.clear()).toThrow();
    for (let i = 100; i < 5000; i++) b.append(makeRow(i, 10)); // forces reallocation mid-write
    const p = await pending;
    expect(await scalar(`SELECT count(*) FROM read_parquet(${sqlString(p)})`)).toBe(100n);
    expect(await scalar(`SELECT max(user_id) FROM read_parquet(${sqlString(p)})`)).toBe(63); // slate 9's user
    b.clear(); // released after the write
    expect(b.length).toBe(0);
  });

  it('rows in shared memory (the merged log of a run split over threads) write the same file', async () => {
    const shared = new ImpressionBuffer(N, 'shared');
    fill(shared, N);
    const written = await writer.writeEpoch(11, shared);
    const differing = await scalar(
      `SELECT count(*) FROM (SELECT * EXCLUDE (epoch) FROM read_parquet(${sqlString(written)}) EXCEPT ALL SELECT * EXCLUDE (epoch) FROM read_parquet(${sqlString(file)}))`,
    );
    expect(differing).toBe(0n);
    expect(await scalar(`SELECT count(*) FROM read_parquet(${sqlString(written)})`)).toBe(BigInt(N));
  });

  it('the public-API fallback transfer writes identical data', async () => {
    const w2 = await ParquetLogWriter.open(path.join(tmp, 'run-vector'), { transfer: 'vector' });
    try {
      expect(w2.transfer).toBe('vector');
      const p = await w2.writeEpoch(7, buf);
      const diff = await scalar(
        `SELECT count(*) FROM (
           (SELECT * FROM read_parquet(${sqlString(p)}) EXCEPT ALL SELECT * FROM read_parquet(${sqlString(file)}))
           UNION ALL
           (SELECT * FROM read_parquet(${sqlString(file)}) EXCEPT ALL SELECT * FROM read_parquet(${sqlString(p)})))`,
      );
      expect(diff).toBe(0n);
      expect(await scalar(`SELECT count(*) FROM read_parquet(${sqlString(p)})`)).toBe(BigInt(N));
    } finally {
      await w2.close();
    }
  });

  it.each([
    ['8-bit', 250],
    ['16-bit', 300],
    ['32-bit', 70_000],
  ])('decodes string codes of %s enum storage (%i distinct sources), raw and vector transfer', async (_w, k) => {
    const b = new ImpressionBuffer();
    const rowsN = Math.max(k, 3000);
    for (let i = 0; i < rowsN; i++) b.append({ ...makeRow(i), source: `src-${i % k}`, arm: i % 2 ? 'b' : "a'" });
    expect(b.strings.length).toBe(k + 2);
    for (const transfer of ['raw', 'vector'] as const) {
      const w = await ParquetLogWriter.open(path.join(tmp, `run-enum-${k}-${transfer}`), { transfer });
      try {
        const p = await w.writeEpoch(3, b);
        const [r] = await rows(
          `WITH t AS (SELECT row_number() OVER () - 1 AS i, * FROM read_parquet(${sqlString(p)}))
           SELECT count(*) AS n,
                  count(*) FILTER (WHERE source = 'src-' || (i % ${k})) AS src_ok,
                  count(*) FILTER (WHERE arm = CASE WHEN i % 2 = 1 THEN 'b' ELSE 'a''' END) AS arm_ok,
                  count(DISTINCT source) AS distinct_sources, any_value(typeof(source)) AS t
           FROM t`,
        );
        expect({ ...r, n: Number(r.n), src_ok: Number(r.src_ok), arm_ok: Number(r.arm_ok), distinct_sources: Number(r.distinct_sources) }).toEqual({
          n: rowsN,
          src_ok: rowsN,
          arm_ok: rowsN,
          distinct_sources: k,
          t: 'VARCHAR',
        });
      } finally {
        await w.close();
      }
    }
  });

  it('handles quotes in the directory path and overwrites an existing epoch file', async () => {
    const w3 = await ParquetLogWriter.open(path.join(tmp, "it's a run"));
    try {
      const small = new ImpressionBuffer();
      fill(small, 10);
      await w3.writeEpoch(1, small);
      fill(small, 5); // 15 rows now
      const p = await w3.writeEpoch(1, small);
      expect(p).toContain("it's a run");
      expect(await scalar(`SELECT count(*) FROM read_parquet(${sqlString(p)})`)).toBe(15n);
      expect(await readdir(w3.impressionsDir)).toEqual(['epoch-00001.parquet']);
    } finally {
      await w3.close();
    }
  });

  it('refuses corrupted stored values (written through columns) and stays usable', async () => {
    for (const [col, bad] of [['arm', 99], ['source', -1], ['clicked', 2]] as const) {
      const b = new ImpressionBuffer();
      fill(b, 3000);
      const c = b.columns;
      if (col === 'arm') c.slates.arm[c.slate_row[2500]] = bad; // the slate's first row
      else c[col][2500] = bad;
      await expect(writer.writeEpoch(42, b)).rejects.toThrow(`impression column ${col}, row 2500: invalid stored value ${bad}`);
    }
    expect((await readdir(writer.impressionsDir)).filter((f) => f.includes('00042'))).toEqual([]);
    const ok = new ImpressionBuffer();
    fill(ok, 10);
    const p = await writer.writeEpoch(42, ok);
    expect(await scalar(`SELECT count(*) FROM read_parquet(${sqlString(p)})`)).toBe(10n);
  });

  it('rejects bad epochs and use after close', async () => {
    const w4 = await ParquetLogWriter.open(path.join(tmp, 'run-closed'));
    await expect(w4.writeEpoch(-1, buf)).rejects.toThrow(RangeError);
    await expect(w4.writeEpoch(1.5, buf)).rejects.toThrow(RangeError);
    await w4.close();
    await w4.close(); // idempotent
    await expect(w4.writeEpoch(1, buf)).rejects.toThrow(/closed/);
    expect(() => buf.clear()).not.toThrow(); // no pins leaked by rejected calls
    fill(buf, N); // restore for any later use
  });
});
