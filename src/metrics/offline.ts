/**
 * Offline ranking metrics: how well a ranked list recovers the items a user went on to click
 * in held-out sessions (binary relevance). Pure functions, plus a helper that trains a
 * recommender on a log window minus its last day and scores its slates against that day.
 * These measure agreement with what the logging policy let users click, not the value of
 * showing the list: OPE (src/ope) is the tool for that.
 */
import type { Recommender, RecRequest } from '../recommender/types.js';
import type { ImpressionBuffer } from '../training/impression-buffer.js';
import { TrainingLog } from '../training/training-log.js';
import type { PublicUsers } from '../world/public.js';

/** Binary-relevance NDCG@k: Σ_{rank r<k, relevant} 1/log2(r+2), over the best possible for |relevant|. */
export function ndcgAtK(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  for (let r = 0; r < Math.min(k, ranked.length); r++) if (relevant.has(ranked[r])) dcg += 1 / Math.log2(r + 2);
  let ideal = 0;
  for (let r = 0; r < Math.min(k, relevant.size); r++) ideal += 1 / Math.log2(r + 2);
  return dcg / ideal;
}

/** 1 / (1-based rank of the first relevant item within the first k), 0 when none. */
export function reciprocalRank(ranked: readonly number[], relevant: ReadonlySet<number>, k = ranked.length): number {
  for (let r = 0; r < Math.min(k, ranked.length); r++) if (relevant.has(ranked[r])) return 1 / (r + 1);
  return 0;
}

/** Share of the relevant items found in the first k. */
export function recallAtK(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  for (let r = 0; r < Math.min(k, ranked.length); r++) if (relevant.has(ranked[r])) hits++;
  return hits / relevant.size;
}

export interface RankingScores {
  readonly k: number;
  /** Users averaged over (those with at least one relevant item). */
  readonly users: number;
  readonly ndcg: number;
  readonly mrr: number;
  readonly recall: number;
}

/** Means over users of NDCG@k, MRR (within k) and recall@k; users without relevant items are skipped. */
export function meanRankingScores(cases: Iterable<{ ranked: readonly number[]; relevant: ReadonlySet<number> }>, k: number): RankingScores {
  let users = 0;
  let ndcg = 0;
  let mrr = 0;
  let recall = 0;
  for (const { ranked, relevant } of cases) {
    if (relevant.size === 0) continue;
    users++;
    ndcg += ndcgAtK(ranked, relevant, k);
    mrr += reciprocalRank(ranked, relevant, k);
    recall += recallAtK(ranked, relevant, k);
  }
  const mean = (x: number): number => (users > 0 ? x / users : Number.NaN);
  return { k, users, ndcg: mean(ndcg), mrr: mean(mrr), recall: mean(recall) };
}

/** Items each user clicked in since <= time < until, by user id. */
export function clickedByUser(buffers: readonly ImpressionBuffer[], since: number, until: number): Map<number, Set<number>> {
  const byUser = new Map<number, Set<number>>();
  for (const buffer of buffers) {
    const { slate_row, item_id, clicked, slates } = buffer.columns;
    for (let i = 0; i < item_id.length; i++) {
      if (clicked[i] === 0) continue;
      const s = slate_row[i];
      if (slates.time[s] < since || slates.time[s] >= until) continue;
      let set = byUser.get(slates.user_id[s]);
      if (!set) byUser.set(slates.user_id[s], (set = new Set()));
      set.add(item_id[i]);
    }
  }
  return byUser;
}

/** A gap longer than this between a user's slates starts a new session (the usual 30-minute rule). */
const SESSION_GAP_DAYS = 30 / 1440;

export interface HeldOutOptions {
  readonly users: PublicUsers;
  readonly k: number;
  /** The last this many days of the log are held out (default 1); must fall on epoch boundaries. */
  readonly heldOutDays?: number;
}

export interface HeldOutScores extends RankingScores {
  /** Training used the log before this time; held-out sessions start here. */
  readonly split: number;
  readonly until: number;
}

/**
 * Retrains `recommender` (it is changed: pass a fresh one) on the log window without its last
 * `heldOutDays`, asks it for one slate per user who clicked in the held-out days (as a first
 * request at the split time, with past sessions counted from the training log by the 30-minute
 * rule), and scores the slates against those clicks.
 */
export async function evaluateOnHeldOut(recommender: Recommender, log: TrainingLog, options: HeldOutOptions): Promise<HeldOutScores> {
  const chunks = log.chunks;
  if (chunks.length < 2) throw new Error('evaluateOnHeldOut needs at least two epochs in the log window');
  const until = chunks[chunks.length - 1].end;
  const split = until - (options.heldOutDays ?? 1);
  const train = new TrainingLog(log.windowDays);
  const held: ImpressionBuffer[] = [];
  for (const chunk of chunks) {
    if (chunk.end <= split + 1e-9) train.add(chunk);
    else if (chunk.start >= split - 1e-9) held.push(chunk.impressions);
    else throw new Error(`held-out split at day ${split} falls inside epoch ${chunk.epoch}`);
  }
  if (train.chunks.length === 0) throw new Error('no epoch left to train on before the held-out days');
  await recommender.retrain(train, split);
  const relevant = clickedByUser(held, split, until);
  const userIds = [...relevant.keys()].sort((a, b) => a - b);
  const sessions = pastSessions(train);
  const requests: RecRequest[] = userIds.map((userId, slateId) => ({
    slateId,
    userId,
    time: split,
    hourOfDay: Math.floor((split - Math.floor(split)) * 24),
    device: options.users.get(userId).device,
    requestInSession: 0,
    pastSessions: sessions.get(userId) ?? 0,
  }));
  const slates = recommender.serve(requests);
  const scores = meanRankingScores(
    slates.map((slate, r) => ({ ranked: slate.entries.map((e) => e.itemId), relevant: relevant.get(userIds[r]) ?? new Set<number>() })),
    options.k,
  );
  return { ...scores, split, until };
}

/** Sessions per user in the log, split where a user's slates are more than 30 minutes apart. */
function pastSessions(log: TrainingLog): Map<number, number> {
  const last = new Map<number, number>();
  const count = new Map<number, number>();
  for (const chunk of log.chunks) {
    const { slate_row, position, slates } = chunk.impressions.columns;
    for (let i = 0; i < position.length; i++) {
      if (position[i] !== 0) continue;
      const u = slates.user_id[slate_row[i]];
      const time = slates.time[slate_row[i]];
      const prev = last.get(u);
      if (prev === undefined || time - prev > SESSION_GAP_DAYS) count.set(u, (count.get(u) ?? 0) + 1);
      last.set(u, time);
    }
  }
  return count;
}
