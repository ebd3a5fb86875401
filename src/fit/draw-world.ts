/**
 * The world a check simulates: the fitted estimates, or a world drawn from the fit's
 * uncertainty (η ~ Normal(estimate, covariance) on the model's log scale), so that the spread
 * over seeds counts what the log left unknown about the world, not only the clicks' chance.
 */
import type { Rng } from '../rng/index.js';
import type { FittedWorld } from './fitted-world.js';
import { cholesky } from '../ml/cholesky.js';
import { worldParameters, type WorldParameters } from './world-parameters.js';

export class WorldSampler {
  private readonly estimate: Float64Array;
  private readonly factor: Float64Array;
  private readonly shape: { slots: number; items: number; shares: readonly number[] };

  constructor(world: FittedWorld) {
    const P = world.log_parameters.names.length;
    this.estimate = Float64Array.from(world.log_parameters.estimate);
    this.factor = cholesky(Float64Array.from(world.log_parameters.covariance.flat()), P);
    this.shape = { slots: world.slots, items: world.items, shares: world.segments.map((s) => s.share) };
  }

  fitted(): WorldParameters {
    return worldParameters(this.estimate, this.shape);
  }

  drawn(rng: Rng): WorldParameters {
    const P = this.estimate.length;
    const z = Float64Array.from({ length: P }, () => rng.normal());
    const eta = this.estimate.map((x, a) => {
      let shift = 0;
      for (let b = 0; b <= a; b++) shift += this.factor[a * P + b] * z[b];
      return x + shift;
    });
    return worldParameters(eta, this.shape);
  }
}
