/** The features a contextual policy sees in a bandit world: a bias plus the arm's public features. */
import type { FeatureMap } from '../recommender/explore/features.js';
import type { RecRequest } from '../recommender/types.js';
import type { BanditArms } from './arms.js';

export class ArmFeatures implements FeatureMap {
  readonly dim: number;

  constructor(private readonly arms: BanditArms) {
    const dim = arms.featureDim;
    if (dim === undefined) throw new Error('these arms have no public features (use means: { logistic: ... })');
    this.dim = dim + 1;
  }

  write(_request: RecRequest, armId: number, out: Float64Array): void {
    out[0] = 1;
    out.set(this.arms.all[armId].features as Float64Array, 1);
  }
}
