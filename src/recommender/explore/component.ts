/**
 * What an exploration policy is, declared once in its own file: its name (the `policy:` value),
 * its scenario settings, whether it keeps the re-ranked order, and how to build it. The
 * scenario's `exploration:` union and the builder are derived from the registry (registry.ts);
 * a declaration missing a field does not compile. It imports no policy (policies import it).
 */
import type { z } from 'zod';
import { taggedComponent, type TaggedComponent, type TaggedSchema } from '../tagged-component.js';
import type { RandomStreams } from '../../rng/index.js';
import type { RankerHead } from '../ranking/heads.js';
import type { RankerRepresentation } from '../ranking/representation.js';
import type { CandidateSource, ExplorationPolicy } from '../types.js';
import type { FeatureMap } from './features.js';

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

export interface Exploration {
  /** The slate-stage policy (greedy behind a candidate-stage explorer). */
  readonly policy: ExplorationPolicy;
  /** Extra candidate sources to add to the pipeline (the candidate stage's `explore`). */
  readonly sources: readonly CandidateSource[];
}

type PolicySchema<N extends string, S extends z.ZodRawShape> = TaggedSchema<'policy', N, S>;

export interface ExplorationComponent<N extends string = string, S extends z.ZodRawShape = z.ZodRawShape>
  extends TaggedComponent<'policy', N, S, ExplorationContext, Exploration> {
  /**
   * At the slate stage, what the policy orders the slate by when it is not the re-ranked order
   * (its own draws or bounds): the re-ranker's MMR and fresh boost would be discarded; null
   * when it keeps the re-ranked order.
   */
  readonly reorders: string | null;
}

/** Declares a policy; its settings are a zod shape, `policy: <name>` is added. */
export function explorationPolicy<N extends string, S extends z.ZodRawShape>(definition: {
  readonly name: N;
  readonly settings: S;
  readonly reorders: string | null;
  readonly build: (config: z.output<PolicySchema<N, S>>, ctx: ExplorationContext) => Exploration;
}): ExplorationComponent<N, S> {
  const { name, settings, reorders, build } = definition;
  return { ...taggedComponent('policy', name, settings, build), reorders };
}

/** A policy that chooses the slate itself. */
export function slateStage(policy: ExplorationPolicy): Exploration {
  return { policy, sources: [] };
}
