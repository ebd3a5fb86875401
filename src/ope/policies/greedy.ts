/** Deterministic: the ranking's top items in order, each slot with probability 1. */
import type { OpeContext, SlotDistribution, TargetPolicy } from '../types.js';
import type { Ranking } from './ranking.js';

export class GreedyTargetPolicy implements TargetPolicy {
  readonly name: string;

  constructor(private readonly ranking: Ranking) {
    this.name = `greedy(${ranking.name})`;
  }

  slot(ctx: OpeContext, position: number): SlotDistribution {
    const top = this.ranking.top(ctx, ctx.slateSize);
    return { items: [top[position]], probs: [1], restMass: 0, restExcludes: [] };
  }

  sample(ctx: OpeContext): number[] {
    return [...this.ranking.top(ctx, ctx.slateSize)];
  }
}
