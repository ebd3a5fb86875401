/**
 * Turns the log window into the ranker's training data by replaying it in time order: each
 * slate's rows get features from the user's click history and the item statistics as they stood
 * *before* that slate (no example sees its own outcome), then the slate's outcomes are added.
 *
 * Only the most recent `maxExamples` rows become examples, but the replay starts at the window's
 * beginning so their histories and statistics are as complete as the window allows.
 *
 * Holdout: for each head, the most recent `holdout` share of the examples that have a label for
 * that head (all examples for click/watch/complete/like; answered surveys for survey; rows whose
 * next calendar day is over for return). Those rows are left out of that head's loss and are
 * used to fit its calibrator and measure its ECE and AUC.
 */
import type { RankerHead } from './heads.js';
import type { TrainingLog } from '../../training/training-log.js';
import { UserHistory } from '../../training/user-history.js';
import type { Device, PublicCatalog, PublicUsers } from '../../world/public.js';
import { UserSummary, type FeatureWriter } from './features.js';
import { ItemStats } from './item-stats.js';
import { headLabel } from './labels.js';
import { nextDayReturnLabels } from './next-day-return.js';
import { UserEngagement } from './user-engagement.js';

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
  /** Item statistics at the end of the window, for serving. */
  readonly stats: ItemStats;
  /** Per-user topic engagement replayed over the window (serving keeps its own, fed in real time). */
  readonly engagement: UserEngagement;
  /** Examples whose slate context (hour, device, sessions) was never observed and was filled in. */
  readonly unobservedSlates: number;
}

interface MutableContext {
  userId: number;
  time: number;
  hourOfDay: number;
  device: Device;
  pastSessions: number;
  requestInSession: number;
}

export function buildTrainingSet(
  log: TrainingLog,
  now: number,
  options: TrainingSetOptions,
  writer: FeatureWriter,
  catalog: PublicCatalog,
  users: PublicUsers,
): TrainingSet {
  const { heads } = options;
  const H = heads.length;
  const { dim, topics } = writer.layout;
  const total = log.rows;
  const n = Math.min(total, options.maxExamples);
  const first = total - n;

  const x = new Float32Array(n * dim);
  const positions = new Int32Array(n);
  const labels = new Float32Array(n * H);
  const known = new Uint8Array(n * H);
  const weights = new Float32Array(n).fill(1);
  const returned = heads.includes('return') ? nextDayReturnLabels(log, now) : null;

  const history = new UserHistory(options.historyLength);
  const stats = new ItemStats();
  const engagement = new UserEngagement(topics, catalog);
  const summary = new UserSummary(topics);
  const ctx: MutableContext = { userId: 0, time: 0, hourOfDay: 0, device: 'mobile', pastSessions: 0, requestInSession: 0 };
  let unobservedSlates = 0;

  let g = 0; // global row index over the window
  for (const chunk of log.chunks) {
    const c = chunk.impressions.columns;
    const rows = c.time.length;
    for (let start = 0; start < rows; ) {
      let end = start + 1;
      while (end < rows && c.slate_id[end] === c.slate_id[start]) end++;
      const userId = c.user_id[start];
      const time = c.time[start];
      if (g + (end - start) > first) {
        summary.fill(history, engagement, userId, time, stats.globalClickRate(time), catalog);
        ctx.userId = userId;
        ctx.time = time;
        // The request's context as logged; the device is the user's public one, as when it was served.
        ctx.device = users.get(userId).device;
        ctx.hourOfDay = c.hour_of_day[start];
        ctx.pastSessions = c.past_sessions[start];
        ctx.requestInSession = c.request_in_session[start];
        if (ctx.hourOfDay < 0 || ctx.pastSessions < 0 || ctx.requestInSession < 0) {
          // Logged without it (e.g. a log from elsewhere): the hour of the row's time, a first request.
          ctx.hourOfDay = Math.floor((time - Math.floor(time)) * 24);
          ctx.pastSessions = 0;
          ctx.requestInSession = 0;
          unobservedSlates += 1;
        }
        for (let i = start; i < end; i++) {
          const e = g + (i - start) - first;
          if (e < 0) continue;
          writer.write(x, e, ctx, summary, c.item_id[i], stats, time);
          positions[e] = c.position[i];
          if (options.ipsClip !== null) weights[e] = Math.min(options.ipsClip, 1 / Math.max(c.propensity[i], 1e-12));
          for (let h = 0; h < H; h++) {
            const y = headLabel(heads[h], c, i, returned === null ? Number.NaN : returned[g + (i - start)]);
            if (Number.isNaN(y)) continue;
            labels[e * H + h] = y;
            known[e * H + h] = 1;
          }
        }
      }
      // Only now does the slate's outcome become history.
      let clickedItem = -1;
      for (let i = start; i < end; i++) {
        stats.add(c.item_id[i], c.time[i], c.clicked[i], c.watch_fraction[i], c.completed[i], c.liked[i], c.survey[i]);
        if (c.clicked[i] === 1) {
          history.record(userId, c.item_id[i], c.time[i]);
          clickedItem = c.item_id[i];
        }
      }
      engagement.addSlate(userId, time, c.item_id.subarray(start, end), clickedItem);
      g += end - start;
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

  return { n, dim, heads, x, positions, labels, trainMask, holdout, weights, stats, engagement, unobservedSlates };
}
