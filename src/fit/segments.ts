/**
 * User segments from a log's user features: the most frequent combinations of the chosen
 * columns' values, each of at least a minimum share of the rows, and one "other" segment for
 * every remaining row. A segment is a group of traffic, not a person: OBD's logs have no user id.
 */
export interface SegmentSpec {
  /** The feature columns the segments are combinations of; empty: one segment, everybody. */
  readonly columns: readonly string[];
  /** At most this many named segments (besides "other"). */
  readonly maxSegments: number;
  /** A combination needs at least this share of the rows to be a segment of its own. */
  readonly minShare: number;
}

export interface Segmentation {
  /** Named segments first, by decreasing frequency; "other" last when any row is left over. */
  readonly names: readonly string[];
  /** Each named segment's feature values (null for "other"). */
  readonly values: readonly (Readonly<Record<string, string>> | null)[];
  /** Each row's segment. */
  readonly ofRow: Int32Array;
  readonly rows: readonly number[];
}

export const OTHER_SEGMENT = 'other';

export function segmentRows(columns: Readonly<Record<string, readonly string[]>>, rows: number, spec: SegmentSpec): Segmentation {
  const keyOf = (r: number): string => JSON.stringify(spec.columns.map((c) => columns[c][r]));
  const counts = new Map<string, number>();
  for (let r = 0; r < rows; r++) {
    const key = keyOf(r);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // Ties broken by the key, so the same log always gives the same segments.
  const chosen = [...counts.entries()]
    .filter(([, n]) => n >= spec.minShare * rows)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, spec.maxSegments)
    .map(([key]) => key);
  const index = new Map(chosen.map((key, s) => [key, s]));
  const ofRow = new Int32Array(rows);
  let leftOver = false;
  for (let r = 0; r < rows; r++) {
    const s = index.get(keyOf(r));
    if (s === undefined) leftOver = true;
    ofRow[r] = s ?? chosen.length;
  }
  const named = chosen.map((key) => {
    const values = JSON.parse(key) as string[];
    return Object.fromEntries(spec.columns.map((c, k) => [c, values[k]]));
  });
  const names = named.map((values, s) => (spec.columns.length === 0 ? 'all' : `segment ${s + 1}: ${Object.values(values).map(short).join(' ')}`));
  const all = leftOver ? [...names, OTHER_SEGMENT] : names;
  const perSegment = new Array<number>(all.length).fill(0);
  for (const s of ofRow) perSegment[s]++;
  return { names: all, values: leftOver ? [...named, null] : named, ofRow, rows: perSegment };
}

/** Hashed values (OBD's are 32 hex digits) shortened for a segment's name; the full values stay in `values`. */
function short(value: string): string {
  return value.length > 8 ? value.slice(0, 6) : value;
}
