/**
 * Columnar, append-only storage for the impression log.
 *
 * Every impression the recommender shows becomes one row. Rows live in
 * growable typed arrays (one per column, all views of one ArrayBuffer,
 * capacity doubled on growth), never as per-row objects, so a few million
 * rows per epoch cost a few tens of bytes each and can be handed to DuckDB
 * column by column.
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
  /** Column name in the buffer's `columns` object and in the Parquet file. */
  readonly name: string;
  /** DuckDB type of the column in the Parquet file (as read back by DuckDB). */
  readonly sqlType: ImpressionSqlType;
  /** Whether the column may hold NULL in the Parquet file. */
  readonly nullable: boolean;
  /** How the column is held inside `ImpressionBuffer`. */
  readonly storage: ImpressionStorage;
}

/** The impression log schema, in file column order. */
export const IMPRESSION_COLUMNS = [
  { name: 'time', sqlType: 'DOUBLE', nullable: false, storage: 'float64' },
  { name: 'epoch', sqlType: 'INTEGER', nullable: false, storage: 'int32' },
  { name: 'slate_id', sqlType: 'INTEGER', nullable: false, storage: 'int32' },
  { name: 'user_id', sqlType: 'INTEGER', nullable: false, storage: 'int32' },
  { name: 'item_id', sqlType: 'INTEGER', nullable: false, storage: 'int32' },
  { name: 'position', sqlType: 'INTEGER', nullable: false, storage: 'int32' },
  { name: 'arm', sqlType: 'VARCHAR', nullable: false, storage: 'dict-i32' },
  { name: 'source', sqlType: 'VARCHAR', nullable: false, storage: 'dict-i32' },
  { name: 'propensity', sqlType: 'DOUBLE', nullable: false, storage: 'float64' },
  { name: 'clicked', sqlType: 'BOOLEAN', nullable: false, storage: 'bool-u8' },
  { name: 'watch_minutes', sqlType: 'FLOAT', nullable: false, storage: 'float32' },
  { name: 'watch_fraction', sqlType: 'FLOAT', nullable: false, storage: 'float32' },
  { name: 'completed', sqlType: 'BOOLEAN', nullable: false, storage: 'bool-u8' },
  { name: 'liked', sqlType: 'BOOLEAN', nullable: false, storage: 'bool-u8' },
  { name: 'survey', sqlType: 'TINYINT', nullable: true, storage: 'int8-null0' },
  { name: 'hour_of_day', sqlType: 'INTEGER', nullable: true, storage: 'int32-null-neg' },
  { name: 'past_sessions', sqlType: 'INTEGER', nullable: true, storage: 'int32-null-neg' },
  { name: 'request_in_session', sqlType: 'INTEGER', nullable: true, storage: 'int32-null-neg' },
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

/**
 * Length-trimmed views of the columns, keyed by file column name. They share
 * memory with the buffer: treat them as read-only (booleans must stay 0/1,
 * survey 0 means null, `arm`/`source` hold string-table codes).
 */
export interface ImpressionColumns {
  readonly time: Float64Array;
  readonly epoch: Int32Array;
  readonly slate_id: Int32Array;
  readonly user_id: Int32Array;
  readonly item_id: Int32Array;
  readonly position: Int32Array;
  readonly arm: Int32Array;
  readonly source: Int32Array;
  readonly propensity: Float64Array;
  readonly clicked: Uint8Array;
  readonly watch_minutes: Float32Array;
  readonly watch_fraction: Float32Array;
  readonly completed: Uint8Array;
  readonly liked: Uint8Array;
  readonly survey: Int8Array;
  readonly hour_of_day: Int32Array;
  readonly past_sessions: Int32Array;
  readonly request_in_session: Int32Array;
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
  /** String table at snapshot time; `columns.arm[i]` indexes into it. */
  readonly strings: readonly string[];
  /** Idempotent. */
  release(): void;
}

const DEFAULT_CAPACITY = 1024;

export class ImpressionBuffer {
  private n = 0;
  /** Rows allocated: 0 until the first row comes (then `reserved`), doubled when full. */
  private cap!: number;
  /** Rows to allocate for when the first row comes, and in which memory. */
  private readonly reserved: number;
  private readonly memory: 'private' | 'shared';
  private pins = 0;
  private cleared = 0;

  // Set by place(), from the constructor on.
  private time!: Float64Array;
  private epoch!: Int32Array;
  private slateId!: Int32Array;
  private userId!: Int32Array;
  private itemId!: Int32Array;
  private position!: Int32Array;
  private arm!: Int32Array;
  private source!: Int32Array;
  private propensity!: Float64Array;
  private clicked!: Uint8Array;
  private watchMinutes!: Float32Array;
  private watchFraction!: Float32Array;
  private completed!: Uint8Array;
  private liked!: Uint8Array;
  private survey!: Int8Array;
  private hourOfDay!: Int32Array;
  private pastSessions!: Int32Array;
  private requestInSession!: Int32Array;

  private readonly table: string[] = [];
  private readonly codes = new Map<string, number>();
  // One-entry caches: arms and sources repeat from row to row.
  private lastArm = '';
  private lastArmCode = -1;
  private lastSource = '';
  private lastSourceCode = -1;

  /**
   * `memory: 'shared'` puts the columns in a SharedArrayBuffer: posting them to another thread then
   * shares the rows instead of copying them (a run split over threads keeps one copy of its log).
   */
  constructor(initialCapacity: number = DEFAULT_CAPACITY, memory: 'private' | 'shared' = 'private') {
    if (!Number.isInteger(initialCapacity) || initialCapacity < 1) {
      throw new RangeError(`initialCapacity must be a positive integer, got ${initialCapacity}`);
    }
    // Allocated when the first row comes: a buffer made ready for the next epoch holds no memory
    // until then, and a checkpoint taken between epochs does not write its empty rows.
    this.reserved = initialCapacity;
    this.memory = memory;
    this.place(allocateColumns(0, 'private'), 0);
  }

  /** A buffer holding a copy of `columns` and `strings` (as another buffer's `columns` and `strings` return them). */
  static fromColumns(columns: ImpressionColumns, strings: readonly string[]): ImpressionBuffer {
    const n = columns.time.length;
    const buffer = new ImpressionBuffer(Math.max(1, n));
    buffer.grow();
    for (const s of strings) buffer.intern(s);
    buffer.time.set(columns.time);
    buffer.epoch.set(columns.epoch);
    buffer.slateId.set(columns.slate_id);
    buffer.userId.set(columns.user_id);
    buffer.itemId.set(columns.item_id);
    buffer.position.set(columns.position);
    buffer.arm.set(columns.arm);
    buffer.source.set(columns.source);
    buffer.propensity.set(columns.propensity);
    buffer.clicked.set(columns.clicked);
    buffer.watchMinutes.set(columns.watch_minutes);
    buffer.watchFraction.set(columns.watch_fraction);
    buffer.completed.set(columns.completed);
    buffer.liked.set(columns.liked);
    buffer.survey.set(columns.survey);
    buffer.hourOfDay.set(columns.hour_of_day);
    buffer.pastSessions.set(columns.past_sessions);
    buffer.requestInSession.set(columns.request_in_session);
    buffer.n = n;
    return buffer;
  }

  /**
   * A buffer over `rows` as they are, not copied: rows another thread sent, which a structured
   * clone made this thread's own, or which sit in shared memory that no thread writes again.
   * Appending to it first copies the rows into memory of its own.
   */
  static over(rows: ImpressionRows): ImpressionBuffer {
    const { columns, strings } = rows;
    const n = columns.time.length;
    for (const [name, column] of Object.entries(columns)) {
      if (column.length !== n) throw new RangeError(`ImpressionBuffer.over: column ${name} holds ${column.length} rows, time ${n}`);
    }
    const buffer = new ImpressionBuffer(1);
    for (const s of strings) buffer.intern(s);
    if (n === 0) return buffer;
    buffer.place(
      {
        time: columns.time,
        propensity: columns.propensity,
        epoch: columns.epoch,
        slateId: columns.slate_id,
        userId: columns.user_id,
        itemId: columns.item_id,
        position: columns.position,
        arm: columns.arm,
        source: columns.source,
        watchMinutes: columns.watch_minutes,
        watchFraction: columns.watch_fraction,
        hourOfDay: columns.hour_of_day,
        pastSessions: columns.past_sessions,
        requestInSession: columns.request_in_session,
        clicked: columns.clicked,
        completed: columns.completed,
        liked: columns.liked,
        survey: columns.survey,
      },
      n,
    );
    buffer.n = n;
    return buffer;
  }

  /**
   * This buffer when it has no spare rows, else a copy of exactly its rows: what a log that keeps
   * an epoch for days should hold (a buffer that grew by doubling may be up to half empty).
   */
  trimmed(): ImpressionBuffer {
    return this.n === this.cap ? this : ImpressionBuffer.fromColumns(this.columns, this.strings);
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

    if (this.n === this.cap) this.grow();
    const i = this.n;
    this.time[i] = row.time;
    this.epoch[i] = row.epoch;
    this.slateId[i] = row.slateId;
    this.userId[i] = row.userId;
    this.itemId[i] = row.itemId;
    this.position[i] = row.position;
    this.arm[i] = armCode;
    this.source[i] = sourceCode;
    this.propensity[i] = row.propensity;
    this.clicked[i] = row.clicked ? 1 : 0;
    this.watchMinutes[i] = row.watchMinutes;
    this.watchFraction[i] = row.watchFraction;
    this.completed[i] = row.completed ? 1 : 0;
    this.liked[i] = row.liked ? 1 : 0;
    this.survey[i] = survey;
    this.hourOfDay[i] = row.hourOfDay ?? -1;
    this.pastSessions[i] = row.pastSessions ?? -1;
    this.requestInSession[i] = row.requestInSession ?? -1;
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
    const rows = source.time.length;
    if (start < 0 || end > rows || start > end) throw new RangeError(`rows ${start}..${end} out of range [0, ${rows}]`);
    for (let j = start; j < end; j++) {
      if (this.n === this.cap) this.grow();
      const i = this.n;
      this.time[i] = source.time[j];
      this.epoch[i] = source.epoch[j];
      this.slateId[i] = slateId;
      this.userId[i] = source.user_id[j];
      this.itemId[i] = source.item_id[j];
      this.position[i] = source.position[j];
      this.arm[i] = codes[source.arm[j]];
      this.source[i] = codes[source.source[j]];
      this.propensity[i] = source.propensity[j];
      this.clicked[i] = source.clicked[j];
      this.watchMinutes[i] = source.watch_minutes[j];
      this.watchFraction[i] = source.watch_fraction[j];
      this.completed[i] = source.completed[j];
      this.liked[i] = source.liked[j];
      this.survey[i] = source.survey[j];
      this.hourOfDay[i] = source.hour_of_day[j];
      this.pastSessions[i] = source.past_sessions[j];
      this.requestInSession[i] = source.request_in_session[j];
      this.n = i + 1;
    }
  }

  /** Row `i` as an object (allocates; for tests and debugging). */
  row(i: number): ImpressionRow {
    this.checkIndex(i);
    const s = this.survey[i];
    return {
      time: this.time[i],
      epoch: this.epoch[i],
      slateId: this.slateId[i],
      userId: this.userId[i],
      itemId: this.itemId[i],
      position: this.position[i],
      arm: this.table[this.arm[i]],
      source: this.table[this.source[i]],
      propensity: this.propensity[i],
      clicked: this.clicked[i] !== 0,
      watchMinutes: this.watchMinutes[i],
      watchFraction: this.watchFraction[i],
      completed: this.completed[i] !== 0,
      liked: this.liked[i] !== 0,
      survey: s === 0 ? null : s,
      ...(this.hourOfDay[i] >= 0 ? { hourOfDay: this.hourOfDay[i] } : {}),
      ...(this.pastSessions[i] >= 0 ? { pastSessions: this.pastSessions[i] } : {}),
      ...(this.requestInSession[i] >= 0 ? { requestInSession: this.requestInSession[i] } : {}),
    };
  }

  armOf(i: number): string {
    this.checkIndex(i);
    return this.table[this.arm[i]];
  }

  sourceOf(i: number): string {
    this.checkIndex(i);
    return this.table[this.source[i]];
  }

  /** Length-trimmed views (fresh subarrays on every access; hoist out of loops). */
  get columns(): ImpressionColumns {
    const n = this.n;
    return {
      time: this.time.subarray(0, n),
      epoch: this.epoch.subarray(0, n),
      slate_id: this.slateId.subarray(0, n),
      user_id: this.userId.subarray(0, n),
      item_id: this.itemId.subarray(0, n),
      position: this.position.subarray(0, n),
      arm: this.arm.subarray(0, n),
      source: this.source.subarray(0, n),
      propensity: this.propensity.subarray(0, n),
      clicked: this.clicked.subarray(0, n),
      watch_minutes: this.watchMinutes.subarray(0, n),
      watch_fraction: this.watchFraction.subarray(0, n),
      completed: this.completed.subarray(0, n),
      liked: this.liked.subarray(0, n),
      survey: this.survey.subarray(0, n),
      hour_of_day: this.hourOfDay.subarray(0, n),
      past_sessions: this.pastSessions.subarray(0, n),
      request_in_session: this.requestInSession.subarray(0, n),
    };
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
    if (this.time.buffer instanceof SharedArrayBuffer) throw new Error('ImpressionBuffer.clear(): its rows are shared with other threads');
    if (this.pins > 0) {
      throw new Error('ImpressionBuffer.clear() while a snapshot is being read (await writeEpoch first)');
    }
    this.n = 0;
    this.cleared++;
  }

  private checkIndex(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.n) {
      throw new RangeError(`row index ${i} out of range [0, ${this.n})`);
    }
  }

  private grow(): void {
    if (this.cap === 0) {
      this.place(allocateColumns(this.reserved, this.memory), this.reserved);
      return;
    }
    // Copying the whole old columns is fine: growth only happens when they are full.
    const c = this.cap * 2;
    const next = allocateColumns(c, 'private');
    next.time.set(this.time);
    next.epoch.set(this.epoch);
    next.slateId.set(this.slateId);
    next.userId.set(this.userId);
    next.itemId.set(this.itemId);
    next.position.set(this.position);
    next.arm.set(this.arm);
    next.source.set(this.source);
    next.propensity.set(this.propensity);
    next.clicked.set(this.clicked);
    next.watchMinutes.set(this.watchMinutes);
    next.watchFraction.set(this.watchFraction);
    next.completed.set(this.completed);
    next.liked.set(this.liked);
    next.survey.set(this.survey);
    next.hourOfDay.set(this.hourOfDay);
    next.pastSessions.set(this.pastSessions);
    next.requestInSession.set(this.requestInSession);
    this.place(next, c);
  }

  /** Makes `columns` (each of `capacity` rows) this buffer's storage. */
  private place(columns: ColumnStorage, capacity: number): void {
    this.time = columns.time;
    this.epoch = columns.epoch;
    this.slateId = columns.slateId;
    this.userId = columns.userId;
    this.itemId = columns.itemId;
    this.position = columns.position;
    this.arm = columns.arm;
    this.source = columns.source;
    this.propensity = columns.propensity;
    this.clicked = columns.clicked;
    this.watchMinutes = columns.watchMinutes;
    this.watchFraction = columns.watchFraction;
    this.completed = columns.completed;
    this.liked = columns.liked;
    this.survey = columns.survey;
    this.hourOfDay = columns.hourOfDay;
    this.pastSessions = columns.pastSessions;
    this.requestInSession = columns.requestInSession;
    this.cap = capacity;
  }
}

/** The columns as the buffer holds them. */
interface ColumnStorage {
  readonly time: Float64Array;
  readonly propensity: Float64Array;
  readonly epoch: Int32Array;
  readonly slateId: Int32Array;
  readonly userId: Int32Array;
  readonly itemId: Int32Array;
  readonly position: Int32Array;
  readonly arm: Int32Array;
  readonly source: Int32Array;
  readonly watchMinutes: Float32Array;
  readonly watchFraction: Float32Array;
  readonly hourOfDay: Int32Array;
  readonly pastSessions: Int32Array;
  readonly requestInSession: Int32Array;
  readonly clicked: Uint8Array;
  readonly completed: Uint8Array;
  readonly liked: Uint8Array;
  readonly survey: Int8Array;
}

/** Bytes of one row over all columns. */
export const IMPRESSION_ROW_BYTES = 2 * 8 + 12 * 4 + 4 * 1;

/**
 * Every column for `capacity` rows as views of one ArrayBuffer: one allocation per buffer instead
 * of eighteen (each large typed array costs an allocation the garbage collector accounts for).
 * Wider columns come first, so every view is aligned.
 */
function allocateColumns(capacity: number, memory: 'private' | 'shared'): ColumnStorage {
  const buffer = memory === 'shared' ? new SharedArrayBuffer(capacity * IMPRESSION_ROW_BYTES) : new ArrayBuffer(capacity * IMPRESSION_ROW_BYTES);
  let at = 0;
  const next = (bytes: number): number => {
    const offset = at;
    at += bytes * capacity;
    return offset;
  };
  return {
    time: new Float64Array(buffer, next(8), capacity),
    propensity: new Float64Array(buffer, next(8), capacity),
    epoch: new Int32Array(buffer, next(4), capacity),
    slateId: new Int32Array(buffer, next(4), capacity),
    userId: new Int32Array(buffer, next(4), capacity),
    itemId: new Int32Array(buffer, next(4), capacity),
    position: new Int32Array(buffer, next(4), capacity),
    arm: new Int32Array(buffer, next(4), capacity),
    source: new Int32Array(buffer, next(4), capacity),
    watchMinutes: new Float32Array(buffer, next(4), capacity),
    watchFraction: new Float32Array(buffer, next(4), capacity),
    hourOfDay: new Int32Array(buffer, next(4), capacity),
    pastSessions: new Int32Array(buffer, next(4), capacity),
    requestInSession: new Int32Array(buffer, next(4), capacity),
    clicked: new Uint8Array(buffer, next(1), capacity),
    completed: new Uint8Array(buffer, next(1), capacity),
    liked: new Uint8Array(buffer, next(1), capacity),
    survey: new Int8Array(buffer, next(1), capacity),
  };
}
