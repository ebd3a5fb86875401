/**
 * What a re-ranker is, declared once in its own file: its name (the `rerank.kind` value), its
 * settings, which of them reorder the candidates beyond their scores, its checks across fields,
 * and how to build it. The `rerank` block, the checks and the builder are derived from the
 * registry (registry.ts); a declaration missing a field does not compile.
 */
import type { z } from 'zod';
import type { ConsistencyProblem } from '../../settings/problem.js';
import type { PublicCatalog } from '../../world/public.js';
import { taggedComponent, type TaggedComponent, type TaggedSchema } from '../tagged-component.js';
import type { ReRanker } from '../types.js';

/** What building a re-ranker may use besides its own settings. */
export interface ReRankContext {
  readonly catalog: PublicCatalog;
}

/** A setting, as given, that makes the re-ranker change the order of the candidates. */
export interface ReorderingSetting {
  /** Its key in the `rerank` block. */
  readonly key: string;
  readonly value: number;
  /** What it adds to the order, e.g. "MMR order". */
  readonly what: string;
}

type ReRankSchema<N extends string, S extends z.ZodRawShape> = TaggedSchema<'kind', N, S>;

export interface ReRankerComponent<N extends string = string, S extends z.ZodRawShape = z.ZodRawShape> extends TaggedComponent<'kind', N, S, ReRankContext, ReRanker> {
  /**
   * The settings of a `rerank` block that reorder the candidates beyond their scores: a policy
   * that orders the slate by scores of its own would discard them (hard limits, kept under every
   * policy, are not among them).
   */
  readonly reorders: (config: unknown) => ReorderingSetting[];
  /** Its checks on a `rerank` block that passed the schema; paths start at the scenario's root. */
  readonly check: (config: unknown) => ConsistencyProblem[];
}

/** Declares a re-ranker; its settings are a zod shape, `kind: <name>` is added. */
export function reRanker<N extends string, S extends z.ZodRawShape>(definition: {
  readonly name: N;
  readonly settings: S;
  readonly reorders: (config: z.output<ReRankSchema<N, S>>) => ReorderingSetting[];
  /** null when it has no checks of its own. */
  readonly check: ((config: z.output<ReRankSchema<N, S>>) => ConsistencyProblem[]) | null;
  readonly build: (config: z.output<ReRankSchema<N, S>>, ctx: ReRankContext) => ReRanker;
}): ReRankerComponent<N, S> {
  const { name, settings, reorders, check, build } = definition;
  const component = taggedComponent('kind', name, settings, build);
  return {
    ...component,
    reorders: (config) => reorders(component.schema.parse(config)),
    check: check === null ? () => [] : (config) => check(component.schema.parse(config)),
  };
}
