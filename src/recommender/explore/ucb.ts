/**
 * UCB1 on per-item reward rates: index = mean + c·sqrt(ln N / n), with n the item's impressions,
 * mean its observed reward rate and N all impressions counted; items never shown come first.
 * Counts are updated like Thompson sampling's (streamed feedback, rebuilt from the log window at
 * retrain). The slate is the top of the candidates by index, ties kept in the ranker's order,
 * skipping items the creator cap excludes: deterministic, so every propensity is 1.
 */
import { rate } from '../../settings/fields.js';
import type { BinaryReward } from '../../training/rewards.js';
import type { TrainingLog } from '../../training/training-log.js';
import type { Rng } from '../../rng/index.js';
import type { CreatorCap, ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry, SlateFeedback, SlotDistribution } from '../types.js';
import { explorationPolicy, slateStage } from './component.js';
import { entryOf, slotCount } from './entries.js';
import { pointMasses } from './marginals.js';
import { candidateLimit, cappedWalk } from './pool-limit.js';
import { RewardCounts } from './reward-counts.js';
import { reward, update, type UpdateCadence } from './settings.js';

export class UcbPolicy implements ExplorationPolicy {
  readonly name = 'ucb';
  readonly counts: RewardCounts;

  constructor(
    private readonly c: number,
    reward: BinaryReward,
    /** online: counts every slate's feedback as it comes; retrain: only the log window's, at retrain. */
    private readonly update: UpdateCadence = 'online',
  ) {
    this.counts = new RewardCounts(reward);
  }

  select(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, _rng?: Rng, cap?: CreatorCap): SlateEntry[] {
    const index = ordered.map((c) => this.index(c.itemId));
    const order = Array.from(ordered.keys()).sort((a, b) => (index[b] === index[a] ? a - b : index[b] > index[a] ? 1 : -1));
    const limit = candidateLimit(cap, ordered);
    const chosen = limit ? cappedWalk(order, slateSize, limit) : order.slice(0, slotCount(slateSize, ordered.length));
    return chosen.map((k) => entryOf(ordered[k], 1));
  }

  slotMarginals(request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, _rng?: Rng, cap?: CreatorCap): SlotDistribution[] {
    return pointMasses(this.select(request, ordered, slateSize, undefined, cap));
  }

  /** The item's upper confidence bound; +Infinity for an item never shown. */
  index(itemId: number): number {
    const n = this.counts.trials(itemId);
    if (n === 0) return Infinity;
    const mean = this.counts.successes(itemId) / n;
    return mean + this.c * Math.sqrt(Math.log(Math.max(this.counts.total, 1)) / n);
  }

  observe(feedback: SlateFeedback): void {
    if (this.update === 'online') this.counts.observe(feedback);
  }

  retrain(log: TrainingLog): void {
    this.counts.rebuild(log);
  }
}

export const UCB = explorationPolicy({
  name: 'ucb',
  settings: {
    reward,
    /** Index = mean + c·sqrt(ln N / n); c = √2 is UCB1. */
    c: rate.default(Math.SQRT2),
    update,
  },
  reorders: 'its own confidence bounds',
  build: (config) => slateStage(new UcbPolicy(config.c, config.reward, config.update ?? 'online')),
});
