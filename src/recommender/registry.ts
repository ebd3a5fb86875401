/**
 * The recommender registry: every `recommender.kind`, declared in its own file (component.ts
 * says what a declaration holds). The scenario's `recommender` union, the list of kinds, the
 * checks across fields and the builder are derived from it, so a new recommender is its file
 * plus one line here.
 */
import { z } from 'zod';
import type { ConsistencyProblem } from '../settings/problem.js';
import type { TruthOracle } from '../world/world.js';
import type { RecommenderComponent } from './component.js';
import { BANDIT_RECOMMENDER } from './kinds/bandit.js';
import { ORACLE_RECOMMENDER } from './kinds/oracle.js';
import { POPULARITY_RECOMMENDER } from './kinds/popularity.js';
import { RANDOM_RECOMMENDER } from './kinds/random.js';
import { RandomRecommender } from './random-recommender.js';
import { RandomStartup } from './startup.js';
import { componentSchemas } from './tagged-component.js';
import { TWO_STAGE_RECOMMENDER } from './two-stage/component.js';
import type { Recommender, RecommenderContext } from './types.js';

const RECOMMENDERS = [RANDOM_RECOMMENDER, POPULARITY_RECOMMENDER, ORACLE_RECOMMENDER, BANDIT_RECOMMENDER, TWO_STAGE_RECOMMENDER] as const;

export const RECOMMENDER_KINDS: readonly string[] = RECOMMENDERS.map((r) => r.name);

/** The scenario's `recommender` section: one option per kind. */
export const recommender = z.discriminatedUnion('kind', componentSchemas(RECOMMENDERS), {
  error: `expected kind: ${RECOMMENDER_KINDS.slice(0, -1).join(', ')} or ${RECOMMENDER_KINDS.at(-1)}`,
});

export type RecommenderConfig = z.output<typeof recommender>;

function declared(kind: string): RecommenderComponent {
  const component: RecommenderComponent | undefined = RECOMMENDERS.find((r) => r.name === kind);
  if (!component) throw new Error(`no recommender kind is named ${kind}`);
  return component;
}

/** Whether the kind has a learned ranker, whose last layer an exploration policy may regress on. */
export function hasRanker(kind: string): boolean {
  return declared(kind).ranker;
}

/** The kind's own checks across the fields of a `recommender` section that passed the schema. */
export function checkRecommender(config: RecommenderConfig): ConsistencyProblem[] {
  return declared(config.kind).check(config);
}

/**
 * The recommender a scenario asks for, behind uniformly random slates for `random_startup`
 * days when it asks for them. `oracleTruth` is called only when the scenario asks for the oracle.
 */
export function buildRecommender(config: RecommenderConfig, ctx: RecommenderContext, oracleTruth: () => TruthOracle): Recommender {
  const recommender = declared(config.kind).build(config, { ...ctx, oracleTruth });
  if (config.random_startup <= 0) return recommender;
  const random = new RandomRecommender(ctx.catalog, ctx.slateSize, ctx.streams.stream('random-startup'), 'random-startup');
  return new RandomStartup(recommender, random, config.random_startup);
}
