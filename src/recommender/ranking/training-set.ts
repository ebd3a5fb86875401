/**
 * The ranker's training data from the log window: features from the log replay
 * (training-replay.ts: each slate's rows as they stood *before* its own outcome), labels,
 * positions and weights as logged.
 *
 * Only the most recent `maxExamples` rows become examples; their features come from every row
 * replayed before them, not only the window's.
 *
 * Holdout: for each head, the most recent `holdout` share of the examples that have a label for
 * that head (all examples for click/watch/complete/like; answered surveys for survey; rows whose
 * next calendar day is over for return). Those rows are left out of that head's loss and are
 * used to fit its calibrator and measure its ECE and AUC.
 */
import type { RankerHead } from './heads.js';
import type { TrainingLog } from '../../training/training-log.js';
import type { PublicCatalog, PublicUsers } from '../../world/public.js';
import type { FeatureWriter } from './features.js';
import { ItemStats } from './item-stats.js';
import { headLabel } from './labels.js';
import { nextDayReturnLabels } from './next-day-return.js';
import { slateEnd } from '../../training/impression-buffer.js';
import { contextLogged, TrainingReplay } from './training-replay.js';
import type { UserEngagement } from './user-engagement.js';

export interface TrainingSetOptions {
  readonly heads: readonly RankerHead[];
  readonly maxExamples: number;
  /** Share of each head's labelled examples held out, most recent first. */
  readonly holdout: number;
  /** IPS weights min(clip, 1/propensity) when set; weight 1 otherwise. */
  readonly ipsClip: number | null;
  readonly historyLength: number;
}

export interface TrainingSet {
  readonly n: number;
  readonly dim: number;
  readonly heads: readonly RankerHead[];
  /** n × dim features, raw (not standardized), in time order. */
  readonly x: Float32Array;
  /** Logged slate position of each example. */
  readonly positions: Int32Array;
  /** n × heads labels (0 where unknown). */
  readonly labels: Float32Array;
  /** n × heads: 1 where the label is known and the row is not held out for that head. */
  readonly trainMask: Float32Array;
  /** Per head, the held-out example indices in time order. */
  readonly holdout: readonly Int32Array[];
  /** Example weight (inverse propensity, clipped, or 1). */
  readonly weights: Float32Array;
  /** Item statistics after the window's last row (a copy), for serving. */
  readonly stats: ItemStats;
  /** Per-user topic engagement as replayed through the window (serving keeps its own, fed in real time; the replay advances this one at its next call). */
  readonly engagement: UserEngagement;
  /** Examples whose slate context (hour, device, sessions) was never observed and was filled in. */
  readonly unobservedSlates: number;
}

/**
 * `replay` carries the features from call to call (a ranker keeps one); without it the window
 * is replayed afresh.
 */
export function buildTrainingSet(
  log: TrainingLog,
  now: number,
  options: TrainingSetOptions,
  writer: FeatureWriter,
  catalog: PublicCatalog,
  users: PublicUsers,
  replay = new TrainingReplay(options.historyLength, writer.layout.topics, catalog),
): TrainingSet {
  const { heads } = options;
  const H = heads.length;
  const { dim } = writer.layout;
  const n = Math.min(log.rows, options.maxExamples);
  const first = log.rows - n;

  const x = replay.features(log, n, writer, users);
  const positions = new Int32Array(n);
  const labels = new Float32Array(n * H);
  const known = new Uint8Array(n * H);
  const weights = new Float32Array(n).fill(1);
  const returned = heads.includes('return') ? nextDayReturnLabels(log, now, first) : null;
  let unobservedSlates = 0;

  let w = 0; // window row
  for (const chunk of log.chunks) {
    const c = chunk.impressions.columns;
    const rows = c.slate_row.length;
    if (w + rows <= first) {
      w += rows;
      continue;
    }
    for (let start = 0; start < rows; ) {
      const end = slateEnd(c, start);
      if (w + (end - start) > first && !contextLogged(c, start)) unobservedSlates += 1;
      for (let i = start; i < end; i++) {
        const e = w + (i - start) - first;
        if (e < 0) continue;
        positions[e] = c.position[i];
        if (options.ipsClip !== null) weights[e] = Math.min(options.ipsClip, 1 / Math.max(c.propensity[i], 1e-12));
        for (let h = 0; h < H; h++) {
          const y = headLabel(heads[h], c, i, returned === null ? Number.NaN : returned[e]);
          if (Number.isNaN(y)) continue;
          labels[e * H + h] = y;
          known[e * H + h] = 1;
        }
      }
      w += end - start;
      start = end;
    }
  }
  const trainMask = Float32Array.from(known);
  const holdout = heads.map((_, h) => {
    let labelled = 0;
    for (let e = 0; e < n; e++) labelled += known[e * H + h];
    const held = Math.round(options.holdout * labelled);
    const rows = new Int32Array(held);
    let k = held;
    for (let e = n - 1; e >= 0 && k > 0; e--) {
      if (known[e * H + h] === 0) continue;
      rows[--k] = e;
      trainMask[e * H + h] = 0;
    }
    return rows;
  });

  const stats = ItemStats.fromState(replay.stats.state());
  return { n, dim, heads, x, positions, labels, trainMask, holdout, weights, stats, engagement: replay.engagement, unobservedSlates };
}
