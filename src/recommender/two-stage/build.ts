/**
 * The two-stage recommender a scenario describes with `kind: two_stage`: candidate sources
 * (two-tower over an ANN index, popularity, content, fresh, random) behind new-user routing and
 * seen-item exclusion → the multi-task ranker (calibrated heads combined by the score formula)
 * → the diversity re-ranker → the exploration policy.
 */
import { buildExploration, pipelineExplorationContext } from '../explore/build.js';
import { Pipeline } from '../pipeline.js';
import { MultiTaskRanker } from '../ranking/multi-task-ranker.js';
import { buildReRanker } from '../rerank/registry.js';
import { NewUserRouter } from '../sources/new-user-router.js';
import { PopularitySource } from '../sources/popularity.js';
import { buildCandidateSource } from '../sources/registry.js';
import { SeenItems } from '../sources/seen-items.js';
import type { Recommender, RecommenderContext } from '../types.js';
import type { TwoStageConfig } from './component.js';

export type { TwoStageConfig } from './component.js';

/** Candidates past this many, after ranking, are not considered by re-ranking and exploration. */
const SHORTLIST = 100;
/** Popularity window for new users when the scenario lists no popularity source. */
const DEFAULT_POPULARITY_WINDOW = 3;

export function buildTwoStage(config: TwoStageConfig, ctx: RecommenderContext): Recommender {
  const sources = config.candidates.map((source, index) => buildCandidateSource(source, { recommender: ctx, twoTower: config.two_tower, index }));
  const popularity =
    sources.find((s): s is PopularitySource => s instanceof PopularitySource) ??
    new PopularitySource(ctx.catalog, { k: 50, windowDays: DEFAULT_POPULARITY_WINDOW, excludeSeen: false });
  const router = new NewUserRouter(sources, popularity, {
    popularityUntilSessions: config.new_users.popularity_until_sessions,
    seen: config.exclude_seen ? new SeenItems() : undefined,
  });
  const ranker = new MultiTaskRanker(config.ranker, { text: config.score, params: config.score_params }, ctx.catalog, ctx.users, ctx.streams.stream('ranker'));
  const exploration = buildExploration(config.exploration, pipelineExplorationContext(ctx, (head) => ranker.exportRepresentation(head)));
  const reranker = buildReRanker(config.rerank, { catalog: ctx.catalog });
  return new Pipeline(
    'two_stage',
    { sources: [router, ...exploration.sources], ranker, reranker, policy: exploration.policy, shortlist: SHORTLIST },
    ctx.slateSize,
    ctx.streams.keyed('policy'),
  );
}
