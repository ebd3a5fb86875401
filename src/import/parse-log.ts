/**
 * An external log's rows, checked and turned into the impression log's columns. Every value is
 * checked where it is read, and the first bad one stops the import with its file, line, column
 * and what was expected: a log with a propensity of 1.5 or a slot past the last is not a log
 * any estimator should read.
 */
import { ImportError } from './import-error.js';
import { layoutColumns, type LogLayout } from './layout.js';
import type { SourceTable } from './source-table.js';
import { NUMBER, click, dateTime, featureColumn, finiteNumber, wholeNumber, type FeatureColumn } from './values.js';

export type { FeatureColumn } from './values.js';

export interface ParsedLog {
  readonly rows: number;
  /** Days since the earliest date-time (or as the file gives them, numbers of days). */
  readonly time: Float64Array;
  /** Microseconds since 1970 (whole numbers) when the time column held date-times; else undefined. */
  readonly timestampMicros?: Float64Array;
  /** The earliest date-time, ISO, which `time` counts from; undefined for numbers of days or no time column. */
  readonly timeOrigin?: string;
  readonly slateId: Int32Array;
  /** NULL where unknown. */
  readonly userId?: Int32Array;
  readonly itemId: Int32Array;
  /** From 0. */
  readonly position: Int32Array;
  readonly propensity?: Float64Array;
  readonly clicked: Uint8Array;
  readonly reward?: Float64Array;
  readonly features: readonly FeatureColumn[];
}

export function parseLog(table: SourceTable, layout: LogLayout): ParsedLog {
  const index = columnIndex(table, layout);
  const n = table.rows.length;
  if (n === 0) throw new ImportError(`${table.file}: no rows below the header`);
  const read = (column: string | undefined): ((row: number) => string) | undefined => {
    if (column === undefined) return undefined;
    const k = index.get(column) ?? -1;
    return (row) => table.rows[row].values[k].trim();
  };
  const field = (row: number, column: string): string => `${table.where(table.rows[row].line)}: ${column}`;

  const itemId = new Int32Array(n);
  const position = new Int32Array(n);
  const clicked = new Uint8Array(n);
  const slateId = new Int32Array(n);
  const itemOf = read(layout.item);
  const positionOf = read(layout.position);
  const clickOf = read(layout.click);
  const rewardOf = read(layout.reward);
  const propensityOf = read(layout.propensity);
  const userOf = read(layout.user);
  const slateOf = read(layout.slate);
  const userId = userOf ? new Int32Array(n) : undefined;
  const propensity = propensityOf ? new Float64Array(n) : undefined;
  const reward = rewardOf ? new Float64Array(n) : undefined;
  const base = layout.positionBase;
  const last = layout.slots === undefined ? undefined : base + layout.slots - 1;
  for (let r = 0; r < n; r++) {
    itemId[r] = wholeNumber(itemOf?.(r) ?? '', () => field(r, layout.item));
    if (positionOf && layout.position !== undefined) {
      const p = wholeNumber(positionOf(r), () => field(r, layout.position ?? ''), base);
      if (last !== undefined && p > last) {
        throw new ImportError(`${field(r, layout.position)}: position ${p} is out of range; expected ${base} to ${last} (${layout.slots} slots)`);
      }
      position[r] = p - base;
    }
    if (clickOf && layout.click !== undefined) clicked[r] = click(clickOf(r), () => field(r, layout.click ?? ''));
    if (rewardOf && reward && layout.reward !== undefined) {
      reward[r] = finiteNumber(rewardOf(r), () => field(r, layout.reward ?? ''));
      if (!clickOf) clicked[r] = reward[r] > 0 ? 1 : 0;
    }
    if (propensityOf && propensity && layout.propensity !== undefined) {
      const p = finiteNumber(propensityOf(r), () => field(r, layout.propensity ?? ''));
      if (!(p > 0 && p <= 1)) {
        throw new ImportError(`${field(r, layout.propensity)}: propensity ${propensityOf(r)} is out of range; expected a probability in (0, 1]`);
      }
      propensity[r] = p;
    }
    if (userOf && userId && layout.user !== undefined) userId[r] = wholeNumber(userOf(r), () => field(r, layout.user ?? ''));
    slateId[r] = slateOf && layout.slate !== undefined ? wholeNumber(slateOf(r), () => field(r, layout.slate ?? '')) : r;
  }
  const times = readTimes(table, layout, read(layout.time), field);
  return {
    rows: n,
    ...times,
    slateId,
    ...(userId ? { userId } : {}),
    itemId,
    position,
    ...(propensity ? { propensity } : {}),
    clicked,
    ...(reward ? { reward } : {}),
    features: layout.features.map((name) => {
      const valueOf = read(name) ?? (() => '');
      return featureColumn(name, Array.from({ length: n }, (_, r) => valueOf(r)));
    }),
  };
}

/** Column positions by name; the error names every column the layout needs that the file lacks, and what it has. */
function columnIndex(table: SourceTable, layout: LogLayout): Map<string, number> {
  const index = new Map<string, number>();
  table.header.forEach((name, k) => {
    if (!index.has(name)) index.set(name, k);
  });
  if (layout.click === undefined && layout.reward === undefined) {
    throw new ImportError(`${table.file}: no click or reward column named; expected --click or --reward`);
  }
  const missing = layoutColumns(layout).filter(({ column }) => !index.has(column));
  if (missing.length > 0) {
    const list = missing.map(({ role, column }) => (role === column || role === 'feature' ? `"${column}"` : `"${column}" (${role})`)).join(', ');
    const has = table.header.filter((name) => name !== '').map((name) => `"${name}"`);
    const shown = has.length > 12 ? `${has.slice(0, 12).join(', ')}, … (${has.length} in all)` : has.join(', ');
    throw new ImportError(`${table.file}: missing column${missing.length > 1 ? 's' : ''} ${list}; the file has ${shown}`);
  }
  return index;
}

/** Date-times become days since the earliest; numbers are taken as days; no column: all at 0. */
function readTimes(
  table: SourceTable,
  layout: LogLayout,
  timeOf: ((row: number) => string) | undefined,
  field: (row: number, column: string) => string,
): Pick<ParsedLog, 'time' | 'timestampMicros' | 'timeOrigin'> {
  const n = table.rows.length;
  const time = new Float64Array(n);
  const column = layout.time;
  if (!timeOf || column === undefined) return { time };
  if (NUMBER.test(timeOf(0))) {
    for (let r = 0; r < n; r++) time[r] = finiteNumber(timeOf(r), () => `${field(r, column)} (the first row's is a number of days)`);
    return { time };
  }
  const micros = new Float64Array(n);
  let origin = Number.POSITIVE_INFINITY;
  for (let r = 0; r < n; r++) {
    micros[r] = dateTime(timeOf(r), () => field(r, column));
    origin = Math.min(origin, micros[r]);
  }
  for (let r = 0; r < n; r++) time[r] = (micros[r] - origin) / 86_400_000_000;
  return { time, timestampMicros: micros, timeOrigin: new Date(origin / 1000).toISOString() };
}
