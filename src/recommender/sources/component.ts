/**
 * What a candidate source is, declared once in its own file: its name (the `source:` value of a
 * `candidates` entry), its settings, and how to build it. The scenario's `candidates` union and
 * the two-stage builder are derived from the registry (registry.ts); a declaration missing a
 * field does not compile.
 */
import type { z } from 'zod';
import { taggedComponent, type TaggedComponent, type TaggedSchema } from '../tagged-component.js';
import type { TwoTowerConfig } from '../two-tower/config.js';
import type { CandidateSource, RecommenderContext } from '../types.js';

/** What building a source may use besides its own settings. */
export interface SourceContext {
  readonly recommender: RecommenderContext;
  /** The recommender's `two_tower` block (the model a two-tower source trains). */
  readonly twoTower: TwoTowerConfig;
  /** The entry's place in `candidates`: its random streams are named by it. */
  readonly index: number;
}

type SourceSchema<N extends string, S extends z.ZodRawShape> = TaggedSchema<'source', N, S>;

export type CandidateSourceComponent<N extends string = string, S extends z.ZodRawShape = z.ZodRawShape> = TaggedComponent<'source', N, S, SourceContext, CandidateSource>;

/** Declares a source; its settings are a zod shape, `source: <name>` is added. */
export function candidateSource<N extends string, S extends z.ZodRawShape>(definition: {
  readonly name: N;
  readonly settings: S;
  readonly build: (config: z.output<SourceSchema<N, S>>, ctx: SourceContext) => CandidateSource;
}): CandidateSourceComponent<N, S> {
  return taggedComponent('source', definition.name, definition.settings, definition.build);
}
