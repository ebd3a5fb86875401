/**
 * What a recommender is, declared once in its own file: its name (the scenario's
 * `recommender.kind`), its settings besides the ones every kind shares (settings.ts), whether it
 * has a learned ranker, its checks across fields, and how to build it. The scenario's
 * `recommender` union, the list of kinds, the checks and the builder are derived from the
 * registry (registry.ts); a declaration missing a field does not compile.
 */
import type { z } from 'zod';
import type { ConsistencyProblem } from '../settings/problem.js';
import type { TruthOracle } from '../world/world.js';
import { COMMON_SETTINGS, type CommonSettings } from './settings.js';
import { taggedComponent, type TaggedComponent, type TaggedSchema } from './tagged-component.js';
import type { Recommender, RecommenderContext } from './types.js';

/** What building a recommender may use besides its own settings. */
export interface RecommenderBuildContext extends RecommenderContext {
  /** The world's ground truth, which no real system has: only the oracle calls it, and it says so in its name. */
  readonly oracleTruth: () => TruthOracle;
}

/** A kind's fields: the shared ones, plus its own (which may change a shared default, as the bandit's slate size). */
export type RecommenderShape<S extends z.ZodRawShape> = Omit<CommonSettings, keyof S> & S;

export type RecommenderSchema<N extends string, S extends z.ZodRawShape> = TaggedSchema<'kind', N, RecommenderShape<S>>;

export interface RecommenderComponent<N extends string = string, S extends z.ZodRawShape = z.ZodRawShape>
  extends TaggedComponent<'kind', N, RecommenderShape<S>, RecommenderBuildContext, Recommender> {
  /** Whether it has a learned ranker, whose last layer an exploration policy may regress on. */
  readonly ranker: boolean;
  /** Its checks across fields, on a `recommender` section that passed the schema; paths start at the scenario's root. */
  readonly check: (config: unknown) => ConsistencyProblem[];
}

/** Declares a recommender; its settings are a zod shape, the shared ones and `kind: <name>` are added. */
export function recommenderKind<N extends string, S extends z.ZodRawShape>(definition: {
  readonly name: N;
  readonly settings: S;
  readonly ranker: boolean;
  /** null when it has no checks of its own. */
  readonly check: ((config: z.output<RecommenderSchema<N, S>>) => ConsistencyProblem[]) | null;
  readonly build: (config: z.output<RecommenderSchema<N, S>>, ctx: RecommenderBuildContext) => Recommender;
}): RecommenderComponent<N, S> {
  const { name, settings, ranker, check, build } = definition;
  const shape: RecommenderShape<S> = { ...COMMON_SETTINGS, ...settings };
  const component = taggedComponent('kind', name, shape, build);
  return { ...component, ranker, check: check === null ? () => [] : (config) => check(component.schema.parse(config)) };
}
