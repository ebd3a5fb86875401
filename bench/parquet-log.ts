/**
 * Impression log throughput: ImpressionBuffer.append and ParquetLogWriter.writeEpoch.
 *
 *   npx tsx bench/parquet-log.ts            # 2,000,000 rows
 *   npx tsx bench/parquet-log.ts 500000     # other row count
 *   npx tsx bench/parquet-log.ts --compare  # also: vector transfer, codecs, appender+temp-table route
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import {
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  FLOAT,
  INTEGER,
  TINYINT,
  type DuckDBType,
} from '@duckdb/node-api';

import { columnOf, IMPRESSION_COLUMNS, ImpressionBuffer, type ImpressionRow } from '../src/training/impression-buffer.js';
import {
  ParquetLogWriter,
  sqlString,
  type ParquetCompression,
  type ParquetTransfer,
} from '../src/training/parquet-log.js';

const args = process.argv.slice(2);
const compare = args.includes('--compare');
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 2_000_000);

const ARMS = ['control', 'treatment'];
const SOURCES = ['popularity', 'two_tower', 'fresh', 'popularity+two_tower'];

/** Deterministic 32-bit generator (no Math.random). */
function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

function fillBuffer(buf: ImpressionBuffer, n: number): number {
  const next = makeRng(42);
  const row: ImpressionRow = {
    time: 0, epoch: 3, slateId: 0, userId: 0, itemId: 0, position: 0, arm: ARMS[0], source: SOURCES[0],
    propensity: 1, clicked: false, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null,
  };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = next();
    const slate = Math.floor(i / 10);
    const clicked = (r & 15) === 0;
    const frac = clicked ? (r >>> 8) / 16777216 : 0;
    // Fresh object per row, as a simulator would produce.
    buf.append({
      ...row,
      time: 3 + (slate * 10) / n, // a slate's rows share its time, as a simulator logs them
      slateId: slate,
      userId: slate % 200_000,
      itemId: (r >>> 4) % 100_000,
      position: i % 10,
      arm: ARMS[slate & 1],
      source: SOURCES[(r >>> 20) & 3],
      propensity: 1 / (1 + (i % 10)),
      clicked,
      watchMinutes: frac * 40,
      watchFraction: frac,
      completed: frac > 0.9,
      liked: clicked && (r & 0x300) === 0,
      survey: (r & 0x7c00) === 0 ? 1 + ((r >>> 16) % 5) : null,
    });
  }
  return performance.now() - t0;
}

const fmtRate = (rows: number, ms: number) => `${((rows / ms) * 1000 / 1e6).toFixed(2)} M rows/s`;
const fmtMB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function timeWrite(
  dir: string,
  buf: ImpressionBuffer,
  opts: { transfer?: ParquetTransfer; compression?: ParquetCompression },
  reps = 3,
): Promise<{ ms: number; bytes: number; transfer: ParquetTransfer; path: string }> {
  const w = await ParquetLogWriter.open(dir, opts);
  try {
    let best = Infinity;
    let p = '';
    for (let k = 0; k < reps; k++) {
      const t0 = performance.now();
      p = await w.writeEpoch(k, buf);
      best = Math.min(best, performance.now() - t0);
    }
    return { ms: best, bytes: (await stat(p)).size, transfer: w.transfer, path: p };
  } finally {
    await w.close();
  }
}

/** The other route: DataChunk + appender into a temp table, then COPY from it. */
async function appenderRoute(buf: ImpressionBuffer, file: string): Promise<{ appendMs: number; copyMs: number }> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    const wire: Record<string, DuckDBType> = { DOUBLE, FLOAT, INTEGER, TINYINT, BOOLEAN, VARCHAR: INTEGER };
    const types = IMPRESSION_COLUMNS.map((c) => wire[c.sqlType]);
    await con.run(
      `CREATE TEMP TABLE t (${IMPRESSION_COLUMNS.map((c, i) => `"${c.name}" ${types[i].toString()}`).join(', ')})`,
    );
    const t0 = performance.now();
    const app = await con.createAppender('t');
    const cols = buf.columns;
    const arrays = IMPRESSION_COLUMNS.map((c) => columnOf(cols, c.name));
    // A slate's column holds one value a slate row.
    const at = IMPRESSION_COLUMNS.map((c) => (c.level === 'slate' ? (r: number) => cols.slate_row[r] : (r: number) => r));
    const chunk = DuckDBDataChunk.create(types);
    for (let off = 0; off < buf.length; off += 2048) {
      const n = Math.min(2048, buf.length - off);
      chunk.reset();
      chunk.rowCount = n;
      for (let c = 0; c < arrays.length; c++) {
        const v = chunk.getColumnVector(c);
        const a = arrays[c];
        const row = at[c];
        if (IMPRESSION_COLUMNS[c].sqlType === 'BOOLEAN') for (let j = 0; j < n; j++) v.setItem(j, a[row(off + j)] !== 0);
        else for (let j = 0; j < n; j++) v.setItem(j, a[row(off + j)]);
        v.flush();
      }
      app.appendDataChunk(chunk);
    }
    app.closeSync();
    const t1 = performance.now();
    const dict = `CAST([${buf.strings.map(sqlString).join(', ')}] AS VARCHAR[])`;
    await con.run(
      `COPY (SELECT * REPLACE (list_extract(${dict}, arm + 1) AS arm, list_extract(${dict}, source + 1) AS source, NULLIF(survey, 0) AS survey) FROM t)
       TO ${sqlString(file)} (FORMAT parquet, COMPRESSION ZSTD)`,
    );
    const t2 = performance.now();
    await con.run('DROP TABLE t');
    return { appendMs: t1 - t0, copyMs: t2 - t1 };
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'recloop-bench-'));
  try {
    console.log(`impression log bench: ${N.toLocaleString('en-US')} rows, node ${process.version}`);

    // Warm-up append (JIT), then the measured one into a fresh buffer.
    fillBuffer(new ImpressionBuffer(), Math.min(N, 200_000));
    const buf = new ImpressionBuffer();
    const appendMs = fillBuffer(buf, N);
    const bytesPerRow = Math.round(buf.allocatedBytes / buf.capacity);
    const heapMB = buf.allocatedBytes / 1e6;
    console.log(
      `append:     ${appendMs.toFixed(0)} ms  ${fmtRate(N, appendMs)}  (capacity ${buf.capacity.toLocaleString('en-US')} rows, ${bytesPerRow} B/row, ${heapMB.toFixed(0)} MB of typed arrays)`,
    );

    const main = await timeWrite(path.join(tmp, 'main'), buf, {});
    console.log(
      `writeEpoch: ${main.ms.toFixed(0)} ms  ${fmtRate(N, main.ms)}  file ${fmtMB(main.bytes)} (${(main.bytes / N).toFixed(1)} B/row)  [transfer=${main.transfer}, zstd, best of 3]`,
    );

    if (compare) {
      for (const compression of ['snappy', 'uncompressed'] as const) {
        const r = await timeWrite(path.join(tmp, compression), buf, { compression });
        console.log(`  ${compression.padEnd(12)} ${r.ms.toFixed(0)} ms  ${fmtRate(N, r.ms)}  file ${fmtMB(r.bytes)}`);
      }
      const vec = await timeWrite(path.join(tmp, 'vector'), buf, { transfer: 'vector' }, 1);
      console.log(`  transfer=vector (public setItem API)  ${vec.ms.toFixed(0)} ms  ${fmtRate(N, vec.ms)}`);
      const ap = await appenderRoute(buf, path.join(tmp, 'appender.parquet'));
      const tot = ap.appendMs + ap.copyMs;
      console.log(
        `  appender+temp table route: append ${ap.appendMs.toFixed(0)} ms + COPY ${ap.copyMs.toFixed(0)} ms = ${tot.toFixed(0)} ms  ${fmtRate(N, tot)}`,
      );
    }

    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const check = await con.runAndReadAll(
      `SELECT count(*), sum(clicked::INTEGER), count(survey) FROM read_parquet(${sqlString(main.path)})`,
    );
    con.closeSync();
    db.closeSync();
    const [count, clicks, surveys] = check.getRowsJS()[0];
    let expectClicks = 0;
    let expectSurveys = 0;
    const cols = buf.columns;
    for (let i = 0; i < N; i++) {
      expectClicks += cols.clicked[i];
      if (cols.survey[i] !== 0) expectSurveys++;
    }
    const ok = Number(count) === N && Number(clicks) === expectClicks && Number(surveys) === expectSurveys;
    console.log(`check: ${count} rows, ${clicks} clicks, ${surveys} surveys -> ${ok ? 'OK' : 'MISMATCH'}`);
    if (!ok) process.exitCode = 1;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
