/**
 * Thompson sampling at the candidate stage, over the head of the item distribution: the `head`
 * items with the most impressions in the log window (topped up with the newest uploads while
 * the log is young). Per request, every head item's reward rate is drawn from its Beta posterior
 * and the k best draws become `explore` candidates.
 *
 * A draw cannot pass its posterior's bound (betaDrawBound), so the head is drawn in order of
 * that bound, highest first, and a request stops once the next item's bound is no higher than
 * its k-th best draw: no item left could take a place. The candidates are those of drawing the
 * whole head in that order; once the counts have grown, most of the head is never drawn.
 *
 * The posterior changes only at retrain, so an item's inclusion probability is the same for
 * every request until the next retrain; it is estimated at each retrain (and when built) from
 * `mcDraws` draws of the whole head, smoothed by one phantom uniform draw: π = (wins + k/H) /
 * (mcDraws + 1). π is the chance of being a candidate; candidate-stage.ts says when the slate it
 * logs is the marginal. The head and π are made at retrain, not at the next request: when that
 * request comes must not matter (serving replicas meet their first request at different times).
 */
import type { BinaryReward } from '../../training/rewards.js';
import { betaDrawBound, type KeyedStream, type Rng } from '../../rng/index.js';
import type { TrainingLog } from '../../training/training-log.js';
import type { Candidate, RecRequest } from '../types.js';
import { exploreCandidate, type ExploreSource } from './candidate-stage.js';
import { EXPLORE_SOURCE } from './entries.js';
import { RewardCounts } from './reward-counts.js';
import { requestDraws } from '../request-draws.js';

/** Head items drawn between two looks at the bound: a look costs about what a draw does. */
const DRAWS_PER_LOOK = 16;

export interface ThompsonCandidatesOptions {
  readonly reward: BinaryReward;
  readonly prior: readonly [number, number];
  readonly k: number;
  readonly head: number;
  readonly mcDraws: number;
}

export class ThompsonExploreSource implements ExploreSource {
  readonly name = EXPLORE_SOURCE;
  private readonly counts: RewardCounts;
  private headIds = new Int32Array(0);
  private alpha = new Float64Array(0);
  private beta = new Float64Array(0);
  private inclusionOf = new Map<number, number>();
  /** The head in the order a request draws it, highest bound first: head positions, and their posteriors and bounds in that order. */
  private drawOrder = new Int32Array(0);
  private orderedAlpha = new Float64Array(0);
  private orderedBeta = new Float64Array(0);
  private orderedBound = new Float64Array(0);
  /** Drawn by every request before the bound is looked at: the k a request needs to compare with, and the items whose bound is 1. */
  private mustDraw = 0;

  constructor(
    private readonly options: ThompsonCandidatesOptions,
    private readonly catalogSize: () => number,
    /** The per-request draws, keyed by request (slate id). */
    private readonly draws: KeyedStream,
    private readonly mcRng: Rng,
  ) {
    this.counts = new RewardCounts(options.reward);
    this.rebuildHead();
  }

  retrain(log: TrainingLog): void {
    this.counts.rebuild(log);
    this.rebuildHead();
  }

  generate(requests: readonly RecRequest[]): Candidate[][] {
    const theta = new Float64Array(this.headIds.length);
    const best = { values: new Float64Array(this.k()), draws: new Int32Array(this.k()) };
    return requests.map((request) => {
      this.drawUntilBound(request, theta, best);
      return Array.from(best.draws, (j) => exploreCandidate(this.headIds[this.drawOrder[j]]));
    });
  }

  /**
   * Draws the head in bound order into theta from the request's key until no item left can pass
   * the k-th best draw, keeping the k best in `best` (largest first, ties to the item drawn first,
   * as topK over the draws would give them).
   */
  private drawUntilBound(request: RecRequest, theta: Float64Array, best: BestDraws): void {
    const k = best.values.length;
    const { orderedAlpha, orderedBeta, orderedBound } = this;
    const size = orderedAlpha.length;
    if (k === 0) return;
    requestDraws(this.draws, request);
    // What every request draws in one call (the k to compare with, and the items whose bound is 1), then a look at the bound every few.
    let drawn = this.mustDraw;
    this.draws.betaDraws(orderedAlpha, orderedBeta, theta, 0, drawn);
    let held = 0;
    for (let j = 0; j < drawn; j++) held = keepBest(best, held, theta[j], j);
    // An item left draws at most its bound, and a tie goes to the item drawn first.
    while (drawn < size && orderedBound[drawn] > best.values[k - 1]) {
      const end = Math.min(size, drawn + DRAWS_PER_LOOK);
      this.draws.betaDraws(orderedAlpha, orderedBeta, theta, drawn, end);
      for (; drawn < end; drawn++) held = keepBest(best, held, theta[drawn], drawn);
    }
  }

  inclusion(_request: RecRequest, itemId: number): number {
    return this.inclusionOf.get(itemId) ?? 0;
  }

  /** The head's item ids, most impressions first. */
  get head(): Int32Array {
    return this.headIds;
  }

  private k(): number {
    return Math.min(this.options.k, this.headIds.length);
  }

  private draw(rng: Rng, out: Float64Array): void {
    for (let h = 0; h < out.length; h++) out[h] = rng.beta(this.alpha[h], this.beta[h]);
  }

  private rebuildHead(): void {
    const size = this.catalogSize();
    const seen = [...this.counts.seen()].sort((a, b) => this.counts.trials(b) - this.counts.trials(a) || a - b);
    const ids = seen.slice(0, this.options.head);
    const taken = new Set(ids);
    for (let id = size - 1; id >= 0 && ids.length < Math.min(this.options.head, size); id--) if (!taken.has(id)) ids.push(id);
    this.headIds = Int32Array.from(ids);
    const [a, b] = this.options.prior;
    this.alpha = Float64Array.from(ids, (id) => a + this.counts.successes(id));
    this.beta = Float64Array.from(ids, (id) => b + this.counts.trials(id) - this.counts.successes(id));
    const bounds = Float64Array.from(ids, (_, h) => betaDrawBound(this.alpha[h], this.beta[h]));
    this.drawOrder = Int32Array.from(ids.keys()).sort((g, h) => bounds[h] - bounds[g] || g - h);
    this.orderedAlpha = Float64Array.from(this.drawOrder, (h) => this.alpha[h]);
    this.orderedBeta = Float64Array.from(this.drawOrder, (h) => this.beta[h]);
    this.orderedBound = Float64Array.from(this.drawOrder, (h) => bounds[h]);
    this.mustDraw = Math.max(this.k(), this.orderedBound.filter((bound) => bound >= 1).length);
    this.estimateInclusion();
  }

  private estimateInclusion(): void {
    const h = this.headIds.length;
    const k = this.k();
    const wins = new Float64Array(h);
    const theta = new Float64Array(h);
    const draws = this.options.mcDraws;
    for (let m = 0; m < draws; m++) {
      this.draw(this.mcRng, theta);
      for (const j of topK(theta, k)) wins[j]++;
    }
    this.inclusionOf = new Map();
    for (let j = 0; j < h; j++) this.inclusionOf.set(this.headIds[j], (wins[j] + k / h) / (draws + 1));
  }
}

/** The k best draws of a request: their values, largest first, and which draws they were. */
interface BestDraws {
  readonly values: Float64Array;
  readonly draws: Int32Array;
}

/** Adds draw `draw` of value `value` to the `held` best kept (at most k); returns how many are kept now. */
function keepBest(best: BestDraws, held: number, value: number, draw: number): number {
  const { values, draws } = best;
  const k = values.length;
  if (held === k && !(value > values[k - 1])) return held;
  let at = held === k ? k - 1 : held;
  while (at > 0 && value > values[at - 1]) {
    values[at] = values[at - 1];
    draws[at] = draws[at - 1];
    at--;
  }
  values[at] = value;
  draws[at] = draw;
  return held === k ? k : held + 1;
}

/** Indices of the k largest values, largest first (ties: lower index); O(n·k), for small k. */
export function topK(values: Float64Array, k: number): number[] {
  const best: number[] = [];
  if (k <= 0) return best;
  for (let i = 0; i < values.length; i++) {
    if (best.length === k && values[i] <= values[best[k - 1]]) continue;
    let at = best.length === k ? k - 1 : best.length;
    if (best.length < k) best.push(i);
    while (at > 0 && values[i] > values[best[at - 1]]) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = i;
  }
  return best;
}
