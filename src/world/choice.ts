/**
 * Choice models: given the click utilities of a slate in position order, which item (if any)
 * the user clicks. Both models see position: examination falls off as position_bias^position.
 */
import type { Rng } from '../rng/index.js';

export interface ChoiceModel {
  /** Index of the clicked position, or -1 for no click. */
  choose(clickUtilities: ArrayLike<number>, rng: Rng): number;
}

/**
 * Position-biased multinomial logit with a no-click option: the item at position p is chosen
 * with weight bias^p * exp(u_p), against exp(no_click_utility) for leaving without a click.
 */
export class MultinomialLogitChoice implements ChoiceModel {
  private readonly noClickWeight: number;

  constructor(
    private readonly positionBias: number,
    noClickUtility: number,
  ) {
    this.noClickWeight = Math.exp(noClickUtility);
  }

  /** Reused between calls: slates are short and choices are made one at a time. */
  private weights = new Float64Array(16);

  choose(u: ArrayLike<number>, rng: Rng): number {
    if (this.weights.length < u.length) this.weights = new Float64Array(u.length);
    const weights = this.weights;
    let total = this.noClickWeight;
    let examine = 1;
    for (let p = 0; p < u.length; p++) {
      weights[p] = examine * Math.exp(u[p]);
      total += weights[p];
      examine *= this.positionBias;
    }
    let r = rng.next() * total;
    for (let p = 0; p < u.length; p++) {
      r -= weights[p];
      if (r < 0) return p;
    }
    return -1;
  }
}

/**
 * Cascade: the user scans from the top, clicks position p with probability
 * sigmoid(u_p - no_click_utility), otherwise moves on with probability position_bias.
 */
export class CascadeChoice implements ChoiceModel {
  constructor(
    private readonly positionBias: number,
    private readonly noClickUtility: number,
  ) {}

  choose(u: ArrayLike<number>, rng: Rng): number {
    for (let p = 0; p < u.length; p++) {
      if (p > 0 && !rng.bernoulli(this.positionBias)) return -1;
      if (rng.next() < 1 / (1 + Math.exp(this.noClickUtility - u[p]))) return p;
    }
    return -1;
  }
}
