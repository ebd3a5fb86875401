/**
 * Columnar, append-only storage for the impression log.
 *
 * Every impression the recommender shows becomes one row of the log. Rows live in growable
 * typed arrays (capacity doubled on growth), never as per-row objects, and are handed to DuckDB
 * column by column. What belongs to the slate rather than to each of its items (when it was
 * served, the epoch, slate id, user, arm and the request's context) is kept once a slate, in a
 * table of slate rows that each impression points into (`slate_row`): 40 bytes an impression
 * for slates of ten where every column repeated for each impression took 68. A new slate row
 * starts whenever any of those fields changes from the row before, so rows appended one by one
 * with anything in them (a log from elsewhere, with a time of its own for every row) read back
 * exactly as they were appended.
 *
 * Storage conventions (also recorded in `IMPRESSION_COLUMNS[i].storage`):
 * - strings (`arm`, `source`) are dictionary-encoded: an Int32 code column plus
 *   one string table shared by both columns. Codes are stable for the lifetime
 *   of the buffer (`clear()` keeps the table), so they can be used for fast
 *   grouping, also across epochs written from the same buffer.
 * - booleans are Uint8 holding exactly 0 or 1.
 * - `survey` is Int8 with 0 meaning null (answered surveys are 1..5).
 * - the request context (`hour_of_day`, `past_sessions`, `request_in_session`) is Int32 with -1
 *   meaning null (a row appended without it, e.g. a hand-made log).
 */

/** Physical representation of a column inside the buffer. */
export type ImpressionStorage =
  | 'float64'
  | 'float32'
  | 'int32'
  | 'int8-null0'
  | 'int32-null-neg'
  | 'bool-u8'
  | 'dict-i32';

/** DuckDB / Parquet logical type of a column in the written file. */
export type ImpressionSqlType = 'DOUBLE' | 'FLOAT' | 'INTEGER' | 'TINYINT' | 'BOOLEAN' | 'VARCHAR';

export interface ImpressionColumnSpec {
  /** Column name in the Parquet file, and in the buffer's `columns` (under `slates` for a slate's column). */
  readonly name: string;
  /** DuckDB type of the column in the Parquet file (as read back by DuckDB). */
  readonly sqlType: ImpressionSqlType;
  /** Whether the column may hold NULL in the Parquet file. */
  readonly nullable: boolean;
  /** How the column is held inside `ImpressionBuffer`. */
  readonly storage: ImpressionStorage;
  /** Held once a slate row (`columns.slates`) or once an impression. The file has one row an impression either way. */
  readonly level: 'slate' | 'impression';
}

/** The impression log schema, in file column order. */
export const IMPRESSION_COLUMNS = [
  { name: 'time', sqlType: 'DOUBLE', nullable: false, storage: 'float64', level: 'slate' },
  { name: 'epoch', sqlType: 'INTEGER', nullable: false, storage: 'int32', level: 'slate' },
  { name: 'slate_id', sqlType: 'INTEGER', nullable: false, storage: 'int32', level: 'slate' },
  { name: 'user_id', sqlType: 'INTEGER', nullable: false, storage: 'int32', level: 'slate' },
  { name: 'item_id', sqlType: 'INTEGER', nullable: false, storage: 'int32', level: 'impression' },
  { name: 'position', sqlType: 'INTEGER', nullable: false, storage: 'int32', level: 'impression' },
  { name: 'arm', sqlType: 'VARCHAR', nullable: false, storage: 'dict-i32', level: 'slate' },
  { name: 'source', sqlType: 'VARCHAR', nullable: false, storage: 'dict-i32', level: 'impression' },
  { name: 'propensity', sqlType: 'DOUBLE', nullable: false, storage: 'float64', level: 'impression' },
  { name: 'clicked', sqlType: 'BOOLEAN', nullable: false, storage: 'bool-u8', level: 'impression' },
  { name: 'watch_minutes', sqlType: 'FLOAT', nullable: false, storage: 'float32', level: 'impression' },
  { name: 'watch_fraction', sqlType: 'FLOAT', nullable: false, storage: 'float32', level: 'impression' },
  { name: 'completed', sqlType: 'BOOLEAN', nullable: false, storage: 'bool-u8', level: 'impression' },
  { name: 'liked', sqlType: 'BOOLEAN', nullable: false, storage: 'bool-u8', level: 'impression' },
  { name: 'survey', sqlType: 'TINYINT', nullable: true, storage: 'int8-null0', level: 'impression' },
  { name: 'hour_of_day', sqlType: 'INTEGER', nullable: true, storage: 'int32-null-neg', level: 'slate' },
  { name: 'past_sessions', sqlType: 'INTEGER', nullable: true, storage: 'int32-null-neg', level: 'slate' },
  { name: 'request_in_session', sqlType: 'INTEGER', nullable: true, storage: 'int32-null-neg', level: 'slate' },
] as const satisfies readonly ImpressionColumnSpec[];

export type ImpressionColumnName = (typeof IMPRESSION_COLUMNS)[number]['name'];

/** One logged impression, as the simulator produces it. */
export interface ImpressionRow {
  /** Simulated time in days. */
  time: number;
  epoch: number;
  slateId: number;
  userId: number;
  itemId: number;
  /** 0-based slot in the slate. */
  position: number;
  arm: string;
  /** Candidate source(s) that produced the item, several joined by "+". */
  source: string;
  /** Probability the policy put this item in this slot; 1 for deterministic policies. */
  propensity: number;
  clicked: boolean;
  watchMinutes: number;
  watchFraction: number;
  completed: boolean;
  liked: boolean;
  /** 1..5 rating, or null when no survey was answered. */
  survey: number | null;
  /**
   * The request's context as the serving system logged it: the hour it was asked in (the row's
   * `time` is when it was served, which can fall in the next hour), the user's sessions before it.
   */
  hourOfDay?: number;
  pastSessions?: number;
  /** 0 for the first request of a session. Both are null in the file where a row leaves them out. */
  requestInSession?: number;
}

/** The columns kept once a slate row, keyed by file column name; `ImpressionColumns.slate_row` points into them. */
export interface SlateColumns {
  readonly time: Float64Array;
  readonly epoch: Int32Array;
  readonly slate_id: Int32Array;
  readonly user_id: Int32Array;
  readonly arm: Int32Array;
  readonly hour_of_day: Int32Array;
  readonly past_sessions: Int32Array;
  readonly request_in_session: Int32Array;
}

/**
 * Length-trimmed views of the columns, keyed by file column name: one entry an impression, and
 * the slate's columns under `slates` (impression i's user is `slates.user_id[slate_row[i]]`).
 * They share memory with the buffer: treat them as read-only (booleans must stay 0/1, survey 0
 * means null, `arm`/`source` hold string-table codes).
 */
export interface ImpressionColumns {
  /** Each impression's row in `slates`: non-decreasing, the rows of one slate row together. */
  readonly slate_row: Int32Array;
  readonly item_id: Int32Array;
  readonly position: Int32Array;
  readonly source: Int32Array;
  readonly propensity: Float64Array;
  readonly clicked: Uint8Array;
  readonly watch_minutes: Float32Array;
  readonly watch_fraction: Float32Array;
  readonly completed: Uint8Array;
  readonly liked: Uint8Array;
  readonly survey: Int8Array;
  readonly slates: SlateColumns;
}

/** Typed array types a column can have. */
export type ColumnArray = ImpressionColumns[Exclude<keyof ImpressionColumns, 'slates'>] | SlateColumns[keyof SlateColumns];

/** Column `name` of `columns`, wherever it is held (a slate's column has one entry a slate row). */
export function columnOf(columns: ImpressionColumns, name: ImpressionColumnName): ColumnArray {
  return name in columns.slates ? columns.slates[name as keyof SlateColumns] : columns[name as Exclude<ImpressionColumnName, keyof SlateColumns>];
}

/** The end of the slate whose rows start at row `start`: the first row after it with another slate id. */
export function slateEnd(columns: ImpressionColumns, start: number): number {
  const { slate_row } = columns;
  const slateId = columns.slates.slate_id;
  const id = slateId[slate_row[start]];
  let end = start + 1;
  while (end < slate_row.length && slateId[slate_row[end]] === id) end++;
  return end;
}

/** A log's rows as columns and their string table: what an `ImpressionBuffer` shows, or what crossed from another thread. */
export interface ImpressionRows {
  readonly columns: ImpressionColumns;
  readonly strings: readonly string[];
}

/**
 * A frozen view of the first `length` rows, used by writers that read the
 * buffer asynchronously. While any snapshot is unreleased, `clear()` throws
 * (it would let new rows overwrite the rows being written); appending is fine,
 * since it only touches rows at index >= `length` (or reallocates).
 */
export interface ImpressionSnapshot {
  readonly length: number;
  readonly columns: ImpressionColumns;
  /** String table at snapshot time; `columns.source[i]` and `columns.slates.arm[s]` index into it. */
  readonly strings: readonly string[];
  /** Idempotent. */
  release(): void;
}

const DEFAULT_CAPACITY = 1024;
/** One slate row reserved for every eight impression rows reserved (slates of ten fit; shorter ones grow the table by doubling). */
const IMPRESSIONS_PER_SLATE_RESERVED = 8;

/** The tables' columns in allocation order (wider first, so every view of one buffer is aligned). */
const SLATE_TABLE = {
  time: Float64Array,
  epoch: Int32Array,
  slate_id: Int32Array,
  user_id: Int32Array,
  arm: Int32Array,
  hour_of_day: Int32Array,
  past_sessions: Int32Array,
  request_in_session: Int32Array,
} as const;
const IMPRESSION_TABLE = {
  propensity: Float64Array,
  slate_row: Int32Array,
  item_id: Int32Array,
  position: Int32Array,
  source: Int32Array,
  watch_minutes: Float32Array,
  watch_fraction: Float32Array,
  clicked: Uint8Array,
  completed: Uint8Array,
  liked: Uint8Array,
  survey: Int8Array,
} as const;

type Layout = Readonly<Record<string, { readonly BYTES_PER_ELEMENT: number; new (buffer: ArrayBufferLike, byteOffset: number, length: number): ColumnArray }>>;
type Table<L extends Layout> = { readonly [K in keyof L]: InstanceType<L[K]> };
type ImpressionTable = Table<typeof IMPRESSION_TABLE>;
type SlateTable = Table<typeof SLATE_TABLE>;

/** Bytes of one row of each table over all its columns. */
const rowBytes = (layout: Layout): number => Object.values(layout).reduce((sum, type) => sum + type.BYTES_PER_ELEMENT, 0);
export const IMPRESSION_ROW_BYTES = rowBytes(IMPRESSION_TABLE);
export const SLATE_ROW_BYTES = rowBytes(SLATE_TABLE);

/**
 * Every column of a table for `capacity` rows as views of one ArrayBuffer: one allocation per
 * table instead of one per column (each large typed array costs an allocation the garbage
 * collector accounts for).
 */
function allocate<L extends Layout>(layout: L, capacity: number, memory: 'private' | 'shared'): Table<L> {
  const bytes = capacity * rowBytes(layout);
  const buffer = memory === 'shared' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  let at = 0;
  const table: Record<string, ColumnArray> = {};
  for (const [name, type] of Object.entries(layout)) {
    table[name] = new type(buffer, at, capacity);
    at += type.BYTES_PER_ELEMENT * capacity;
  }
  return table as Table<L>;
}

/** The first `n` rows of each column of `table`. */
function prefix<T extends Readonly<Record<string, ColumnArray>>>(table: T, n: number): T {
  const out: Record<string, ColumnArray> = {};
  for (const name in table) out[name] = table[name].subarray(0, n);
  return out as T;
}

/** `to`'s columns start with `from`'s first `n` rows. */
function copyRows<T extends Readonly<Record<string, ColumnArray>>>(from: T, to: T, n: number): void {
  for (const name in from) to[name].set(from[name].subarray(0, n));
}

export class ImpressionBuffer {
  private n = 0;
  /** Slate rows held. */
  private slateCount = 0;
  /** Impression rows allocated: 0 until the first row comes (then `reserved`), doubled when full. */
  private cap = 0;
  private slateCap = 0;
  /** Rows of each table to allocate for when the first row comes, and in which memory. */
  private readonly reserved: number;
  private readonly reservedSlates: number;
  private readonly memory: 'private' | 'shared';
  private pins = 0;
  private cleared = 0;
  private rows: ImpressionTable;
  private slates: SlateTable;

  private readonly table: string[] = [];
  private readonly codes = new Map<string, number>();
  // One-entry caches: arms and sources repeat from row to row.
  private lastArm = '';
  private lastArmCode = -1;
  private lastSource = '';
  private lastSourceCode = -1;

  /**
   * `memory: 'shared'` puts the columns in SharedArrayBuffers: posting them to another thread then
   * shares the rows instead of copying them (a run split over threads keeps one copy of its log).
   * `initialSlates` is the slate rows to reserve (by default one for every eight impression rows).
   */
  constructor(initialCapacity: number = DEFAULT_CAPACITY, memory: 'private' | 'shared' = 'private', initialSlates?: number) {
    if (!Number.isInteger(initialCapacity) || initialCapacity < 1) {
      throw new RangeError(`initialCapacity must be a positive integer, got ${initialCapacity}`);
    }
    if (initialSlates !== undefined && !(Number.isInteger(initialSlates) && initialSlates >= 1)) {
      throw new RangeError(`initialSlates must be a positive integer, got ${initialSlates}`);
    }
    // Allocated when the first row comes: a buffer made ready for the next epoch holds no memory
    // until then, and a checkpoint taken between epochs does not write its empty rows.
    this.reserved = initialCapacity;
    this.reservedSlates = initialSlates ?? Math.ceil(initialCapacity / IMPRESSIONS_PER_SLATE_RESERVED);
    this.memory = memory;
    this.rows = allocate(IMPRESSION_TABLE, 0, 'private');
    this.slates = allocate(SLATE_TABLE, 0, 'private');
  }

  /** A buffer holding a copy of `columns` and `strings` (as another buffer's `columns` and `strings` return them). */
  static fromColumns(columns: ImpressionColumns, strings: readonly string[]): ImpressionBuffer {
    const source = ImpressionBuffer.over({ columns, strings });
    const buffer = new ImpressionBuffer(Math.max(1, source.n), 'private', Math.max(1, source.slateCount));
    for (const s of strings) buffer.intern(s);
    if (source.n === 0) return buffer;
    buffer.growRows();
    buffer.growSlates();
    copyRows(source.rows, buffer.rows, source.n);
    copyRows(source.slates, buffer.slates, source.slateCount);
    buffer.n = source.n;
    buffer.slateCount = source.slateCount;
    return buffer;
  }

  /**
   * A buffer over `rows` as they are, not copied: rows another thread sent, which a structured
   * clone made this thread's own, or which sit in shared memory that no thread writes again.
   * Appending to it first copies the rows into memory of its own.
   */
  static over(rows: ImpressionRows): ImpressionBuffer {
    const { slates, ...impressions } = rows.columns;
    const n = impressions.slate_row.length;
    const m = slates.time.length;
    for (const [name, column] of Object.entries(impressions)) {
      if (column.length !== n) throw new RangeError(`ImpressionBuffer.over: column ${name} holds ${column.length} rows, slate_row ${n}`);
    }
    for (const [name, column] of Object.entries(slates)) {
      if (column.length !== m) throw new RangeError(`ImpressionBuffer.over: slate column ${name} holds ${column.length} rows, time ${m}`);
    }
    const slateRow = impressions.slate_row;
    for (let i = 0; i < n; i++) {
      const s = slateRow[i];
      if (!(s >= 0 && s < m && (i === 0 || s >= slateRow[i - 1]))) {
        throw new RangeError(`ImpressionBuffer.over: row ${i} points to slate row ${s} (${m} slate rows, in order)`);
      }
    }
    const buffer = new ImpressionBuffer(1);
    for (const s of rows.strings) buffer.intern(s);
    if (n === 0) return buffer;
    buffer.rows = impressions;
    buffer.slates = slates;
    buffer.n = buffer.cap = n;
    buffer.slateCount = buffer.slateCap = m;
    return buffer;
  }

  /**
   * This buffer when it has no spare rows, else a copy of exactly its rows: what a log that keeps
   * an epoch for days should hold (a buffer that grew by doubling may be up to half empty).
   */
  trimmed(): ImpressionBuffer {
    return this.n === this.cap && this.slateCount === this.slateCap ? this : ImpressionBuffer.fromColumns(this.columns, this.strings);
  }

  /** Number of rows held. */
  get length(): number {
    return this.n;
  }

  /** How often the buffer was cleared: with `length`, tells a reader that cached a summary whether its rows changed. */
  get generation(): number {
    return this.cleared;
  }

  /** Rows per column it holds before it grows (allocated when the first row comes). */
  get capacity(): number {
    return this.cap === 0 ? this.reserved : this.cap;
  }

  /** Bytes its tables have allocated (both, whatever rows they hold). */
  get allocatedBytes(): number {
    return this.cap * IMPRESSION_ROW_BYTES + this.slateCap * SLATE_ROW_BYTES;
  }

  /** The shared string table of `arm` and `source`; index = code. */
  get strings(): readonly string[] {
    return this.table;
  }

  /** Code of `s` in the string table, adding it if new. */
  intern(s: string): number {
    const known = this.codes.get(s);
    if (known !== undefined) return known;
    if (s.includes('\0')) throw new RangeError('impression strings may not contain NUL characters');
    const code = this.table.length;
    this.table.push(s);
    this.codes.set(s, code);
    return code;
  }

  /** Code of `s` if it is in the string table, else -1. */
  codeOf(s: string): number {
    return this.codes.get(s) ?? -1;
  }

  /** String for a code from the `arm` or `source` column. */
  stringOf(code: number): string {
    const s = this.table[code];
    if (s === undefined) throw new RangeError(`unknown string code ${code}`);
    return s;
  }

  /** Hot path: appends one row. Only survey (0 is the null sentinel) is checked. */
  append(row: ImpressionRow): void {
    const s = row.survey;
    let survey = 0;
    if (s !== null) {
      if (!(s >= 1 && s <= 5 && Number.isInteger(s))) {
        throw new RangeError(`survey must be an integer 1..5 or null, got ${s}`);
      }
      survey = s;
    }
    let armCode: number;
    if (row.arm === this.lastArm && this.lastArmCode >= 0) {
      armCode = this.lastArmCode;
    } else {
      armCode = this.intern(row.arm);
      this.lastArm = row.arm;
      this.lastArmCode = armCode;
    }
    let sourceCode: number;
    if (row.source === this.lastSource && this.lastSourceCode >= 0) {
      sourceCode = this.lastSourceCode;
    } else {
      sourceCode = this.intern(row.source);
      this.lastSource = row.source;
      this.lastSourceCode = sourceCode;
    }

    if (this.n === this.cap) this.growRows();
    const i = this.n;
    const r = this.rows;
    r.slate_row[i] = this.slateRowFor(row.time, row.epoch, row.slateId, row.userId, armCode, row.hourOfDay ?? -1, row.pastSessions ?? -1, row.requestInSession ?? -1);
    r.item_id[i] = row.itemId;
    r.position[i] = row.position;
    r.source[i] = sourceCode;
    r.propensity[i] = row.propensity;
    r.clicked[i] = row.clicked ? 1 : 0;
    r.watch_minutes[i] = row.watchMinutes;
    r.watch_fraction[i] = row.watchFraction;
    r.completed[i] = row.completed ? 1 : 0;
    r.liked[i] = row.liked ? 1 : 0;
    r.survey[i] = survey;
    this.n = i + 1;
  }

  /** This buffer's codes for `strings` (another buffer's string table), interning what is new. */
  codesFor(strings: readonly string[]): Int32Array {
    return Int32Array.from(strings, (s) => this.intern(s));
  }

  /**
   * Appends rows `start`..`end` of `source` (another buffer's columns, whose string codes `codes`
   * maps to this buffer's: `codesFor`) as rows of the slate `slateId`: how the shards of a run
   * merge their logs, straight from the columns another thread sent.
   */
  appendSlate(source: ImpressionColumns, codes: Int32Array, start: number, end: number, slateId: number): void {
    const rows = source.slate_row.length;
    if (start < 0 || end > rows || start > end) throw new RangeError(`rows ${start}..${end} out of range [0, ${rows}]`);
    const from = source.slates;
    for (let j = start; j < end; j++) {
      if (this.n === this.cap) this.growRows();
      const i = this.n;
      const r = this.rows;
      const s = source.slate_row[j];
      r.slate_row[i] = this.slateRowFor(from.time[s], from.epoch[s], slateId, from.user_id[s], codes[from.arm[s]], from.hour_of_day[s], from.past_sessions[s], from.request_in_session[s]);
      r.item_id[i] = source.item_id[j];
      r.position[i] = source.position[j];
      r.source[i] = codes[source.source[j]];
      r.propensity[i] = source.propensity[j];
      r.clicked[i] = source.clicked[j];
      r.watch_minutes[i] = source.watch_minutes[j];
      r.watch_fraction[i] = source.watch_fraction[j];
      r.completed[i] = source.completed[j];
      r.liked[i] = source.liked[j];
      r.survey[i] = source.survey[j];
      this.n = i + 1;
    }
  }

  /** Row `i` as an object (allocates; for tests and debugging). */
  row(i: number): ImpressionRow {
    this.checkIndex(i);
    const r = this.rows;
    const s = r.slate_row[i];
    const slates = this.slates;
    const survey = r.survey[i];
    return {
      time: slates.time[s],
      epoch: slates.epoch[s],
      slateId: slates.slate_id[s],
      userId: slates.user_id[s],
      itemId: r.item_id[i],
      position: r.position[i],
      arm: this.table[slates.arm[s]],
      source: this.table[r.source[i]],
      propensity: r.propensity[i],
      clicked: r.clicked[i] !== 0,
      watchMinutes: r.watch_minutes[i],
      watchFraction: r.watch_fraction[i],
      completed: r.completed[i] !== 0,
      liked: r.liked[i] !== 0,
      survey: survey === 0 ? null : survey,
      ...(slates.hour_of_day[s] >= 0 ? { hourOfDay: slates.hour_of_day[s] } : {}),
      ...(slates.past_sessions[s] >= 0 ? { pastSessions: slates.past_sessions[s] } : {}),
      ...(slates.request_in_session[s] >= 0 ? { requestInSession: slates.request_in_session[s] } : {}),
    };
  }

  armOf(i: number): string {
    this.checkIndex(i);
    return this.table[this.slates.arm[this.rows.slate_row[i]]];
  }

  sourceOf(i: number): string {
    this.checkIndex(i);
    return this.table[this.rows.source[i]];
  }

  /** Length-trimmed views (fresh subarrays on every access; hoist out of loops). */
  get columns(): ImpressionColumns {
    return { ...prefix(this.rows, this.n), slates: prefix(this.slates, this.slateCount) };
  }

  /** Pins the current rows for an asynchronous reader; see `ImpressionSnapshot`. */
  snapshot(): ImpressionSnapshot {
    this.pins++;
    let released = false;
    return {
      length: this.n,
      columns: this.columns,
      strings: this.table.slice(),
      release: () => {
        if (!released) {
          released = true;
          this.pins--;
        }
      },
    };
  }

  /**
   * Drops all rows, keeping the allocated capacity and the string table (so
   * codes stay stable). Throws while a snapshot is pinned (e.g. during
   * `ParquetLogWriter.writeEpoch`).
   */
  clear(): void {
    // New rows would overwrite rows other threads are reading.
    if (this.rows.slate_row.buffer instanceof SharedArrayBuffer) throw new Error('ImpressionBuffer.clear(): its rows are shared with other threads');
    if (this.pins > 0) {
      throw new Error('ImpressionBuffer.clear() while a snapshot is being read (await writeEpoch first)');
    }
    this.n = 0;
    this.slateCount = 0;
    this.cleared++;
  }

  /**
   * The slate row of an impression with these slate fields: the last one when they are its
   * fields, else a new one. A snapshot's rows stay as they were, since a slate row it holds is
   * never written again: the next impression either points to it unchanged or opens a new one.
   */
  private slateRowFor(time: number, epoch: number, slateId: number, userId: number, arm: number, hourOfDay: number, pastSessions: number, requestInSession: number): number {
    const t = this.slates;
    const last = this.slateCount - 1;
    if (
      last >= 0 &&
      t.slate_id[last] === slateId &&
      t.user_id[last] === userId &&
      Object.is(t.time[last], time) &&
      t.epoch[last] === epoch &&
      t.arm[last] === arm &&
      t.hour_of_day[last] === hourOfDay &&
      t.past_sessions[last] === pastSessions &&
      t.request_in_session[last] === requestInSession
    ) {
      return last;
    }
    if (this.slateCount === this.slateCap) this.growSlates();
    const s = this.slateCount++;
    const w = this.slates;
    w.time[s] = time;
    w.epoch[s] = epoch;
    w.slate_id[s] = slateId;
    w.user_id[s] = userId;
    w.arm[s] = arm;
    w.hour_of_day[s] = hourOfDay;
    w.past_sessions[s] = pastSessions;
    w.request_in_session[s] = requestInSession;
    return s;
  }

  private checkIndex(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.n) {
      throw new RangeError(`row index ${i} out of range [0, ${this.n})`);
    }
  }

  // Copying the whole old columns is fine: growth only happens when they are full.
  private growRows(): void {
    const first = this.cap === 0;
    const capacity = first ? this.reserved : this.cap * 2;
    const next = allocate(IMPRESSION_TABLE, capacity, first ? this.memory : 'private');
    copyRows(this.rows, next, this.n);
    this.rows = next;
    this.cap = capacity;
    // Rows other threads read are never written: leaving shared memory, the slate rows come too
    // (an append that continues the last slate would otherwise leave them there for clear()).
    if (!first && this.slates.time.buffer instanceof SharedArrayBuffer) this.growSlates();
  }

  private growSlates(): void {
    const capacity = this.slateCap === 0 ? this.reservedSlates : this.slateCap * 2;
    const next = allocate(SLATE_TABLE, capacity, this.slateCap === 0 ? this.memory : 'private');
    copyRows(this.slates, next, this.slateCount);
    this.slates = next;
    this.slateCap = capacity;
  }
}
