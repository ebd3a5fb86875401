/**
 * Small helpers for per-id state. User and item ids are dense from 0 and only grow, so state
 * lives in typed arrays that double in capacity when a larger id shows up.
 */

export type NumericArray = Float64Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

/**
 * Returns `array` if it already holds `length` entries, else a copy with at least that many
 * (capacity doubles), new entries set to `fill`.
 */
export function ensureLength<A extends NumericArray>(array: A, length: number, fill: number): A {
  if (length <= array.length) return array;
  let capacity = Math.max(16, array.length * 2);
  while (capacity < length) capacity *= 2;
  const Ctor = array.constructor as new (n: number) => A;
  const grown = new Ctor(capacity);
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}

/**
 * Set of ids seen in the current epoch, cleared in O(1) by bumping an epoch stamp. It also
 * answers whether an id was in the previous epoch's set (for return rates).
 */
export class EpochIdSet {
  private stamps = new Int32Array(0);
  /** Stamp of the current epoch; 0 means "never seen". */
  private current = 1;
  private count = 0;
  private previousCount = 0;

  /** Adds `id`; true when it was not yet in this epoch's set. */
  add(id: number): boolean {
    this.stamps = ensureLength(this.stamps, id + 1, 0);
    if (this.stamps[id] === this.current) return false;
    this.stamps[id] = this.current;
    this.count++;
    return true;
  }

  has(id: number): boolean {
    return id < this.stamps.length && this.stamps[id] === this.current;
  }

  /** Whether `id` was in the set of the epoch before the current one. */
  inPreviousEpoch(id: number): boolean {
    return id < this.stamps.length && this.stamps[id] === this.current - 1;
  }

  /** Distinct ids added this epoch. */
  get size(): number {
    return this.count;
  }

  /** Distinct ids the previous epoch ended with. */
  get previousSize(): number {
    return this.previousCount;
  }

  /** Starts a new epoch (O(1)). */
  nextEpoch(): void {
    this.previousCount = this.count;
    this.count = 0;
    this.current++;
  }
}

/** Position of the clicked item in a slate event, validated; -1 when nothing was clicked. */
export function clickedItem(event: { readonly items: readonly number[]; readonly clicked: number }): number {
  const { clicked, items } = event;
  if (clicked === -1) return -1;
  if (!Number.isInteger(clicked) || clicked < 0 || clicked >= items.length) {
    throw new RangeError(`slate event: clicked position ${clicked} outside slate of ${items.length}`);
  }
  return items[clicked];
}

/** a / b, or 0 when b is 0 (the NaN-free convention for ratios with no denominator). */
export function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
