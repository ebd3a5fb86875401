/**
 * Contextual Thompson sampling: a Bayesian linear regression of the reward on a feature vector
 * per (request, item) (features.ts: the ranker's last layer can be plugged in there). Each slot
 * draws fresh weights from the posterior and places the remaining item with the best predicted
 * reward; propensities are Monte-Carlo estimates as for Beta Thompson sampling (sampled-slate.ts).
 * The posterior learns from streamed feedback only and keeps everything it has seen (the log
 * carries no request context to rebuild it from).
 */
import type { ExplorationReward } from '../../scenario/exploration-schema.js';
import type { Rng } from '../../rng/index.js';
import type { ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry, SlateFeedback } from '../types.js';
import { BayesianLinearModel } from './bayes-linear.js';
import type { FeatureMap } from './features.js';
import { rewardInFeedback } from './rewards.js';
import { monteCarloScores, sampledSlate, type ScoreSampler } from './sampled-slate.js';

export interface LinearThompsonOptions {
  readonly reward: ExplorationReward;
  readonly priorPrecision: number;
  readonly noise: number;
  readonly mcDraws: number;
}

export class LinearThompsonPolicy implements ExplorationPolicy {
  readonly name = 'linear_thompson';
  readonly model: BayesianLinearModel;
  private readonly x: Float64Array;

  constructor(
    private readonly options: LinearThompsonOptions,
    private readonly features: FeatureMap,
    private readonly mcRng: Rng,
  ) {
    this.model = new BayesianLinearModel(features.dim, options.priorPrecision, options.noise);
    this.x = new Float64Array(features.dim);
  }

  select(request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng): SlateEntry[] {
    const sampler = this.sampler(request, ordered);
    const mc = monteCarloScores(sampler, ordered.length, this.options.mcDraws, this.mcRng);
    return sampledSlate(ordered, sampler, mc, { slateSize, rng });
  }

  observe(feedback: SlateFeedback): void {
    const { entries } = feedback.slate;
    for (let p = 0; p < entries.length; p++) {
      this.features.write(feedback.request, entries[p].itemId, this.x);
      this.model.update(this.x, rewardInFeedback(this.options.reward, feedback, p) ? 1 : 0);
    }
  }

  private sampler(request: RecRequest, pool: readonly ScoredCandidate[]): ScoreSampler {
    const d = this.features.dim;
    const matrix = new Float64Array(pool.length * d);
    pool.forEach((c, k) => this.features.write(request, c.itemId, matrix.subarray(k * d, (k + 1) * d)));
    const weights = new Float64Array(d);
    const model = this.model;
    return {
      sample(rng, out) {
        model.sample(rng, weights);
        for (let k = 0; k < out.length; k++) {
          let s = 0;
          for (let i = 0; i < d; i++) s += matrix[k * d + i] * weights[i];
          out[k] = s;
        }
      },
    };
  }
}
