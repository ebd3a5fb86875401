/**
 * Thompson sampling at the candidate stage, over the head of the item distribution: the `head`
 * items with the most impressions in the log window (topped up with the newest uploads while
 * the log is young). Per request, every head item's reward rate is drawn from its Beta posterior
 * and the k best draws become `explore` candidates.
 *
 * The posterior changes only at retrain, so an item's inclusion probability is the same for
 * every request until the next retrain; it is estimated at each retrain (and when built) from
 * `mcDraws` draws of the whole head, smoothed by one phantom uniform draw: π = (wins + k/H) /
 * (mcDraws + 1). π is the chance of being a candidate; candidate-stage.ts says when the slate it
 * logs is the marginal. The head and π are made at retrain, not at the next request: when that
 * request comes must not matter (serving replicas meet their first request at different times).
 */
import type { BinaryReward } from '../../training/rewards.js';
import type { KeyedStream, Rng } from '../../rng/index.js';
import type { TrainingLog } from '../../training/training-log.js';
import type { Candidate, RecRequest } from '../types.js';
import { exploreCandidate, type ExploreSource } from './candidate-stage.js';
import { EXPLORE_SOURCE } from './entries.js';
import { RewardCounts } from './reward-counts.js';
import { requestBetaDraws } from '../request-draws.js';

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
    return requests.map((request) => {
      requestBetaDraws(this.draws, request, this.alpha, this.beta, theta);
      return topK(theta, this.k()).map((h) => exploreCandidate(this.headIds[h]));
    });
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
