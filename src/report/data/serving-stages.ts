/**
 * Whether a report's per-stage latency means something. Every built-in recommender is timed
 * stage by stage, but only one with a learned ranker (two_stage) does work worth a latency
 * budget; a most-popular list or a random slate takes microseconds that say nothing about
 * serving. Kinds the registry does not know (a plug-in, an older name) keep their chart.
 */
import { hasRanker, RECOMMENDER_KINDS } from '../../recommender/registry.js';

export function hasServingStages(kinds: readonly (string | undefined)[]): boolean {
  const known = kinds.filter((k): k is string => k !== undefined);
  if (known.length === 0) return true;
  return known.some((kind) => !RECOMMENDER_KINDS.includes(kind) || hasRanker(kind));
}
