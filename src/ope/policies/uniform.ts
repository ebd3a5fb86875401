/** Uniformly random slates: every item is equally likely in every slot, P = 1 / catalog size. */
import type { Rng } from '../../rng/index.js';
import type { OpeContext, SlotDistribution, TargetPolicy } from '../types.js';

const UNIFORM: SlotDistribution = Object.freeze({ items: [], probs: [], restMass: 1, restExcludes: [] });

export class UniformPolicy implements TargetPolicy {
  readonly name = 'uniform';

  slot(): SlotDistribution {
    return UNIFORM;
  }

  sample(ctx: OpeContext, rng: Rng): number[] {
    // A uniform subset in uniform order is a uniform ordered draw (sampleIndices alone returns ascending ids).
    return rng.shuffle(rng.sampleIndices(ctx.catalogSize, Math.min(ctx.slateSize, ctx.catalogSize)));
  }
}
