/**
 * What a ranker model is, declared once beside its network: its name (the `ranker.model`
 * value), its own `ranker` fields with defaults (beside the ones every model reads: cross
 * layers and hidden sizes), its checks across fields, and how to build its network. The
 * `ranker` block's model choice and fields, its checks and the builder are derived from the
 * registry (models.ts); a declaration missing a field does not compile.
 */
import { z } from 'zod';
import type { Rng } from '../../rng/index.js';
import type { ConsistencyProblem } from '../../settings/problem.js';
import { positiveCount } from '../../settings/fields.js';
import type { RankerNetwork } from './model.js';

/** The `ranker` fields every model reads. */
export const NETWORK_SETTINGS = {
  cross_layers: positiveCount.default(2),
  hidden: z.array(positiveCount).default([64, 32]),
  /**
   * `full`: a cross layer's W is dim × dim; a number r: the product of dim × r and r × dim,
   * cheaper than full rank while r is below half the features.
   */
  cross_rank: z.union([z.literal('full'), positiveCount], { error: 'expected full or a positive whole number' }).default('full'),
};

/** `cross_rank` as the networks take it: null for full rank. */
export function crossRankOf(settings: { readonly cross_rank: 'full' | number }): number | null {
  return settings.cross_rank === 'full' ? null : settings.cross_rank;
}

/** What a network is sized by, besides its settings. */
export interface NetworkShape {
  /** Features per example. */
  readonly dim: number;
  readonly heads: number;
  /** Positions with a bias of their own. */
  readonly positions: number;
  /** Draws the initial weights. */
  readonly rng: Rng;
}

type ModelSettings<S extends z.ZodRawShape> = z.output<z.ZodObject<typeof NETWORK_SETTINGS & S>>;

export interface RankerModelComponent<N extends string = string, S extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: N;
  /** Its own `ranker` fields, with defaults. */
  readonly settings: S;
  /** Its checks on a `ranker` block that passed the schema and names it; paths start at the scenario's root. */
  readonly check: (ranker: unknown) => ConsistencyProblem[];
  /** Its network, from a `ranker` block that names it. */
  readonly build: (ranker: unknown, shape: NetworkShape) => RankerNetwork;
}

/** Declares a ranker model; `build` and `check` read its own fields and the shared ones, typed. */
export function rankerModel<N extends string, S extends z.ZodRawShape>(definition: {
  readonly name: N;
  readonly settings: S;
  /** null when it has no checks of its own. */
  readonly check: ((settings: ModelSettings<S>) => ConsistencyProblem[]) | null;
  readonly build: (settings: ModelSettings<S>, shape: NetworkShape) => RankerNetwork;
}): RankerModelComponent<N, S> {
  const { name, settings, check, build } = definition;
  // Not strict: the block holds the ranker's other fields too; this reads only the model's.
  const own = z.object({ ...NETWORK_SETTINGS, ...settings });
  const read = (ranker: unknown): ModelSettings<S> => own.parse(ranker) as ModelSettings<S>;
  return { name, settings, check: check === null ? () => [] : (ranker) => check(read(ranker)), build: (ranker, shape) => build(read(ranker), shape) };
}
