/**
 * The creator cap over one request's pool (indices 0..n-1), as a policy fills a slate: which pool
 * items the cap still allows, given what is placed so far. Policies draw and estimate their
 * propensities through it, so both follow the same constraint.
 */
import { StampedIndex } from '../../core/typed-arrays.js';
import type { CreatorCap, ScoredCandidate } from '../types.js';

export interface PoolLimit {
  /** Most items any slate of this pool can hold: Σ over creators of min(cap, their items). */
  readonly capacity: number;
  /** Unplaced pool items the cap now excludes (their creator is full). */
  readonly blocked: number;
  /** Starts a new slate: nothing placed. */
  reset(): void;
  allows(k: number): boolean;
  /** Places pool item k (which must be allowed). */
  add(k: number): void;
}

/**
 * The cap over a candidate list, or undefined when it cannot bind there (no creator has more
 * than `cap` candidates): then a policy runs exactly as without a cap.
 */
export function candidateLimit(cap: CreatorCap | undefined, pool: readonly ScoredCandidate[]): PoolLimit | undefined {
  if (!cap) return undefined;
  // Creators numbered in order of first appearance in the pool.
  const stamp = denseScratch.begin();
  const creator = new Int32Array(pool.length);
  let creators = 0;
  for (let k = 0; k < pool.length; k++) {
    const id = cap.creatorOf(pool[k].itemId);
    let dense = denseScratch.find(id, stamp);
    if (dense < 0) denseScratch.place(id, stamp, (dense = creators++));
    creator[k] = dense;
  }
  const sizes = new Int32Array(creators);
  let binds = false;
  for (let k = 0; k < creator.length; k++) binds = ++sizes[creator[k]] > cap.cap || binds;
  if (!binds) return undefined;
  return new DenseLimit(cap.cap, creator, sizes);
}

/** Each creator id's number within the pool being read (shared by every call: numbering a pool allocates no map). */
const denseScratch = new StampedIndex();

/** The cap over the whole catalog (pool index = item id). */
export function catalogLimit(cap: CreatorCap | undefined, catalogSize: number): PoolLimit | undefined {
  return cap ? new CatalogLimit(cap, catalogSize) : undefined;
}

/** Creators numbered 0..C-1 within the pool: typed-array counts, for the tight Monte-Carlo loops. */
class DenseLimit implements PoolLimit {
  readonly capacity: number;
  blocked = 0;
  private readonly counts: Int32Array;

  constructor(
    private readonly cap: number,
    private readonly creator: Int32Array,
    private readonly sizes: Int32Array,
  ) {
    this.counts = new Int32Array(sizes.length);
    let capacity = 0;
    for (const s of sizes) capacity += Math.min(cap, s);
    this.capacity = capacity;
  }

  reset(): void {
    this.counts.fill(0);
    this.blocked = 0;
  }

  allows(k: number): boolean {
    return this.counts[this.creator[k]] < this.cap;
  }

  add(k: number): void {
    const c = this.creator[k];
    if (++this.counts[c] === this.cap) this.blocked += this.sizes[c] - this.cap;
  }
}

/** Creators looked up by item id; a slate touches a handful of them. */
class CatalogLimit implements PoolLimit {
  /** The catalog is taken to hold more creators than a slate has slots; a fill stops if it does not. */
  readonly capacity: number;
  blocked = 0;
  private readonly counts = new Map<number, number>();

  constructor(
    private readonly cap: CreatorCap,
    catalogSize: number,
  ) {
    this.capacity = catalogSize;
  }

  reset(): void {
    this.counts.clear();
    this.blocked = 0;
  }

  allows(k: number): boolean {
    return (this.counts.get(this.cap.creatorOf(k)) ?? 0) < this.cap.cap;
  }

  add(k: number): void {
    const c = this.cap.creatorOf(k);
    const n = (this.counts.get(c) ?? 0) + 1;
    this.counts.set(c, n);
    if (n === this.cap.cap) this.blocked += this.cap.catalogItems(c) - n;
  }
}

/** The first `slots` entries of `order` the cap allows, placing them (after a reset). */
export function cappedWalk(order: ArrayLike<number>, slots: number, limit: PoolLimit): number[] {
  limit.reset();
  const out: number[] = [];
  for (let i = 0; i < order.length && out.length < slots; i++) {
    if (!limit.allows(order[i])) continue;
    limit.add(order[i]);
    out.push(order[i]);
  }
  return out;
}

/**
 * Fills `out` with the indices (relative to `offset`) of the best of scores[offset..offset+n),
 * slot by slot skipping items the cap excludes, ties to the earlier item. out.length must not
 * exceed the limit's capacity. `taken` is scratch of length n.
 */
export function cappedTopInto(scores: Float64Array, offset: number, n: number, out: Int32Array, limit: PoolLimit, taken: Uint8Array): void {
  limit.reset();
  taken.fill(0);
  for (let s = 0; s < out.length; s++) {
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i] === 1 || !limit.allows(i)) continue;
      if (best < 0 || scores[offset + i] > scores[offset + best]) best = i;
    }
    out[s] = best;
    taken[best] = 1;
    limit.add(best);
  }
}
