/**
 * `kind: two_stage`: candidate sources → the multi-task ranker (calibrated heads combined by the
 * score formula) → the re-ranker → the exploration policy (build.ts builds it). Declares its
 * settings and its checks across them.
 */
import { z } from 'zod';
import type { ConsistencyProblem } from '../../settings/problem.js';
import { count } from '../../settings/fields.js';
import { recommenderKind, type RecommenderSchema } from '../component.js';
import { reorderedBy } from '../explore/registry.js';
import { checkRankerModel } from '../ranking/models.js';
import { compileScoreFormula, FormulaError } from '../ranking/score-formula.js';
import { rankerSection } from '../ranking/settings.js';
import { checkReRanker, reorderingSettings, rerankSection } from '../rerank/registry.js';
import { candidateSourceEntry } from '../sources/registry.js';
import { twoTowerSection } from '../two-tower/config.js';
import { buildTwoStage } from './build.js';

const SETTINGS = {
  candidates: z
    .array(candidateSourceEntry)
    .min(1, 'expected at least one candidate source')
    .prefault([{ source: 'two_tower' }, { source: 'popularity' }, { source: 'content' }, { source: 'fresh' }]),
  /** Users with fewer past sessions than this get popularity candidates only. */
  new_users: z.strictObject({ popularity_until_sessions: count.default(2) }).prefault({}),
  two_tower: twoTowerSection,
  ranker: rankerSection,
  /** Combination of calibrated head outputs, e.g. `0.5*watch + 0.2*complete + 0.1*like + 0.2*survey`. */
  score: z.string().default('0.3*click + 0.4*watch + 0.1*complete + 0.1*like + 0.1*survey'),
  /** Named numbers the score formula may use, e.g. `{ w: 0.5 }` with `w*click + (1-w)*survey`: one weight a sweep varies by name. */
  score_params: z.record(z.string(), z.number()).optional(),
  rerank: rerankSection,
  /** Items the user already clicked in the log window are not shown again. */
  exclude_seen: z.boolean().default(true),
};

/** A validated `recommender` section of kind two_stage. */
export type TwoStageConfig = z.output<RecommenderSchema<'two_stage', typeof SETTINGS>>;

export const TWO_STAGE_RECOMMENDER = recommenderKind({
  name: 'two_stage',
  settings: SETTINGS,
  ranker: true,
  check: (config) => [...checkScoreFormula(config), ...checkRankerModel(config.ranker), ...checkReRanker(config.rerank), ...checkLinearFeatures(config), ...checkRescoringRerank(config)],
  build: (config, ctx) => buildTwoStage(config, ctx),
});

/** The score formula may name only heads the ranker is configured to train and the parameters it declares, every one of which it uses. */
function checkScoreFormula(config: TwoStageConfig): ConsistencyProblem[] {
  try {
    compileScoreFormula(config.score, config.ranker.heads, config.score_params);
    return [];
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error;
    const paths = error.param === undefined ? [['recommender', 'score']] : [['recommender', 'score_params', error.param], ['recommender', 'score_params']];
    return [{ paths, message: error.message }];
  }
}

/** Linear Thompson sampling on the ranker's layer needs held-out rows to fit and rebuild on. */
function checkLinearFeatures(config: TwoStageConfig): ConsistencyProblem[] {
  const exploration = config.exploration;
  if (exploration.policy !== 'linear_thompson' || exploration.features === 'topics' || config.ranker.holdout > 0) return [];
  return [
    {
      paths: [
        ['recommender', 'ranker', 'holdout'],
        ['recommender', 'exploration', 'features'],
      ],
      message:
        "linear_thompson on the ranker's layer fits its feature scaling and rebuilds its posterior on the ranker's held-out rows at every retrain; " +
        'set recommender.ranker.holdout above 0 (e.g. 0.1), or use recommender.exploration.features: topics',
    },
  ];
}

/**
 * Settings that only reorder the candidates (MMR, the fresh boost: the re-ranker declares them);
 * a policy that orders the slate by scores of its own would discard them without a word, so the
 * combination is refused. Hard limits (the creator cap) are kept by every policy.
 */
function checkRescoringRerank(config: TwoStageConfig): ConsistencyProblem[] {
  const exploration = config.exploration;
  // Slate policies that order the slate by scores of their own, not by the re-ranker's order (their declarations say; a plug-in's once loaded).
  const reordering = reorderedBy(exploration);
  if (reordering === null || ('stage' in exploration && exploration.stage === 'candidate')) return [];
  return reorderingSettings(config.rerank).map(({ key, value, what }) => ({
    paths: [
      ['recommender', 'rerank', key],
      ['recommender', 'exploration', 'policy'],
    ],
    message:
      `exploration policy ${reordering.policy} orders the slate by ${reordering.by}, so the re-ranker's ${what} (${key}: ${value}) would be discarded; ` +
      `set recommender.rerank.${key} to 0, or explore with greedy or epsilon_greedy (which keep the re-ranked order) or at stage: candidate. ` +
      'creator_cap is kept under every policy',
  }));
}
