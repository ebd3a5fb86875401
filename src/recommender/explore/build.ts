/**
 * The exploration of a pipeline recommender: the context its policy is built with. The policies
 * themselves, and the builder, are in the registry (registry.ts).
 */
import type { RankerHead } from '../ranking/heads.js';
import type { RankerRepresentation } from '../ranking/representation.js';
import type { RecommenderContext } from '../types.js';
import type { ExplorationContext } from './component.js';
import { TopicFeatures } from './features.js';

export type { Exploration, ExplorationContext } from './component.js';
export { buildExploration } from './registry.js';

/** The exploration context of a pipeline recommender: its catalog and streams, topic features, and its ranker's layer if it has one. */
export function pipelineExplorationContext(ctx: RecommenderContext, representation?: (head: RankerHead) => RankerRepresentation): ExplorationContext {
  return { catalogSize: () => ctx.catalog.size, streams: ctx.streams, features: (hashed) => new TopicFeatures(ctx.catalog, hashed), representation };
}
