/**
 * What a candidate source is, declared once in its own file: its name (the `source:` value of a
 * `candidates` entry), its settings, and how to build it. The scenario's `candidates` union and
 * the two-stage builder are derived from the registry (registry.ts); a declaration missing a
 * field does not compile.
 */
import { z } from 'zod';
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

type SourceSchema<N extends string, S extends z.ZodRawShape> = z.ZodObject<{ source: z.ZodLiteral<N> } & S, z.core.$strict>;

export interface CandidateSourceComponent<N extends string = string, S extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: N;
  /** A `candidates` entry for this source, `source: <name>` included. */
  readonly schema: SourceSchema<N, S>;
  /** Builds the source from its entry (read with `schema`, so any entry that names this source will do). */
  readonly build: (config: unknown, ctx: SourceContext) => CandidateSource;
}

/** Declares a source; its settings are a zod shape, `source: <name>` is added. */
export function candidateSource<N extends string, S extends z.ZodRawShape>(definition: {
  readonly name: N;
  readonly settings: S;
  readonly build: (config: z.output<SourceSchema<N, S>>, ctx: SourceContext) => CandidateSource;
}): CandidateSourceComponent<N, S> {
  const { name, settings, build } = definition;
  const schema = z.strictObject({ source: z.literal(name), ...settings }) as SourceSchema<N, S>;
  return { name, schema, build: (config, ctx) => build(schema.parse(config), ctx) };
}
