/**
 * A frozen most-clicked ranking, as the popularity baseline ranks: clicks per item over a
 * window of the log, most clicked first (ties: lower id), then the newest items to fill a short
 * list. Frozen so that a target policy is one fixed thing, the same offline and online.
 * Unlike the baseline it does not hide items the user already clicked (it is context-free).
 */
import type { ImpressionBuffer } from '../../training/impression-buffer.js';
import type { OpeContext } from '../types.js';
import type { Ranking } from './ranking.js';

export class PopularityRanking implements Ranking {
  readonly name = 'popularity';
  private readonly cache = new Map<string, number[]>();

  /** `ranked`: items with clicks, most clicked first; `clicks`: their counts (absent: all equal). */
  constructor(
    readonly ranked: readonly number[],
    private readonly clicks: ReadonlyMap<number, number> = new Map(),
  ) {}

  /**
   * The popularity source's score: an item's clicks, or for an item without any, below every
   * clicked one and higher the newer (−1 − id / catalog size).
   */
  score(ctx: OpeContext, itemId: number): number {
    return this.clicks.get(itemId) ?? -1 - itemId / ctx.catalogSize;
  }

  /** Counts clicks with since <= time < until over the given impression buffers. */
  static fit(buffers: readonly ImpressionBuffer[], since: number, until: number): PopularityRanking {
    const clicks = new Map<number, number>();
    for (const buffer of buffers) {
      const { slate_row, item_id, clicked, slates } = buffer.columns;
      for (let i = 0; i < item_id.length; i++) {
        const time = slates.time[slate_row[i]];
        if (clicked[i] === 1 && time >= since && time < until) clicks.set(item_id[i], (clicks.get(item_id[i]) ?? 0) + 1);
      }
    }
    const ranked = [...clicks].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([item]) => item);
    return new PopularityRanking(ranked, clicks);
  }

  top(ctx: OpeContext, k: number): readonly number[] {
    const key = `${ctx.catalogSize}:${k}`;
    let list = this.cache.get(key);
    if (!list) {
      list = [];
      const want = Math.min(k, ctx.catalogSize);
      const taken = new Set<number>();
      for (const item of this.ranked) {
        if (list.length >= want) break;
        if (item < ctx.catalogSize) {
          list.push(item);
          taken.add(item);
        }
      }
      for (let id = ctx.catalogSize - 1; id >= 0 && list.length < want; id--) if (!taken.has(id)) list.push(id);
      this.cache.set(key, list);
    }
    return list;
  }
}
