/**
 * Similarity of two items from public features only: the cosine of their positional topic-tag
 * vectors (the j-th tag weighs 1/(j+1), see tag-weights), plus 1 when they share a creator,
 * halved so the result lies in [0,1]. Identical tags and creator give 1; nothing shared gives 0.
 */
import type { PublicItem } from '../../world/public.js';
import type { ItemTable } from '../item-table.js';
import { cachedTagVectorNorm, tagVectorNorm, tagWeight } from '../sources/tag-weights.js';

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
  return similarity(tagCosine(a, b), a.creatorId === b.creatorId);
}

function similarity(tagCosine: number, sameCreator: boolean): number {
  return (tagCosine + (sameCreator ? 1 : 0)) / 2;
}

/**
 * itemSimilarity(a, target) against each of a few targets (the slate's head as it grows), so a
 * re-ranker can bring an item's similarity to the head up to date only when it looks at the item.
 * Each target keeps its own table of tag positions (looked up per tag instead of searched per
 * pair); the arithmetic is itemSimilarity's, in its order, so the values are identical to it.
 */
export class SimilarityToMany {
  /** Target t's position of each tag at position[t * topicBound + tag]; −1 when absent. */
  private position = new Int32Array(0);
  private bound = 0;
  private targets: number[] = [];
  private counts: number[] = [];
  private norms: number[] = [];

  constructor(private readonly table: ItemTable) {}

  /** How many targets there are. */
  get size(): number {
    return this.targets.length;
  }

  /** Adds `itemId` (already in the synced table) as the next target. */
  add(itemId: number): void {
    const { topicStart, topics, topicBound } = this.table;
    const slot = this.targets.length;
    if (topicBound !== this.bound) {
      if (slot > 0) throw new Error('SimilarityToMany: the tag count changed while targets were set');
      this.bound = topicBound;
    }
    if (this.position.length < (slot + 1) * topicBound) this.position = grownFilled(this.position, Math.max((slot + 1) * topicBound, 2 * this.position.length));
    const from = topicStart[itemId];
    const count = topicStart[itemId + 1] - from;
    const base = slot * topicBound;
    for (let j = count - 1; j >= 0; j--) this.position[base + topics[from + j]] = j;
    this.targets.push(itemId);
    this.counts.push(count);
    this.norms.push(cachedTagVectorNorm(count));
  }

  /** itemSimilarity of `itemId` to target number `slot`. */
  of(slot: number, itemId: number): number {
    const { topicStart, topics, creators } = this.table;
    const from = topicStart[itemId];
    const count = topicStart[itemId + 1] - from;
    const base = slot * this.bound;
    let cosine = 0;
    if (count > 0 && this.counts[slot] > 0) {
      let dot = 0;
      for (let i = 0; i < count; i++) {
        const j = this.position[base + topics[from + i]];
        if (j >= 0) dot += tagWeight(i) * tagWeight(j);
      }
      cosine = dot / (cachedTagVectorNorm(count) * this.norms[slot]);
    }
    return similarity(cosine, creators[itemId] === creators[this.targets[slot]]);
  }

  /** Removes every target. */
  clear(): void {
    const { topicStart, topics } = this.table;
    for (let slot = 0; slot < this.targets.length; slot++) {
      const target = this.targets[slot];
      for (let j = topicStart[target]; j < topicStart[target + 1]; j++) this.position[slot * this.bound + topics[j]] = -1;
    }
    this.targets.length = 0;
    this.counts.length = 0;
    this.norms.length = 0;
  }
}

/** A copy of `array` at `capacity`, the new entries −1. */
function grownFilled(array: Int32Array, capacity: number): Int32Array {
  const out = new Int32Array(capacity).fill(-1);
  out.set(array);
  return out;
}
