/** What greedy target policies rank by: a best-first list of items for a context. */
import type { OpeContext } from '../types.js';

export interface Ranking {
  readonly name: string;
  /** Up to k distinct item ids below ctx.catalogSize, best first; exactly min(k, catalogSize) of them. */
  top(ctx: OpeContext, k: number): readonly number[];
  /** What the ranking orders by, for policies that read scores (Boltzmann); absent: minus the rank. */
  score?(ctx: OpeContext, itemId: number): number;
}

/**
 * Ranks by per-item scores from `scores(ctx)` (index = item id); ties go to the lower id. With
 * `cacheKey`, lists are kept per key (contexts with equal keys must get equal scores).
 */
export class ScoreRanking implements Ranking {
  private readonly cache = new Map<string, number[]>();

  constructor(
    readonly name: string,
    private readonly scores: (ctx: OpeContext) => ArrayLike<number>,
    private readonly cacheKey?: (ctx: OpeContext) => string | number,
  ) {}

  top(ctx: OpeContext, k: number): number[] {
    const key = this.cacheKey ? `${this.cacheKey(ctx)}:${ctx.catalogSize}:${k}` : undefined;
    const known = key === undefined ? undefined : this.cache.get(key);
    if (known) return known;
    const list = topK(this.scores(ctx), Math.min(k, ctx.catalogSize), ctx.catalogSize);
    if (key !== undefined) this.cache.set(key, list);
    return list;
  }
}

/** Indices of the k largest of s[0..n), best first, ties to the lower index (O(n·k), k small). */
export function topK(s: ArrayLike<number>, k: number, n: number): number[] {
  const out: number[] = [];
  if (k <= 0) return out;
  for (let i = 0; i < n; i++) {
    const v = s[i];
    if (out.length === k && !(v > s[out[k - 1]])) continue;
    let at = out.length === k ? k - 1 : out.length;
    while (at > 0 && v > s[out[at - 1]]) at--;
    if (out.length === k) out.pop();
    out.splice(at, 0, i);
  }
  return out;
}
