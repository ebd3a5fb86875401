/**
 * Position-biased multinomial logit with a no-click option: the item at position p is chosen
 * with weight bias^p * exp(u_p), against exp(no_click_utility) for leaving without a click.
 * One weight computation serves both the draw and the probabilities.
 */
import { z } from 'zod';
import type { Rng } from '../../rng/index.js';
import { probability } from '../../settings/fields.js';
import { defineChoiceModel, type ChoiceModel } from './choice-model.js';

export class MultinomialLogitChoice implements ChoiceModel {
  private readonly noClickWeight: number;

  constructor(
    private readonly positionBias: number,
    noClickUtility: number,
  ) {
    this.noClickWeight = Math.exp(noClickUtility);
  }

  /** Reused between draws: slates are short and choices are made one at a time. */
  private weights = new Float64Array(16);

  clickProbabilities(u: ArrayLike<number>): Float64Array {
    const probs = new Float64Array(u.length);
    const total = this.fillWeights(u, probs);
    for (let p = 0; p < u.length; p++) probs[p] /= total;
    return probs;
  }

  choose(u: ArrayLike<number>, rng: Rng): number {
    if (this.weights.length < u.length) this.weights = new Float64Array(u.length);
    const weights = this.weights;
    let r = rng.next() * this.fillWeights(u, weights);
    for (let p = 0; p < u.length; p++) {
      r -= weights[p];
      if (r < 0) return p;
    }
    return -1;
  }

  /** Writes each position's weight into `weights`; returns their total with the no-click weight. */
  private fillWeights(u: ArrayLike<number>, weights: Float64Array): number {
    let total = this.noClickWeight;
    let examine = 1;
    for (let p = 0; p < u.length; p++) {
      weights[p] = examine * Math.exp(u[p]);
      total += weights[p];
      examine *= this.positionBias;
    }
    return total;
  }
}

export const mnlChoice = defineChoiceModel({
  name: 'mnl',
  fields: {
    /** Examination decays as position_bias^position. */
    position_bias: probability.default(0.85),
    no_click_utility: z.number().default(1.5),
  },
  build: (config) => new MultinomialLogitChoice(config.position_bias, config.no_click_utility),
});
