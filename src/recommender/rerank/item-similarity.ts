/**
 * Similarity of two items from public features only: the cosine of their positional topic-tag
 * vectors (the j-th tag weighs 1/(j+1), see tag-weights), plus 1 when they share a creator,
 * halved so the result lies in [0,1]. Identical tags and creator give 1; nothing shared gives 0.
 */
import type { PublicItem } from '../../world/public.js';
import { tagVectorNorm, tagWeight } from '../sources/tag-weights.js';

/** Cosine of the two items' tag vectors, in [0,1] (weights are non-negative). */
export function tagCosine(a: PublicItem, b: PublicItem): number {
  if (a.topics.length === 0 || b.topics.length === 0) return 0;
  let dot = 0;
  for (let i = 0; i < a.topics.length; i++) {
    const j = b.topics.indexOf(a.topics[i]);
    if (j >= 0) dot += tagWeight(i) * tagWeight(j);
  }
  return dot / (tagVectorNorm(a.topics.length) * tagVectorNorm(b.topics.length));
}

export function itemSimilarity(a: PublicItem, b: PublicItem): number {
  return (tagCosine(a, b) + (a.creatorId === b.creatorId ? 1 : 0)) / 2;
}
