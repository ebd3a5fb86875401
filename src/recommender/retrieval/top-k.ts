/**
 * The k best (score, index) pairs seen so far, kept in a min-heap of typed arrays so a scan of
 * n candidates costs O(n) comparisons against the current k-th best plus O(log k) per insert.
 * Ties go to the lower index, so results never depend on scan order.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly indices: Int32Array;
  private size = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(1, k));
    this.indices = new Int32Array(Math.max(1, k));
  }

  /** The score a candidate must beat to enter (−∞ until the heap is full). */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.scores[0];
  }

  push(score: number, index: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      this.siftUp(this.size++, score, index);
    } else if (worse(this.scores[0], this.indices[0], score, index)) {
      this.siftDown(0, score, index);
    }
  }

  /** Drains the heap into arrays, best first. */
  drain(): { indices: Int32Array; scores: Float32Array } {
    const n = this.size;
    const indices = new Int32Array(n);
    const scores = new Float32Array(n);
    for (let r = n - 1; r >= 0; r--) {
      indices[r] = this.indices[0];
      scores[r] = this.scores[0];
      const last = --this.size;
      if (last > 0) this.siftDown(0, this.scores[last], this.indices[last]);
    }
    return { indices, scores };
  }

  private siftUp(pos: number, score: number, index: number): void {
    const { scores, indices } = this;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!worse(score, index, scores[parent], indices[parent])) break;
      scores[pos] = scores[parent];
      indices[pos] = indices[parent];
      pos = parent;
    }
    scores[pos] = score;
    indices[pos] = index;
  }

  private siftDown(pos: number, score: number, index: number): void {
    const { scores, indices, size } = this;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= size) break;
      if (child + 1 < size && worse(scores[child + 1], indices[child + 1], scores[child], indices[child])) child++;
      if (!worse(scores[child], indices[child], score, index)) break;
      scores[pos] = scores[child];
      indices[pos] = indices[child];
      pos = child;
    }
    scores[pos] = score;
    indices[pos] = index;
  }
}

/** True when (sa, ia) ranks below (sb, ib): lower score, or equal score and higher index. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}
