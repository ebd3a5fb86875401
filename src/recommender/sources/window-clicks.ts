/**
 * Clicks per item over a trailing window of the log, and optionally which (user, item) pairs
 * were clicked anywhere in the log, kept up to date incrementally: each retrain adds the new
 * epoch's clicks, takes away those that left the window or the log, and never recounts the
 * rest. The figures equal a full recount of the log at every retrain.
 *
 * Each log chunk is read once, into its clicked rows sorted by time; the part of a chunk inside
 * the window is then a suffix of those rows, so moving the window moves one index per chunk.
 */
import { grown } from '../../core/typed-arrays.js';
import type { ImpressionBuffer } from '../../training/impression-buffer.js';
import type { LogChunk, TrainingLog } from '../../training/training-log.js';
import { ClickPairs } from './click-pairs.js';

/** A chunk's clicked rows, oldest first, and how much of them the counts hold. */
interface ChunkClicks {
  readonly buffer: ImpressionBuffer;
  readonly rows: number;
  readonly generation: number;
  /** Click times ascending (NaN, which no window holds, first as -Infinity). */
  readonly times: Float64Array;
  readonly items: Int32Array;
  readonly users: Int32Array;
  /** First click (in `times` order) counted in the window counts. */
  start: number;
}

export class WindowClicks {
  /** Clicks per item id inside the window. */
  private counts = new Int32Array(0);
  private readonly chunks = new Map<LogChunk, ChunkClicks>();
  /** Clicked (user, item) pairs over the whole log; absent unless asked for. */
  readonly pairs: ClickPairs | undefined;

  constructor(options: { readonly pairs: boolean }) {
    this.pairs = options.pairs ? new ClickPairs() : undefined;
  }

  /** Brings the counts to the clicks of `log` at or after `since`, and the pairs to all of `log`'s clicks. */
  update(log: TrainingLog, since: number): void {
    const held = new Set<LogChunk>();
    for (const chunk of log.chunks) {
      held.add(chunk);
      let clicks = this.chunks.get(chunk);
      if (clicks && (clicks.buffer !== chunk.impressions || clicks.rows !== chunk.impressions.length || clicks.generation !== chunk.impressions.generation)) {
        this.remove(clicks);
        clicks = undefined;
      }
      if (!clicks) {
        clicks = readClicks(chunk.impressions);
        this.chunks.set(chunk, clicks);
        if (this.pairs) for (let j = 0; j < clicks.users.length; j++) this.pairs.add(clicks.users[j], clicks.items[j], 1);
      }
      this.moveStart(clicks, firstAtOrAfter(clicks.times, since));
    }
    for (const [chunk, clicks] of this.chunks) {
      if (held.has(chunk)) continue;
      this.remove(clicks);
      this.chunks.delete(chunk);
    }
  }

  /** Clicks of `itemId` in the window. */
  count(itemId: number): number {
    return itemId < this.counts.length ? this.counts[itemId] : 0;
  }

  /** Ids below this bound cover every item with a click in the window. */
  get itemBound(): number {
    return this.counts.length;
  }

  private moveStart(clicks: ChunkClicks, start: number): void {
    if (start > clicks.start) this.countItems(clicks.items, clicks.start, start, -1);
    else if (start < clicks.start) this.countItems(clicks.items, start, clicks.start, 1);
    clicks.start = start;
  }

  private remove(clicks: ChunkClicks): void {
    this.countItems(clicks.items, clicks.start, clicks.items.length, -1);
    clicks.start = clicks.items.length;
    if (this.pairs) for (let j = 0; j < clicks.users.length; j++) this.pairs.add(clicks.users[j], clicks.items[j], -1);
  }

  private countItems(items: Int32Array, from: number, to: number, delta: number): void {
    for (let j = from; j < to; j++) {
      const id = items[j];
      if (id >= this.counts.length) {
        this.counts = grown(this.counts, Math.max(64, 2 * this.counts.length, id + 1));
      }
      this.counts[id] += delta;
    }
  }
}

/** The clicked rows of a chunk, sorted by time (stable); nothing counted yet. */
function readClicks(buffer: ImpressionBuffer): ChunkClicks {
  const { slate_row, item_id, clicked, slates } = buffer.columns;
  const timeOf = (i: number): number => slates.time[slate_row[i]];
  const userOf = (i: number): number => slates.user_id[slate_row[i]];
  let n = 0;
  for (let i = 0; i < clicked.length; i++) if (clicked[i] !== 0) n++;
  const rows = new Int32Array(n);
  let sorted = true;
  for (let i = 0, j = 0; i < clicked.length; i++) {
    if (clicked[i] === 0) continue;
    if (item_id[i] < 0 || userOf(i) < 0) throw new RangeError(`impression log: negative id in row ${i}`);
    rows[j] = i;
    if (j > 0 && timeKey(timeOf(i)) < timeKey(timeOf(rows[j - 1]))) sorted = false;
    j++;
  }
  // The loop logs in time order, so this sort only runs for logs put together by hand.
  if (!sorted) rows.sort((a, b) => timeKey(timeOf(a)) - timeKey(timeOf(b)) || a - b);
  const times = new Float64Array(n);
  const items = new Int32Array(n);
  const users = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    times[j] = timeKey(timeOf(rows[j]));
    items[j] = item_id[rows[j]];
    users[j] = userOf(rows[j]);
  }
  return { buffer, rows: buffer.length, generation: buffer.generation, times, items, users, start: n };
}

function timeKey(t: number): number {
  return Number.isNaN(t) ? -Infinity : t;
}

/** First index whose time is at or after `since` (times ascending); the length when none is. */
function firstAtOrAfter(times: Float64Array, since: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] >= since) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
