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
