/**
 * Per-slot epsilon-greedy over the catalog, with exact marginals: each slot independently
 * explores with probability ε; exploiting slots keep their greedy item; the explored slots are
 * then filled, in order, with a uniformly random draw without replacement from every catalog
 * item not kept. Every (item, slot) pair has positive probability, so the policy can also serve
 * as a logging policy. The formulas and the sampler are the recommender's own epsilon-greedy
 * (src/recommender/explore/epsilon-slots.ts), with the catalog as the pool and the ranking's top
 * min(slate, catalog) items as the greedy list.
 */
import type { Rng } from '../../rng/index.js';
import { EpsilonSlots } from '../../recommender/explore/epsilon-slots.js';
import type { OpeContext, SlotDistribution, TargetPolicy } from '../types.js';
import type { Ranking } from './ranking.js';

export class EpsilonGreedyTargetPolicy implements TargetPolicy {
  readonly name: string;
  private readonly slots: EpsilonSlots;

  constructor(
    private readonly ranking: Ranking,
    readonly epsilon: number,
  ) {
    this.slots = new EpsilonSlots(epsilon);
    this.name = `epsilon-greedy(${epsilon}, ${ranking.name})`;
  }

  slot(ctx: OpeContext, position: number): SlotDistribution {
    const greedy = this.ranking.top(ctx, ctx.slateSize);
    const n = ctx.catalogSize;
    const L = greedy.length;
    const probs = greedy.map((_, q) => this.slots.probability(n, L, L, position, q));
    const rest = this.slots.probability(n, L, L, position, -1);
    return { items: greedy, probs, restMass: rest * (n - L), restExcludes: greedy };
  }

  sample(ctx: OpeContext, rng: Rng): number[] {
    const greedy = this.ranking.top(ctx, ctx.slateSize);
    return this.slots.sample(ctx.catalogSize, greedy.length, greedy, rng);
  }
}
