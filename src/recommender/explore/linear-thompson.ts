/**
 * Contextual Thompson sampling: a Bayesian linear regression of the reward on a feature vector
 * per (request, item): topic tags, arm features, or the ranker's last shared layer (features.ts,
 * ranker-features.ts). One posterior draw of the weights per request; the slate is the top by
 * predicted reward, and each propensity is a Monte-Carlo estimate of the marginal P(item at
 * slot), as for Beta Thompson sampling (sampled-slate.ts).
 *
 * The posterior learns from streamed feedback on the features each shown item had when it was
 * scored (kept per served request until its feedback arrives). Fixed features keep everything
 * seen; when a retrain moves the features to a new space (the ranker's), the posterior restarts
 * from the prior plus the feature map's replay of recent logged impressions.
 */
import type { BinaryReward } from '../../training/rewards.js';
import type { KeyedStream, Rng } from '../../rng/index.js';
import type { TrainingLog } from '../../training/training-log.js';
import { auc } from '../ranking/auc.js';
import type { CreatorCap, ExplorationPolicy, RecommenderDiagnostics, RecRequest, ScoredCandidate, SlateEntry, SlateFeedback } from '../types.js';
import { z } from 'zod';
import { positive, positiveCount } from '../../settings/fields.js';
import type { RankerHead } from '../ranking/heads.js';
import { BayesianLinearModel, PendingObservations } from './bayes-linear.js';
import { explorationPolicy, slateStage, type ExplorationContext } from './component.js';
import { RankerFeatures } from './ranker-features.js';
import { mcDraws, PROPENSITY_STREAM, reward, update, type UpdateCadence } from './settings.js';
import type { FeatureMap } from './features.js';
import { rewardInFeedback, rewardsInWindow } from './rewards.js';
import { candidateLimit } from './pool-limit.js';
import { monteCarloScores, sampledSlate, type ScoreSampler } from './sampled-slate.js';
import { requestDraws } from '../request-draws.js';

export interface LinearThompsonOptions {
  readonly reward: BinaryReward;
  readonly priorPrecision: number;
  readonly noise: number;
  readonly mcDraws: number;
  /** online (default): learns from every slate's feedback as it comes; retrain: gathers it and learns at retrain. */
  readonly update?: UpdateCadence;
}

/** The features of a served request's pool, kept until its feedback arrives. */
interface ServedPool {
  /** Feature space the rows belong to (bumped when a retrain moves the features). */
  readonly space: number;
  readonly pool: readonly ScoredCandidate[];
  /** pool.length × dim. */
  readonly matrix: Float64Array;
}

/** What the policy saw during one epoch, for its diagnostics. */
class EpochTally {
  slates = 0;
  slatesOnRanker = 0;
  /** Posterior-mean prediction of each shown item, made before learning from it, and its reward. */
  readonly predicted: number[] = [];
  readonly rewards: number[] = [];
}

export class LinearThompsonPolicy implements ExplorationPolicy {
  readonly name = 'linear_thompson';
  private posterior: BayesianLinearModel;
  private space = 0;
  /** Keyed by the request object, so an entry never outlives it; deleted when its feedback arrives. */
  private readonly served = new WeakMap<RecRequest, ServedPool>();
  private tally = new EpochTally();
  /** With update: retrain, the epoch's feedback, learnt at the next retrain. */
  private pending: PendingObservations | null;
  private report: Record<string, number> = { linear_ts_ranker_share: 0, linear_ts_auc: 0, linear_ts_dim: 0, linear_ts_rebuild_rows: 0 };

  constructor(
    private readonly options: LinearThompsonOptions,
    private readonly features: FeatureMap,
    /** Draws for the propensity estimates, keyed by request (slate id). */
    private readonly mcDraws: KeyedStream,
  ) {
    this.posterior = new BayesianLinearModel(features.dim, options.priorPrecision, options.noise);
    this.pending = this.pendingFor(features.dim);
    this.report.linear_ts_dim = features.dim;
  }

  /** The current posterior (replaced when the features move to a new space). */
  get model(): BayesianLinearModel {
    return this.posterior;
  }

  select(request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng, cap?: CreatorCap): SlateEntry[] {
    const sampler = this.sampler(request, ordered);
    const mc = monteCarloScores(sampler, ordered.length, this.options.mcDraws, requestDraws(this.mcDraws, request));
    return sampledSlate(ordered, sampler, mc, { slateSize, rng, limit: candidateLimit(cap, ordered) });
  }

  observe(feedback: SlateFeedback): void {
    const served = this.served.get(feedback.request);
    this.served.delete(feedback.request);
    // A slate this policy did not serve (random start-up) has no scored features to learn from.
    if (served === undefined && this.features.fromScoring) return;
    // Scored in a feature space a retrain has since replaced.
    if (served !== undefined && served.space !== this.space) return;
    const { entries } = feedback.slate;
    const d = this.posterior.dim;
    const rows = entries.map((entry) => this.featuresOf(feedback.request, entry.itemId, served, d));
    // Predict every shown item before learning from any: a running out-of-sample check (linear_ts_auc).
    const mean = this.posterior.mean();
    for (const [p, row] of rows.entries()) {
      let s = 0;
      for (let i = 0; i < d; i++) s += row[i] * mean[i];
      this.tally.predicted.push(s);
      this.tally.rewards.push(rewardInFeedback(this.options.reward, feedback, p) ? 1 : 0);
    }
    const first = this.tally.rewards.length - rows.length;
    for (const [p, row] of rows.entries()) {
      if (this.pending) this.pending.add(row, this.tally.rewards[first + p]);
      else this.posterior.update(row, this.tally.rewards[first + p]);
    }
  }

  /**
   * Closes the epoch's figures, then, if the retrain moved the features to a new space, restarts
   * the posterior from the prior and the feature map's replay (rewards read from the log window).
   */
  retrain(log: TrainingLog): void {
    const t = this.tally;
    const positives = t.rewards.reduce((a, b) => a + b, 0);
    this.report.linear_ts_ranker_share = t.slates > 0 ? t.slatesOnRanker / t.slates : 0;
    this.report.linear_ts_auc = positives > 0 && positives < t.rewards.length ? auc(t.predicted, t.rewards) : 0;
    this.report.linear_ts_rebuild_rows = 0;
    this.tally = new EpochTally();
    const replay = this.features.retrain?.() ?? null;
    const pending = this.pending;
    if (replay === null) {
      // Same feature space: the epoch's gathered feedback is learnt now.
      if (pending) this.posterior.absorb(pending);
      this.pending = this.pendingFor(this.posterior.dim);
      return;
    }
    const d = this.features.dim;
    // A new space: the replay of the log window below holds the gathered feedback too.
    this.pending = this.pendingFor(d);
    this.space++;
    this.posterior = new BayesianLinearModel(d, this.options.priorPrecision, this.options.noise);
    const rewards = rewardsInWindow(this.options.reward, log, replay.windowRows);
    for (let r = 0; r < replay.n; r++) this.posterior.update(replay.x.subarray(r * d, (r + 1) * d), rewards[r]);
    this.report.linear_ts_rebuild_rows = replay.n;
    this.report.linear_ts_dim = d;
  }

  /**
   * linear_ts_ranker_share: share of the epoch's slates served on the ranker's layer (0 while it
   * falls back to topics); linear_ts_auc: AUC of the posterior mean's prediction of each shown
   * item's reward, made before learning from it (0 without both outcomes); linear_ts_dim and
   * linear_ts_rebuild_rows: the feature count (bias included) and the replayed rows after this retrain.
   */
  diagnostics(): RecommenderDiagnostics {
    return { metrics: { ...this.report }, timings: {} };
  }

  private pendingFor(dim: number): PendingObservations | null {
    return this.options.update === 'retrain' ? new PendingObservations(dim, this.options.noise) : null;
  }

  /** A shown item's row: from its served pool, else (features that need no scoring) written afresh. */
  private featuresOf(request: RecRequest, itemId: number, served: ServedPool | undefined, d: number): Float64Array {
    const k = served ? served.pool.findIndex((c) => c.itemId === itemId) : -1;
    if (served && k >= 0) return served.matrix.subarray(k * d, (k + 1) * d);
    const row = new Float64Array(d);
    this.features.write(request, itemId, row);
    return row;
  }

  /** The pool's features, kept for the request's feedback. */
  private featureMatrix(request: RecRequest, pool: readonly ScoredCandidate[]): Float64Array {
    const d = this.features.dim;
    const matrix = new Float64Array(pool.length * d);
    pool.forEach((c, k) => this.features.write(request, c.itemId, matrix.subarray(k * d, (k + 1) * d)));
    this.served.set(request, { space: this.space, pool, matrix });
    this.tally.slates++;
    if (this.features.onRanker) this.tally.slatesOnRanker++;
    return matrix;
  }

  private sampler(request: RecRequest, pool: readonly ScoredCandidate[]): ScoreSampler {
    const d = this.features.dim;
    const matrix = this.featureMatrix(request, pool);
    const weights = new Float64Array(d);
    const model = this.posterior;
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

/** What linear Thompson sampling regresses the reward on in the population world. */
export const LINEAR_FEATURES = ['ranker', 'topics'] as const;

/** The ranker head that predicts each reward. */
const REWARD_HEADS: Readonly<Record<BinaryReward, RankerHead>> = { click: 'click', like: 'like', complete: 'complete', survey_positive: 'survey' };

export const LINEAR_THOMPSON = explorationPolicy({
  name: 'linear_thompson',
  settings: {
    reward,
    /** Precision of the Gaussian prior on the weights (a ridge penalty). */
    prior_precision: positive.default(1),
    /** Standard deviation of the reward noise the linear model assumes. */
    noise: positive.default(0.5),
    /**
     * Population world: what the reward is regressed on. ranker: the ranker's last shared layer
     * (two_stage; topics until the ranker first trains); topics: the item's hashed topic tags.
     * Default: ranker when the recommender has a ranker, else topics. The bandit world uses its arm features.
     */
    features: z.enum(LINEAR_FEATURES, { error: `expected ${LINEAR_FEATURES.join(' or ')}` }).optional(),
    /** Features besides the bias: hashed topic slots, or the most principal components kept of the ranker's layer. */
    dim: positiveCount.default(32),
    mc_draws: mcDraws,
    update,
  },
  reorders: 'its own posterior draws',
  build: (config, ctx) => {
    if (!ctx.features) throw new Error('linear_thompson needs item features, which this recommender does not provide');
    const own = ctx.features(config.dim);
    const kind = config.features ?? (ctx.representation ? 'ranker' : 'topics');
    const features = kind === 'topics' ? own : rankerFeatures(ctx, config.reward, own, config.dim);
    const options = { reward: config.reward, priorPrecision: config.prior_precision, noise: config.noise, mcDraws: config.mc_draws, update: config.update };
    return slateStage(new LinearThompsonPolicy(options, features, ctx.streams.keyed(PROPENSITY_STREAM)));
  },
});

/** The ranker's layer for the reward's head (topics as its fallback until the ranker trains). */
function rankerFeatures(ctx: ExplorationContext, counted: BinaryReward, own: FeatureMap, dim: number): FeatureMap {
  if (!ctx.representation) throw new Error('linear_thompson: features: ranker needs a recommender with a ranker (kind: two_stage)');
  return new RankerFeatures(ctx.representation(REWARD_HEADS[counted]), own, dim);
}
