/**
 * Cascade: the user scans from the top, clicks position p with probability
 * sigmoid(u_p - no_click_utility), otherwise moves on with probability position_bias.
 * The draw walks that process; the probabilities are its closed form, from the same click chance.
 */
import { z } from 'zod';
import type { Rng } from '../../rng/index.js';
import { probability } from '../../settings/fields.js';
import { defineChoiceModel, type ChoiceModel } from './choice-model.js';

export class CascadeChoice implements ChoiceModel {
  constructor(
    private readonly positionBias: number,
    private readonly noClickUtility: number,
  ) {}

  clickProbabilities(u: ArrayLike<number>): Float64Array {
    const probs = new Float64Array(u.length);
    // Reach slot p (moved on p times, no earlier click), then click there.
    let reach = 1;
    for (let p = 0; p < u.length; p++) {
      if (p > 0) reach *= this.positionBias;
      const click = this.clickChance(u[p]);
      probs[p] = reach * click;
      reach *= 1 - click;
    }
    return probs;
  }

  choose(u: ArrayLike<number>, rng: Rng): number {
    for (let p = 0; p < u.length; p++) {
      if (p > 0 && !rng.bernoulli(this.positionBias)) return -1;
      if (rng.next() < this.clickChance(u[p])) return p;
    }
    return -1;
  }

  /** Chance of clicking an examined item of click utility u. */
  private clickChance(u: number): number {
    return 1 / (1 + Math.exp(this.noClickUtility - u));
  }
}

export const cascadeChoice = defineChoiceModel({
  name: 'cascade',
  fields: {
    /** Chance of moving on to the next position after not clicking. */
    position_bias: probability.default(0.85),
    no_click_utility: z.number().default(1.5),
  },
  build: (config) => new CascadeChoice(config.position_bias, config.no_click_utility),
});
