/**
 * The re-ranker registry: every `rerank.kind`, declared in its own file (component.ts says what
 * a declaration holds); the first is the default, so `kind` may be left out for it. The `rerank`
 * block, the reordering settings, the checks and the builder are derived from it, so a new
 * re-ranker is its file plus one line here.
 */
import { z } from 'zod';
import type { ConsistencyProblem } from '../../settings/problem.js';
import type { ReRanker } from '../types.js';
import type { ReorderingSetting, ReRankContext, ReRankerComponent } from './component.js';
import { DIVERSITY_RERANKER } from './diversity.js';

const RERANKERS = [DIVERSITY_RERANKER] as const;

export const RERANKER_KINDS: readonly string[] = RERANKERS.map((r) => r.name);

const first = RERANKERS[0];
const rest = RERANKERS.slice(1);

/** A two-stage recommender's `rerank` block: one option per re-ranker; `kind` may be left out for the first. */
export const rerankSection = z
  .discriminatedUnion('kind', [first.schema.extend({ kind: z.literal(first.name).default(first.name) }), ...rest.map((r) => r.schema)], {
    error: `expected kind: ${RERANKER_KINDS.join(', ')}`,
  })
  .prefault({});

export type ReRankConfig = z.output<typeof rerankSection>;

function declared(kind: string): ReRankerComponent {
  const component: ReRankerComponent | undefined = RERANKERS.find((r) => r.name === kind);
  if (!component) throw new Error(`no re-ranker is named ${kind}`);
  return component;
}

export function buildReRanker(config: ReRankConfig, ctx: ReRankContext): ReRanker {
  return declared(config.kind).build(config, ctx);
}

/** The settings of the block that reorder the candidates beyond their scores (see ReRankerComponent). */
export function reorderingSettings(config: ReRankConfig): ReorderingSetting[] {
  return declared(config.kind).reorders(config);
}

export function checkReRanker(config: ReRankConfig): ConsistencyProblem[] {
  return declared(config.kind).check(config);
}
