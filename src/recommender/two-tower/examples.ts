/**
 * Positive examples for the two-tower model: the clicked impressions of the log window, each
 * with the user's click history as it stood just BEFORE that click (so the label never leaks
 * into the input). Histories are replayed from the window itself, so clicks older than the
 * window are not in them; serving uses the live history, which has no such cut.
 */
import type { TrainingLog } from '../../training/training-log.js';

export interface TrainingExamples {
  readonly count: number;
  readonly historyLength: number;
  readonly userIds: Int32Array;
  readonly itemIds: Int32Array;
  readonly times: Float64Array;
  /** count × historyLength, newest first; only the first historyCounts[e] of each row are set. */
  readonly historyItems: Int32Array;
  readonly historyTimes: Float64Array;
  readonly historyCounts: Int32Array;
}

interface Ring {
  readonly items: Int32Array;
  readonly times: Float64Array;
  clicks: number;
}

/**
 * The most recent `maxExamples` clicks of the log's chunks from `firstChunk` on (0: the whole
 * window). Older clicks, in earlier chunks or past the cap, still feed the histories.
 */
export function collectExamples(log: TrainingLog, historyLength: number, maxExamples: number, firstChunk = 0): TrainingExamples {
  let total = 0;
  for (const chunk of log.chunks.slice(firstChunk)) for (const c of chunk.impressions.columns.clicked) total += c;
  const count = Math.min(total, maxExamples);
  const skip = total - count;
  const H = historyLength;
  const out: TrainingExamples = {
    count,
    historyLength: H,
    userIds: new Int32Array(count),
    itemIds: new Int32Array(count),
    times: new Float64Array(count),
    historyItems: new Int32Array(count * H),
    historyTimes: new Float64Array(count * H),
    historyCounts: new Int32Array(count),
  };
  const rings = new Map<number, Ring>();
  let seen = 0;
  // Chunks are oldest first and rows are appended in serving order, so this is time order.
  for (const [c, chunk] of log.chunks.entries()) {
    const eligible = c >= firstChunk;
    const { slate_row, item_id, clicked, slates } = chunk.impressions.columns;
    for (let i = 0; i < clicked.length; i++) {
      if (clicked[i] === 0) continue;
      const user = slates.user_id[slate_row[i]];
      const time = slates.time[slate_row[i]];
      let ring = rings.get(user);
      if (!ring) rings.set(user, (ring = { items: new Int32Array(H), times: new Float64Array(H), clicks: 0 }));
      const e = eligible ? seen++ - skip : -1;
      if (e >= 0) {
        out.userIds[e] = user;
        out.itemIds[e] = item_id[i];
        out.times[e] = time;
        const n = Math.min(ring.clicks, H);
        out.historyCounts[e] = n;
        for (let k = 1; k <= n; k++) {
          const slot = (ring.clicks - k) % H;
          out.historyItems[e * H + k - 1] = ring.items[slot];
          out.historyTimes[e * H + k - 1] = ring.times[slot];
        }
      }
      // Recorded after the example is taken: this click is history only for later ones.
      const slot = ring.clicks % H;
      ring.items[slot] = item_id[i];
      ring.times[slot] = time;
      ring.clicks++;
    }
  }
  return out;
}
