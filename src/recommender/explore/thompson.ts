/**
 * Beta-Bernoulli Thompson sampling per item. Each item's reward rate has a Beta(alpha + successes,
 * beta + failures) posterior, updated from streamed feedback and rebuilt from the log window at
 * every retrain. The slate orders the candidates by sampled rate alone: the ranker's score only
 * decides which candidates reach the policy (the shortlist), not their order. One draw of every
 * candidate's rate per request, the slate is the top by that draw, and each slot's logged
 * propensity is a Monte-Carlo estimate of the marginal P(item at slot) (sampled-slate.ts), from
 * draws kept while each item's posterior is unchanged (posterior-draws.ts).
 */
import { pair, positive, positiveCount } from '../../settings/fields.js';
import type { BinaryReward } from '../../training/rewards.js';
import type { KeyedStream, Rng } from '../../rng/index.js';
import type { TrainingLog } from '../../training/training-log.js';
import type { CreatorCap, ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry, SlateFeedback, SlotDistribution } from '../types.js';
import { candidateStage } from './candidate-stage.js';
import { explorationPolicy, slateStage } from './component.js';
import { PosteriorDraws } from './posterior-draws.js';
import { CANDIDATE_STREAM, mcDraws, PROPENSITY_STREAM, reward, stage, update, type UpdateCadence } from './settings.js';
import { ThompsonExploreSource } from './thompson-candidates.js';
import { RewardCounts } from './reward-counts.js';
import { candidateLimit } from './pool-limit.js';
import { sampledMarginals, sampledSlate, type ScoreSampler } from './sampled-slate.js';

export interface ThompsonOptions {
  readonly reward: BinaryReward;
  /** Beta(alpha, beta) prior on every item's reward rate. */
  readonly prior: readonly [number, number];
  /** Monte-Carlo draws per propensity estimate. */
  readonly mcDraws: number;
  /** online (default): counts every slate's feedback as it comes; retrain: only the log window's, at retrain. */
  readonly update?: UpdateCadence;
}

export class ThompsonPolicy implements ExplorationPolicy {
  readonly name = 'thompson';
  readonly counts: RewardCounts;
  private readonly mc: PosteriorDraws;

  constructor(
    private readonly options: ThompsonOptions,
    /** Draws for the propensity estimates only, keyed by item and posterior. */
    mcStream: KeyedStream,
  ) {
    this.counts = new RewardCounts(options.reward);
    this.mc = new PosteriorDraws(options.mcDraws, mcStream);
  }

  select(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng, cap?: CreatorCap): SlateEntry[] {
    const { alpha, beta, sampler } = this.sampler(ordered);
    const mc = this.mc.matrix(ordered.map((c) => c.itemId), alpha, beta);
    return sampledSlate(ordered, sampler, mc, { slateSize, rng, limit: candidateLimit(cap, ordered) });
  }

  /** The frequencies of `mc_draws` slates drawn from the current posterior with `rng`. */
  slotMarginals(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng, cap?: CreatorCap): SlotDistribution[] {
    return sampledMarginals(ordered, this.sampler(ordered).sampler, this.options.mcDraws, rng, slateSize, candidateLimit(cap, ordered));
  }

  /** The pool's posterior parameters and a sampler of its rates. */
  private sampler(ordered: readonly ScoredCandidate[]): { alpha: Float64Array; beta: Float64Array; sampler: ScoreSampler } {
    const alpha = new Float64Array(ordered.length);
    const beta = new Float64Array(ordered.length);
    ordered.forEach((c, k) => ([alpha[k], beta[k]] = this.posterior(c.itemId)));
    const sampler: ScoreSampler = {
      sample(draw, out) {
        for (let k = 0; k < out.length; k++) out[k] = draw.beta(alpha[k], beta[k]);
      },
    };
    return { alpha, beta, sampler };
  }

  observe(feedback: SlateFeedback): void {
    if (this.options.update !== 'retrain') this.counts.observe(feedback);
  }

  retrain(log: TrainingLog): void {
    this.counts.rebuild(log);
  }

  /** Posterior parameters of an item's reward rate. */
  posterior(itemId: number): [number, number] {
    const [a, b] = this.options.prior;
    const s = this.counts.successes(itemId);
    return [a + s, b + this.counts.trials(itemId) - s];
  }
}

export const THOMPSON = explorationPolicy({
  name: 'thompson',
  settings: {
    reward,
    /** Beta(alpha, beta) prior on every item's reward rate. */
    prior: pair(positive, 'alpha, beta').default([1, 1]),
    mc_draws: mcDraws,
    stage,
    update,
    /** Candidate stage: items added per request, the top k by sampled rate among the head. */
    k: positiveCount.default(5),
    /** Candidate stage: the head of the item distribution, the items with the most impressions in the log window. */
    head: positiveCount.default(500),
  },
  reorders: 'its own posterior draws',
  build: (config, ctx) => {
    const { reward: counted, prior, k, head, mc_draws: draws } = config;
    if (config.stage === 'candidate') {
      const options = { reward: counted, prior, k, head, mcDraws: draws };
      const source = new ThompsonExploreSource(options, ctx.catalogSize, ctx.streams.keyed(CANDIDATE_STREAM), ctx.streams.stream(PROPENSITY_STREAM));
      return candidateStage(source, config.policy);
    }
    return slateStage(new ThompsonPolicy({ reward: counted, prior, mcDraws: draws, update: config.update ?? 'online' }, ctx.streams.keyed(PROPENSITY_STREAM)));
  },
});
