/**
 * Bags of embedding rows in compressed-row form: bag b holds ids[offsets[b] .. offsets[b+1])
 * with matching weights. One bag per example pools, say, a user's recency-weighted history or
 * an item's topic tags; a plain lookup is a bag of one id with weight 1.
 */
export interface Bags {
  readonly ids: Int32Array;
  readonly weights: Float32Array;
  /** Length bags + 1; offsets[0] = 0, offsets[bags] = ids.length. */
  readonly offsets: Int32Array;
}

export function bagCount(bags: Bags): number {
  return bags.offsets.length - 1;
}

/** Builds bags one at a time; `add` appends to the bag opened by the last `next`. */
export class BagBuilder {
  private ids: Int32Array;
  private weights: Float32Array;
  private readonly offsets: Int32Array;
  private n = 0;
  private bag = 0;

  constructor(
    readonly bags: number,
    capacity = bags,
  ) {
    this.ids = new Int32Array(Math.max(1, capacity));
    this.weights = new Float32Array(Math.max(1, capacity));
    this.offsets = new Int32Array(bags + 1);
  }

  add(id: number, weight = 1): void {
    if (this.n === this.ids.length) this.grow();
    this.ids[this.n] = id;
    this.weights[this.n] = weight;
    this.n++;
  }

  /** Closes the current bag (possibly empty) and opens the next. */
  next(): void {
    if (this.bag >= this.bags) throw new RangeError(`BagBuilder: more than ${this.bags} bags`);
    this.bag++;
    this.offsets[this.bag] = this.n;
  }

  build(): Bags {
    if (this.bag !== this.bags) throw new RangeError(`BagBuilder: ${this.bag} of ${this.bags} bags closed`);
    return { ids: this.ids.subarray(0, this.n), weights: this.weights.subarray(0, this.n), offsets: this.offsets };
  }

  private grow(): void {
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    const weights = new Float32Array(this.weights.length * 2);
    weights.set(this.weights);
    this.ids = ids;
    this.weights = weights;
  }
}

/** One bag per id, weight 1: a plain lookup. */
export function singletonBags(ids: ArrayLike<number>): Bags {
  const n = ids.length;
  return {
    ids: Int32Array.from(ids),
    weights: new Float32Array(n).fill(1),
    offsets: Int32Array.from({ length: n + 1 }, (_, k) => k),
  };
}
