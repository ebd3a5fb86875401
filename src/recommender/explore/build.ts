/**
 * Builds the exploration a scenario asks for (`recommender.exploration`): the slate policy and
 * any extra candidate source (the candidate stage). Adding a policy is one file plus one case here.
 */
import type { RandomStreams } from '../../rng/index.js';
import type { ExplorationConfig, ExplorationReward } from '../../scenario/exploration-schema.js';
import type { RankerHead } from '../../scenario/recommender-schema.js';
import type { RankerRepresentation } from '../ranking/representation.js';
import type { CandidateSource, ExplorationPolicy, RecommenderContext } from '../types.js';
import { BoltzmannPolicy } from './boltzmann.js';
import { CandidateStagePolicy, EpsilonExploreSource, type ExploreSource } from './candidate-stage.js';
import { EpsilonGreedyPolicy } from './epsilon-greedy.js';
import { TopicFeatures, type FeatureMap } from './features.js';
import { GreedyPolicy } from './greedy.js';
import { LinearThompsonPolicy } from './linear-thompson.js';
import { RankerFeatures } from './ranker-features.js';
import { ThompsonPolicy } from './thompson.js';
import { ThompsonExploreSource } from './thompson-candidates.js';
import { UcbPolicy } from './ucb.js';

export interface ExplorationContext {
  /** Current number of items; item ids are 0..size-1. */
  readonly catalogSize: () => number;
  /** Streams under the recommender's path; exploration takes `policy/...` names of its own. */
  readonly streams: RandomStreams;
  /** Features for contextual policies, given the hashed size the scenario asks for. */
  readonly features?: (hashed: number) => FeatureMap;
  /** The representation the ranker's head for a reward reads, when the recommender has a ranker. */
  readonly representation?: (head: RankerHead) => RankerRepresentation;
}

/** The ranker head that predicts each exploration reward. */
const REWARD_HEADS: Readonly<Record<ExplorationReward, RankerHead>> = { click: 'click', like: 'like', complete: 'complete', survey_positive: 'survey' };

export interface Exploration {
  /** The slate-stage policy (greedy behind a candidate-stage explorer). */
  readonly policy: ExplorationPolicy;
  /** Extra candidate sources to add to the pipeline (the candidate stage's `explore`). */
  readonly sources: readonly CandidateSource[];
}

/** The exploration context of a pipeline recommender: its catalog and streams, topic features, and its ranker's layer if it has one. */
export function pipelineExplorationContext(ctx: RecommenderContext, representation?: (head: RankerHead) => RankerRepresentation): ExplorationContext {
  return { catalogSize: () => ctx.catalog.size, streams: ctx.streams, features: (hashed) => new TopicFeatures(ctx.catalog, hashed), representation };
}

export function buildExploration(config: ExplorationConfig, ctx: ExplorationContext): Exploration {
  // Propensity estimates draw from their own stream, so the choices do not depend on mc_draws.
  const mcRng = () => ctx.streams.stream('policy/propensity');
  switch (config.policy) {
    case 'greedy':
      return slateStage(new GreedyPolicy());
    case 'epsilon_greedy':
      if (config.stage === 'candidate') {
        return candidateStage(new EpsilonExploreSource(config.k, config.epsilon, ctx.catalogSize, ctx.streams.stream('policy/candidates')), config.policy);
      }
      return slateStage(new EpsilonGreedyPolicy({ epsilon: config.epsilon, over: config.over, mcDraws: config.mc_draws }, ctx.catalogSize, mcRng()));
    case 'thompson': {
      const { reward, prior, k, head, mc_draws: mcDraws } = config;
      if (config.stage === 'candidate') {
        const source = new ThompsonExploreSource({ reward, prior, k, head, mcDraws }, ctx.catalogSize, ctx.streams.stream('policy/candidates'), mcRng());
        return candidateStage(source, config.policy);
      }
      return slateStage(new ThompsonPolicy({ reward, prior, mcDraws }, mcRng()));
    }
    case 'linear_thompson': {
      if (!ctx.features) throw new Error('linear_thompson needs item features, which this recommender does not provide');
      const options = { reward: config.reward, priorPrecision: config.prior_precision, noise: config.noise, mcDraws: config.mc_draws };
      return slateStage(new LinearThompsonPolicy(options, linearFeatures(config, ctx, ctx.features(config.dim)), mcRng()));
    }
    case 'ucb':
      return slateStage(new UcbPolicy(config.c, config.reward));
    case 'boltzmann':
      return slateStage(new BoltzmannPolicy(config.temperature, config.mc_draws, mcRng()));
  }
}

/** The ranker's layer (topics as its fallback) when asked for or, unsaid, when there is a ranker; else the context's own features. */
function linearFeatures(config: Extract<ExplorationConfig, { policy: 'linear_thompson' }>, ctx: ExplorationContext, own: FeatureMap): FeatureMap {
  const kind = config.features ?? (ctx.representation ? 'ranker' : 'topics');
  if (kind === 'topics') return own;
  if (!ctx.representation) throw new Error('linear_thompson: features: ranker needs a recommender with a ranker (kind: two_stage)');
  return new RankerFeatures(ctx.representation(REWARD_HEADS[config.reward]), own, config.dim);
}

function slateStage(policy: ExplorationPolicy): Exploration {
  return { policy, sources: [] };
}

function candidateStage(source: ExploreSource, name: string): Exploration {
  return { policy: new CandidateStagePolicy(new GreedyPolicy(), source, name), sources: [source] };
}
