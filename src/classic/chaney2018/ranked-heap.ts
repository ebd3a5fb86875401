/**
 * A max-heap of item indices by (score, then tie key): pops the ranking in order without sorting
 * it all, since a user's choice is settled within the first few ranks. Equal scores come out in
 * the order of their random tie keys, so no item wins a tie by its index.
 */
export class RankedHeap {
  private readonly heap: Int32Array;
  private size = 0;
  private scores = new Float64Array(0);
  private keys = new Float64Array(0);

  constructor(capacity: number) {
    this.heap = new Int32Array(capacity);
  }

  /** Fills the heap with `items` (any order), ranked by scores and then keys; O(n). */
  reset(items: Int32Array, count: number, scores: Float64Array, keys: Float64Array): void {
    this.scores = scores;
    this.keys = keys;
    this.heap.set(items.subarray(0, count));
    this.size = count;
    for (let i = (count >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get length(): number {
    return this.size;
  }

  /** The best remaining item; the heap must not be empty. */
  pop(): number {
    const top = this.heap[0];
    this.size--;
    if (this.size > 0) {
      this.heap[0] = this.heap[this.size];
      this.siftDown(0);
    }
    return top;
  }

  private before(a: number, b: number): boolean {
    const sa = this.scores[a];
    const sb = this.scores[b];
    return sa > sb || (sa === sb && this.keys[a] < this.keys[b]);
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) return;
      const right = left + 1;
      const best = right < this.size && this.before(heap[right], heap[left]) ? right : left;
      if (!this.before(heap[best], heap[i])) return;
      const tmp = heap[i];
      heap[i] = heap[best];
      heap[best] = tmp;
      i = best;
    }
  }
}
