/**
 * The merge at the end of an epoch of a run split by users (simulation/shard-epoch.ts). Each
 * shard's events are already in the canonical order of the run — by the time and rank of the
 * loop event they happened in, then, for served slates, by their request's — so one pass that
 * always takes the shard whose next event comes first gives the order one thread would have
 * produced. Slates get their ids in that order, and their impression rows follow them.
 */
import type { SimEvent } from '../metrics/types.js';
import type { SlateFeedback } from '../recommender/types.js';
import { EventLog } from '../simulation/event-log.js';
import { KEY_WIDTH, type ShardEpoch } from '../simulation/shard-epoch.js';
import { ImpressionBuffer } from '../training/impression-buffer.js';
import { FeedbackReader, type Packed } from './wire-format.js';

export interface ShardMerge {
  readonly events: MergedEvents;
  readonly impressions: ImpressionBuffer;
  /** The shard each slate of the merged order came from. */
  readonly origin: Uint8Array;
}

/** Merges the shards' epochs; slate ids start at `firstSlateId`. */
export function mergeShardEpochs(shards: readonly ShardEpoch[], firstSlateId: number): ShardMerge {
  const logs = shards.map((shard) => EventLog.over(shard.events));
  const next = new Array<number>(shards.length).fill(0);
  const rows = new Array<number>(shards.length).fill(0);
  const total = logs.reduce((sum, log) => sum + log.count, 0);
  const order = { shard: new Uint8Array(total), index: new Int32Array(total), slateId: new Float64Array(total) };
  // Each shard's columns read once, and its string codes mapped to the merged log's once.
  const columns = shards.map((shard) => shard.impressions.columns);
  // In shared memory: the merged log goes to every shard thread, which reads it without a copy.
  const impressions = new ImpressionBuffer(
    Math.max(1, columns.reduce((sum, c) => sum + c.slate_row.length, 0)),
    'shared',
    Math.max(1, columns.reduce((sum, c) => sum + c.slates.time.length, 0)),
  );
  const codes = shards.map((shard) => impressions.codesFor(shard.impressions.strings));
  const origin: number[] = [];
  for (let e = 0; e < total; e++) {
    let from = -1;
    for (let s = 0; s < shards.length; s++) {
      if (next[s] < logs[s].count && (from < 0 || before(shards[s], next[s], shards[from], next[from]))) from = s;
    }
    const i = next[from]++;
    order.shard[e] = from;
    order.index[e] = i;
    if (!logs[from].isSlate(i)) continue;
    const slateId = firstSlateId + origin.length;
    const start = rows[from];
    rows[from] += logs[from].slateItems(i);
    impressions.appendSlate(columns[from], codes[from], start, rows[from], slateId);
    order.slateId[e] = slateId;
    origin.push(from);
  }
  columns.forEach((c, s) => {
    if (rows[s] !== c.slate_row.length) throw new Error(`shard ${s}: ${c.slate_row.length} impressions, but its slate events show ${rows[s]}`);
  });
  return { events: new MergedEvents(logs, order), impressions, origin: Uint8Array.from(origin) };
}

/** The shards' events in the merged order, each made as it is read (and a slate given its merged id), so none is held. */
export class MergedEvents implements Iterable<SimEvent> {
  constructor(
    private readonly logs: readonly EventLog[],
    private readonly order: { readonly shard: Uint8Array; readonly index: Int32Array; readonly slateId: Float64Array },
  ) {}

  get length(): number {
    return this.order.shard.length;
  }

  at(e: number): SimEvent {
    const log = this.logs[this.order.shard[e]];
    const i = this.order.index[e];
    return log.isSlate(i) ? log.event(i, this.order.slateId[e]) : log.event(i);
  }

  *[Symbol.iterator](): Iterator<SimEvent> {
    for (let e = 0; e < this.length; e++) yield this.at(e);
  }
}

/**
 * The feedback of every shard but `own`, in the merged order of the slates (`origin`), each read
 * from its shard's packed feedback as it is taken, so none is held.
 */
export function* replayFor(own: number, origin: Uint8Array, feedback: readonly Packed[]): Generator<SlateFeedback> {
  const readers = feedback.map((packed, s) => (s === own ? null : new FeedbackReader(packed)));
  for (const s of origin) {
    const reader = readers[s];
    if (reader) yield reader.next();
  }
}

/** Whether event `i` of shard `a` comes before event `j` of shard `b` (ties cannot span shards but arrivals, which shard 0 alone records). */
function before(a: ShardEpoch, i: number, b: ShardEpoch, j: number): boolean {
  for (let k = 0; k < KEY_WIDTH; k++) {
    const x = a.keys[i * KEY_WIDTH + k];
    const y = b.keys[j * KEY_WIDTH + k];
    if (x !== y) return x < y;
  }
  return false;
}

/** The shards' tallies summed, count by count (in shard order, so every thread gets the same sums). */
export function sumTallies(tallies: readonly Float64Array[]): Float64Array {
  const total = new Float64Array(tallies[0]?.length ?? 0);
  for (const tally of tallies) {
    if (tally.length !== total.length) throw new Error(`shards kept ${tally.length} and ${total.length} serving counts`);
    for (let k = 0; k < total.length; k++) total[k] += tally[k];
  }
  return total;
}
