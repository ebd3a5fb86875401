/**
 * A contextual slate bandit where every number is known, for testing and benchmarking the
 * estimators. Contexts (user types) arrive uniformly; the item at slot p is clicked with
 * probability θ^p · q[context][item], independently of the other slots — exactly the
 * independent item-position assumption — so any policy's true value is a closed-form sum.
 */
import { Rng } from '../rng/index.js';
import { ScoreRanking } from './policies/ranking.js';
import { slotExpectation, slotProbability } from './slot.js';
import { SlateLogBuilder, type SlateLog } from './slate-log.js';
import type { OpeContext, TargetPolicy } from './types.js';

export interface SyntheticBanditOptions {
  readonly items: number;
  readonly slots: number;
  readonly contexts: number;
  /** θ: examination of slot p is θ^p. */
  readonly positionDecay: number;
  /** Seeds the click rates q (the world), not the logs. */
  readonly seed: string;
}

export class SyntheticSlateBandit {
  /** q[c·items + i]: click chance of item i for context c once its slot is examined. */
  readonly rates: Float64Array;
  private nextSlateId = 0;

  constructor(readonly options: SyntheticBanditOptions) {
    const { items, contexts } = options;
    const rng = new Rng(`synthetic-bandit/${options.seed}`);
    const itemBase = Array.from({ length: items }, () => rng.normal(-1.5, 0.8));
    this.rates = new Float64Array(items * contexts);
    for (let c = 0; c < contexts; c++) {
      for (let i = 0; i < items; i++) this.rates[c * items + i] = 1 / (1 + Math.exp(-(itemBase[i] + rng.normal(0, 1))));
    }
  }

  context(c: number, slateId = 0): OpeContext {
    return { slateId, userId: c, time: 0, catalogSize: this.options.items, slateSize: this.options.slots };
  }

  /** E[reward] of item at slot p for context c. */
  expectedReward(c: number, item: number, p: number): number {
    return this.options.positionDecay ** p * this.rates[c * this.options.items + item];
  }

  /** Ranks items by a (possibly noisy) copy of the true rates per context. */
  ranking(name: string, noise: number, seed: string): ScoreRanking {
    const { items, contexts } = this.options;
    const rng = new Rng(`synthetic-ranking/${seed}`);
    const scores = Array.from({ length: contexts }, (_, c) =>
      Float64Array.from({ length: items }, (_, i) => this.rates[c * items + i] + noise * rng.normal()),
    );
    return new ScoreRanking(name, (ctx) => scores[ctx.userId], (ctx) => ctx.userId);
  }

  /** The exact expected reward per slate of a policy. */
  trueValue(policy: TargetPolicy): number {
    const { items, slots, contexts } = this.options;
    let total = 0;
    for (let c = 0; c < contexts; c++) {
      const ctx = this.context(c);
      for (let p = 0; p < slots; p++) {
        let sum = 0;
        for (let i = 0; i < items; i++) sum += this.expectedReward(c, i, p);
        total += slotExpectation(policy.slot(ctx, p), (i) => this.expectedReward(c, i, p), sum, items);
      }
    }
    return total / contexts;
  }

  /**
   * Serves `slates` slates with `logging` and records them with its exact propensities, or
   * with whatever `report` makes of them (to test what wrong propensities do).
   */
  log(logging: TargetPolicy, slates: number, rng: Rng, report: (exact: number) => number = (p) => p): SlateLog {
    const builder = new SlateLogBuilder();
    for (let s = 0; s < slates; s++) {
      const ctx = this.context(rng.int(this.options.contexts), this.nextSlateId++);
      const items = logging.sample(ctx, rng);
      const props = items.map((item, p) => report(slotProbability(logging.slot(ctx, p), item, ctx.catalogSize)));
      const rewards = items.map((item, p) => (rng.bernoulli(this.expectedReward(ctx.userId, item, p)) ? 1 : 0));
      builder.add(ctx, items, props, rewards);
    }
    return builder.build();
  }
}
