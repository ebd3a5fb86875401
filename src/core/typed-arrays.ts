/** Growing the typed arrays that hot loops index by id. */

type NumericArray = Int32Array | Uint8Array | Float32Array | Float64Array;

/** A new array of the same type holding `array`'s values, then zeros up to `capacity`. */
export function grown<T extends NumericArray>(array: T, capacity: number): T {
  const Type = array.constructor as new (length: number) => T;
  const next = new Type(capacity);
  next.set(array);
  return next;
}

/**
 * The indices of `values` in ascending order of value, equal values in index order: what a stable
 * sort of 0..n−1 by (i, j) => values[i] − values[j] gives, for any values but NaN. A bottom-up
 * merge sort over typed arrays, with no comparator to call: the calibrators and the AUC order
 * tens of thousands of rows at every retrain.
 */
export function ascendingOrder(values: ArrayLike<number>): Int32Array {
  const n = values.length;
  let from = new Int32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  let to = new Int32Array(n);
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      // The left run's entry goes first unless the right one's value is strictly lower: stable.
      while (i < mid && j < hi) to[k++] = values[from[j]] < values[from[i]] ? from[j++] : from[i++];
      while (i < mid) to[k++] = from[i++];
      while (j < hi) to[k++] = from[j++];
    }
    [from, to] = [to, from];
  }
  return from;
}

/**
 * A map from small non-negative ids to whole numbers, emptied in O(1): `begin()` starts a new
 * stamp, and an entry counts only while its stamp is the current one. Reused across calls, so
 * code on a hot path can number ids without allocating a Map each time.
 */
export class StampedIndex {
  private mark = new Int32Array(0);
  private value = new Int32Array(0);
  private stamp = 0;

  /** Empties the map; returns the stamp to pass to find and place until the next begin. */
  begin(): number {
    if (this.stamp === 0x7fffffff) {
      this.mark.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  /** The id's value under `stamp`, or −1 when it has none. */
  find(id: number, stamp: number): number {
    return id < this.mark.length && this.mark[id] === stamp ? this.value[id] : -1;
  }

  place(id: number, stamp: number, value: number): void {
    if (id >= this.mark.length) {
      const capacity = Math.max(id + 1, 2 * this.mark.length, 1024);
      this.mark = grown(this.mark, capacity);
      this.value = grown(this.value, capacity);
    }
    this.mark[id] = stamp;
    this.value[id] = value;
  }
}
