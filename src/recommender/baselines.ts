/**
 * The recommenders, registered by scenario kind: the baselines and the two-stage pipeline.
 * Adding one is a factory here.
 * Only the oracle receives the world's truth, and it says so in its name.
 */
import type { RecommenderConfig } from '../scenario/index.js';
import type { TruthOracle } from '../world/world.js';
import { buildExploration, pipelineExplorationContext } from './explore/build.js';
import { Pipeline } from './pipeline.js';
import { buildTwoStage } from './two-stage/build.js';
import { OracleRanker } from './ranking/oracle.js';
import { RandomRecommender } from './random-recommender.js';
import { WholeCatalogSource } from './sources/catalog.js';
import { PopularitySource } from './sources/popularity.js';
import { RandomStartup } from './startup.js';
import type { Recommender, RecommenderContext } from './types.js';

type Factory<K extends RecommenderConfig['kind']> = (
  config: Extract<RecommenderConfig, { kind: K }>,
  ctx: RecommenderContext,
  oracleTruth: () => TruthOracle,
) => Recommender;

const FACTORIES: { [K in RecommenderConfig['kind']]: Factory<K> } = {
  random: (_config, ctx) => new RandomRecommender(ctx.catalog, ctx.slateSize, ctx.streams.stream('random')),
  popularity: (config, ctx) => {
    const exploration = buildExploration(config.exploration, pipelineExplorationContext(ctx));
    return new Pipeline(
      'popularity',
      {
        sources: [new PopularitySource(ctx.catalog, { k: ctx.slateSize, windowDays: config.window, excludeSeen: config.exclude_seen }), ...exploration.sources],
        policy: exploration.policy,
      },
      ctx.slateSize,
      ctx.streams.stream('policy'),
    );
  },
  oracle: (config, ctx, oracleTruth) => {
    const exploration = buildExploration(config.exploration, pipelineExplorationContext(ctx));
    return new Pipeline(
      'oracle',
      {
        sources: [new WholeCatalogSource(ctx.catalog), ...exploration.sources],
        ranker: new OracleRanker(oracleTruth()),
        policy: exploration.policy,
        shortlist: ctx.slateSize,
      },
      ctx.slateSize,
      ctx.streams.stream('policy'),
    );
  },
  bandit: () => {
    throw new Error('recommender kind bandit runs only in a bandit world (world.kind: bandit)');
  },
  two_stage: (config, ctx) => buildTwoStage(config, ctx),
};

/** `oracleTruth` is called only when the scenario asks for the oracle baseline. */
export function buildRecommender(config: RecommenderConfig, ctx: RecommenderContext, oracleTruth: () => TruthOracle): Recommender {
  const factory = FACTORIES[config.kind] as Factory<RecommenderConfig['kind']>;
  const recommender = factory(config, ctx, oracleTruth);
  if (config.random_startup <= 0) return recommender;
  const random = new RandomRecommender(ctx.catalog, ctx.slateSize, ctx.streams.stream('random-startup'), 'random-startup');
  return new RandomStartup(recommender, random, config.random_startup);
}
