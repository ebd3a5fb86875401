/**
 * Writes finished epochs of the impression log to Parquet through DuckDB.
 *
 * How the rows get into DuckDB (measured, see bench/parquet-log.ts): the
 * buffer is exposed to DuckDB as a table function (`recloop_impression_scan`)
 * that hands out 2048-row slices of the typed arrays, and
 * `COPY (SELECT ... FROM recloop_impression_scan()) TO 'file' (FORMAT parquet)`
 * streams them straight into the Parquet writer. No temporary table is built,
 * so DuckDB never holds a second copy of the epoch.
 *
 * Each slice is moved with one memcpy per column (`copy_data_to_vector` from
 * `@duckdb/node-bindings`, the native layer `@duckdb/node-api` is built on,
 * loaded from node-api's own location so it is always the matching version).
 * If that layer is unavailable, the writer falls back to node-api's public
 * per-value `DuckDBVector.setItem` + `flush` (~2.5x slower end to end; same file).
 *
 * `arm`/`source` travel as an ENUM whose members are the buffer's string
 * table, so the codes are the enum's storage (narrowed to 8/16 bits per slice
 * when the table is small) and the SELECT casts them to VARCHAR (a plain
 * STRING column in the file; measured ~2x less CPU than decoding through a
 * list literal, and no string values ever appear in SQL text). `survey`
 * travels as Int8 with 0 = null, the request context's three columns as Int32
 * with -1 = null; NULLIF makes them NULL.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import {
  BOOLEAN,
  DOUBLE,
  DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  DuckDBTableFunction,
  DuckDBTypeId,
  DuckDBVector,
  ENUM,
  FLOAT,
  INTEGER,
  TINYINT,
  type DuckDBType,
} from '@duckdb/node-api';

import {
  IMPRESSION_COLUMNS,
  type ImpressionBuffer,
  columnOf,
  type ColumnArray,
  type ImpressionSnapshot,
  type ImpressionStorage,
} from './impression-buffer.js';

export type ParquetCompression = 'snappy' | 'zstd' | 'gzip' | 'lz4' | 'uncompressed';

/**
 * `raw`: one memcpy per column per 2048-row slice (falls back to `vector` if
 * the native bindings cannot be loaded). `vector`: node-api's public
 * per-value API only.
 */
export type ParquetTransfer = 'raw' | 'vector';

export interface ParquetLogWriterOptions {
  /** Parquet compression codec. Default 'zstd'. */
  compression?: ParquetCompression;
  /** Row group size in rows. Default DuckDB's (122880). */
  rowGroupSize?: number;
  /** How slices are moved into DuckDB. Default 'raw'. */
  transfer?: ParquetTransfer;
}

/** `epoch-00007.parquet`: 5-digit zero padded, so files sort by epoch up to 99999. */
export function epochFileName(epoch: number): string {
  return `epoch-${String(epoch).padStart(5, '0')}.parquet`;
}

/** A single-quoted SQL string literal. */
export function sqlString(s: string): string {
  if (s.includes('\0')) throw new RangeError('SQL string literal may not contain NUL characters');
  return `'${s.replaceAll("'", "''")}'`;
}

/** A double-quoted SQL identifier. */
function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

const SCAN_FUNCTION = 'recloop_impression_scan';
const CODEC_SQL: Record<ParquetCompression, string> = {
  snappy: 'SNAPPY',
  zstd: 'ZSTD',
  gzip: 'GZIP',
  lz4: 'LZ4_RAW',
  uncompressed: 'UNCOMPRESSED',
};

/** Column types as the table function emits them (before decoding in SQL); dict columns use the per-write ENUM. */
const WIRE_TYPE: Record<Exclude<ImpressionStorage, 'dict-i32'>, DuckDBType> = {
  float64: DOUBLE,
  float32: FLOAT,
  int32: INTEGER,
  'int8-null0': TINYINT,
  'int32-null-neg': INTEGER,
  'bool-u8': BOOLEAN,
};

type RawDataChunk = DuckDBDataChunk['chunk'];
type RawVector = Parameters<typeof DuckDBVector.create>[0];

/** The part of `@duckdb/node-bindings` the raw transfer needs. */
interface RawBindings {
  readonly sizeof_bool: number;
  vector_size(): number;
  data_chunk_get_vector(chunk: RawDataChunk, columnIndex: number): RawVector;
  copy_data_to_vector(
    target: RawVector,
    targetByteOffset: number,
    source: ArrayBuffer,
    sourceByteOffset: number,
    sourceByteCount: number,
  ): void;
}

function isRawBindings(x: unknown): x is RawBindings {
  if (typeof x !== 'object' || x === null) return false;
  return (
    typeof Reflect.get(x, 'vector_size') === 'function' &&
    typeof Reflect.get(x, 'data_chunk_get_vector') === 'function' &&
    typeof Reflect.get(x, 'copy_data_to_vector') === 'function' &&
    Reflect.get(x, 'sizeof_bool') === 1
  );
}

let rawBindings: RawBindings | null | undefined;

/** The bindings node-api itself uses, resolved from node-api's location; null if unusable. */
function loadRawBindings(): RawBindings | null {
  if (rawBindings !== undefined) return rawBindings;
  rawBindings = null;
  try {
    const req = createRequire(import.meta.url);
    const fromApi = createRequire(req.resolve('@duckdb/node-api'));
    const mod: unknown = fromApi('@duckdb/node-bindings');
    if (isRawBindings(mod) && mod.vector_size() >= 1) rawBindings = mod;
  } catch {
    rawBindings = null;
  }
  return rawBindings;
}

/** State of one COPY: the pinned rows, the ENUM for the string columns, the scan cursor. */
interface ScanJob {
  readonly snapshot: ImpressionSnapshot;
  /** Each file column as held: a slate's column has one entry a slate row (`slateRow`). */
  readonly arrays: readonly ColumnArray[];
  readonly slateRow: Int32Array;
  readonly dictType: DuckDBType;
  /** Bytes per code of `dictType`'s storage: 1, 2 or 4. */
  readonly dictWidth: 1 | 2 | 4;
  next: number;
}

function enumWidth(t: DuckDBType): 1 | 2 | 4 {
  if (t.typeId !== DuckDBTypeId.ENUM) throw new Error(`expected an ENUM type, got ${t.toString()}`);
  switch (t.internalTypeId) {
    case DuckDBTypeId.UTINYINT:
      return 1;
    case DuckDBTypeId.USMALLINT:
      return 2;
    case DuckDBTypeId.UINTEGER:
      return 4;
    default:
      throw new Error(`unexpected ENUM storage type ${t.internalTypeId}`);
  }
}

function badValue(column: number, row: number, value: number): RangeError {
  return new RangeError(`impression column ${IMPRESSION_COLUMNS[column].name}, row ${row}: invalid stored value ${value}`);
}

export class ParquetLogWriter {
  /** Absolute run directory; files go to `${dir}/impressions/`. */
  readonly dir: string;
  /** Absolute `${dir}/impressions`. */
  readonly impressionsDir: string;
  /** How slices actually move into DuckDB ('raw' unless it fell back). */
  readonly transfer: ParquetTransfer;

  private readonly instance: DuckDBInstance;
  private readonly connection: DuckDBConnection;
  private readonly options: Required<Omit<ParquetLogWriterOptions, 'rowGroupSize'>> &
    Pick<ParquetLogWriterOptions, 'rowGroupSize'>;
  private readonly raw: RawBindings | null;
  private active: ScanJob | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private tmpSeq = 0;

  private constructor(
    dir: string,
    instance: DuckDBInstance,
    connection: DuckDBConnection,
    options: ParquetLogWriterOptions,
  ) {
    this.dir = dir;
    this.impressionsDir = path.join(dir, 'impressions');
    this.instance = instance;
    this.connection = connection;
    this.options = {
      compression: options.compression ?? 'zstd',
      transfer: options.transfer ?? 'raw',
      rowGroupSize: options.rowGroupSize,
    };
    this.raw = this.options.transfer === 'raw' ? loadRawBindings() : null;
    this.transfer = this.raw ? 'raw' : 'vector';
    connection.registerTableFunction(this.createScanFunction());
  }

  /** Opens one in-memory DuckDB instance + connection for the run; creates `${dir}/impressions`. */
  static async open(dir: string, options: ParquetLogWriterOptions = {}): Promise<ParquetLogWriter> {
    if (options.rowGroupSize !== undefined && !(Number.isInteger(options.rowGroupSize) && options.rowGroupSize > 0)) {
      throw new RangeError(`rowGroupSize must be a positive integer, got ${options.rowGroupSize}`);
    }
    const abs = path.resolve(dir);
    await mkdir(path.join(abs, 'impressions'), { recursive: true });
    const instance = await DuckDBInstance.create(':memory:');
    try {
      const connection = await instance.connect();
      return new ParquetLogWriter(abs, instance, connection, options);
    } catch (err) {
      instance.closeSync();
      throw err;
    }
  }

  /** Absolute path `writeEpoch(epoch, …)` writes to. */
  epochPath(epoch: number): string {
    return path.join(this.impressionsDir, epochFileName(epoch));
  }

  /**
   * Writes the buffer's current rows to `${dir}/impressions/epoch-NNNNN.parquet`
   * (via a temp file in the same folder, then rename) and returns the path.
   * An empty buffer writes a valid empty file with the schema. Calls are
   * serialized. Until the promise settles the buffer may be appended to but
   * not cleared (`clear()` throws).
   */
  writeEpoch(epoch: number, buf: ImpressionBuffer): Promise<string> {
    if (this.closed) return Promise.reject(new Error('ParquetLogWriter is closed'));
    if (!Number.isInteger(epoch) || epoch < 0) {
      return Promise.reject(new RangeError(`epoch must be a non-negative integer, got ${epoch}`));
    }
    // Pin now, not when the queued write starts, so the rows written are the
    // ones present at the call.
    const snapshot = buf.snapshot();
    const run = this.queue.then(() => this.copyEpoch(epoch, snapshot));
    const done = run.finally(() => snapshot.release());
    this.queue = done.catch(() => undefined);
    return done;
  }

  /** Waits for pending writes, then closes the connection and the instance. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async copyEpoch(epoch: number, snapshot: ImpressionSnapshot): Promise<string> {
    const finalPath = this.epochPath(epoch);
    const tmpPath = `${finalPath}.tmp-${process.pid}-${++this.tmpSeq}`;
    const cols = snapshot.columns;
    const dictType = ENUM(snapshot.strings);
    this.active = {
      snapshot,
      arrays: IMPRESSION_COLUMNS.map((c) => columnOf(cols, c.name)),
      slateRow: cols.slate_row,
      dictType,
      dictWidth: enumWidth(dictType),
      next: 0,
    };
    try {
      await this.connection.run(this.copySql(tmpPath));
      await rename(tmpPath, finalPath);
      return finalPath;
    } catch (err) {
      await rm(tmpPath, { force: true });
      throw err;
    } finally {
      this.active = null;
    }
  }

  private copySql(target: string): string {
    const select = IMPRESSION_COLUMNS.map((c) => {
      const id = sqlIdent(c.name);
      switch (c.storage) {
        case 'dict-i32':
          return `CAST(${id} AS VARCHAR) AS ${id}`;
        case 'int8-null0':
          return `NULLIF(${id}, 0) AS ${id}`;
        case 'int32-null-neg':
          return `NULLIF(${id}, -1) AS ${id}`;
        default:
          return id;
      }
    }).join(', ');
    const opts = [`FORMAT parquet`, `COMPRESSION ${CODEC_SQL[this.options.compression]}`];
    if (this.options.rowGroupSize !== undefined) opts.push(`ROW_GROUP_SIZE ${this.options.rowGroupSize}`);
    return `COPY (SELECT ${select} FROM ${SCAN_FUNCTION}()) TO ${sqlString(target)} (${opts.join(', ')})`;
  }

  private createScanFunction(): DuckDBTableFunction {
    const raw = this.raw;
    const maxRows = raw ? raw.vector_size() : DuckDBVector.standardSize();
    // Narrowed enum codes of one slice, reused across slices.
    const codes8 = new Uint8Array(maxRows);
    const codes16 = new Uint16Array(maxRows);
    // A slate's columns, one value an impression, for one slice.
    const spread = IMPRESSION_COLUMNS.map((c) => (c.level === 'impression' ? null : c.storage === 'float64' ? new Float64Array(maxRows) : new Int32Array(maxRows)));
    /** Column c's values for the slice's n rows from `start`: the column itself from `start`, or a slate's column spread to them from 0. */
    const sliceOf = (job: ScanJob, c: number, start: number, n: number): { a: ColumnArray; from: number } => {
      const column = job.arrays[c];
      const out = spread[c];
      if (out === null) return { a: column, from: start };
      for (let j = 0; j < n; j++) out[j] = column[job.slateRow[start + j]];
      return { a: out, from: 0 };
    };
    return DuckDBTableFunction.create({
      name: SCAN_FUNCTION,
      bindFunction: (info) => {
        const job = this.active;
        if (!job) {
          info.setError(`${SCAN_FUNCTION}() is only usable inside ParquetLogWriter.writeEpoch`);
          return;
        }
        for (const c of IMPRESSION_COLUMNS) {
          info.addResultColumn(c.name, c.storage === 'dict-i32' ? job.dictType : WIRE_TYPE[c.storage]);
        }
        info.setCardinality(job.snapshot.length, true);
        info.setBindData(job);
      },
      initFunction: (info) => {
        info.setMaxThreads(1);
      },
      mainFunction: (info, out) => {
        const job = info.bindData as ScanJob;
        const start = job.next;
        const n = Math.min(maxRows, job.snapshot.length - start);
        out.rowCount = n;
        if (n <= 0) return;
        if (raw) {
          const dictSize = job.snapshot.strings.length;
          for (let c = 0; c < job.arrays.length; c++) {
            const slice = sliceOf(job, c, start, n);
            let a: ColumnArray | Uint16Array = slice.a;
            let from = slice.from;
            const storage = IMPRESSION_COLUMNS[c].storage;
            // The copy below is an unchecked memcpy, so values DuckDB would
            // misread (an enum code past the dictionary is an out-of-bounds
            // read) are refused here; only possible if `columns` was written to.
            if (storage === 'dict-i32') {
              // Int32 codes -> the enum's 8/16-bit storage. (Width 4: Int32 codes
              // are non-negative, so their bits already are the UINTEGER storage.)
              const narrow = job.dictWidth === 1 ? codes8 : job.dictWidth === 2 ? codes16 : null;
              for (let j = 0; j < n; j++) {
                const code = a[from + j];
                if (!(code >= 0 && code < dictSize)) throw badValue(c, start + j, code);
                if (narrow) narrow[j] = code;
              }
              if (narrow) {
                a = narrow;
                from = 0;
              }
            } else if (storage === 'bool-u8') {
              for (let j = 0; j < n; j++) if (a[from + j] > 1) throw badValue(c, start + j, a[from + j]);
            }
            // DuckDB copies from an ArrayBuffer only: rows in shared memory (the merged log of a
            // run split over threads) go through a private copy of the chunk.
            if (a.buffer instanceof SharedArrayBuffer) {
              a = a.slice(from, from + n);
              from = 0;
            }
            const bytes = a.BYTES_PER_ELEMENT;
            raw.copy_data_to_vector(
              raw.data_chunk_get_vector(out.chunk, c),
              0,
              a.buffer as ArrayBuffer,
              a.byteOffset + from * bytes,
              n * bytes,
            );
          }
        } else {
          const strings = job.snapshot.strings;
          for (let c = 0; c < job.arrays.length; c++) {
            const { a, from } = sliceOf(job, c, start, n);
            const v = out.getColumnVector(c);
            const storage = IMPRESSION_COLUMNS[c].storage;
            if (storage === 'bool-u8') {
              for (let j = 0; j < n; j++) v.setItem(j, a[from + j] !== 0);
            } else if (storage === 'dict-i32') {
              for (let j = 0; j < n; j++) v.setItem(j, strings[a[from + j]]);
            } else {
              for (let j = 0; j < n; j++) v.setItem(j, a[from + j]);
            }
            v.flush();
          }
        }
        job.next = start + n;
      },
    });
  }
}
