/**
 * The k best of a long row of scores, best first, ties to the lower index: exactly what pushing
 * the whole row through a TopK gives, for much less work. Every score is put in one of BUCKETS
 * equal-width buckets by value (the range is read off a sample; scores outside it go to the end
 * buckets), and only the items of the highest buckets that together hold at least k are sorted.
 * Bucketing is monotone in the score, so every item left out scores strictly below
 * every item kept, whatever range the sample gave: a poor range only means more items to sort.
 */
import { TopK } from './top-k.js';

const BUCKETS = 1024;
const TOP = BUCKETS - 1;
/** Every SAMPLE_STRIDE-th score sets the buckets' range. */
const SAMPLE_STRIDE = 8;

export class TopSelect {
  private readonly counts = new Int32Array(BUCKETS);
  /** The kept items, in index order and then sorted (with scratch for the merges). */
  private keptIndex = new Int32Array(0);
  private keptScore = new Float64Array(0);
  private spareIndex = new Int32Array(0);
  private spareScore = new Float64Array(0);

  /** The `k` best of scores[from .. from + count) as indices relative to `from`, with their scores; NaN never enters. */
  select(scores: Float64Array, from: number, count: number, k: number): { indices: Int32Array; scores: Float32Array } {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = from; i < from + count; i += SAMPLE_STRIDE) {
      const s = scores[i];
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
    const scale = BUCKETS / (hi - lo);
    // Few items for k, or a range that cannot be cut into buckets: the heap alone.
    if (count <= 4 * k || !(scale > 0 && scale < Infinity)) return heapTop(scores, from, count, k);
    const { counts } = this;
    counts.fill(0);
    for (let i = from; i < from + count; i++) {
      const s = scores[i];
      if (s === s) counts[bucket((s - lo) * scale)]++;
    }
    let cut = TOP;
    let held = counts[TOP];
    while (held < k && cut > 0) held += counts[--cut];
    if (this.keptIndex.length < held) this.grow(held);
    const { keptIndex, keptScore } = this;
    let n = 0;
    for (let i = from; i < from + count; i++) {
      const s = scores[i];
      // NaN fails the comparison, as in the heap's scan.
      if (s === s && bucket((s - lo) * scale) >= cut) {
        keptIndex[n] = i - from;
        keptScore[n++] = s;
      }
    }
    const sorted = this.sortByScore(n);
    const take = Math.min(k, n);
    return { indices: sorted.index.slice(0, take), scores: new Float32Array(sorted.score.subarray(0, take)) };
  }

  /**
   * Bottom-up merge sort of the n kept items, highest score first. Stable, and the items arrive
   * in index order, so equal scores stay lower index first.
   */
  private sortByScore(n: number): { index: Int32Array; score: Float64Array } {
    let index = this.keptIndex;
    let score = this.keptScore;
    let toIndex = this.spareIndex;
    let toScore = this.spareScore;
    for (let width = 1; width < n; width *= 2) {
      for (let start = 0; start < n; start += 2 * width) {
        const mid = Math.min(start + width, n);
        const end = Math.min(start + 2 * width, n);
        let a = start;
        let b = mid;
        let o = start;
        while (a < mid && b < end) {
          // Strictly greater to go first: the left run wins ties.
          if (score[b] > score[a]) {
            toIndex[o] = index[b];
            toScore[o++] = score[b++];
          } else {
            toIndex[o] = index[a];
            toScore[o++] = score[a++];
          }
        }
        while (a < mid) {
          toIndex[o] = index[a];
          toScore[o++] = score[a++];
        }
        while (b < end) {
          toIndex[o] = index[b];
          toScore[o++] = score[b++];
        }
      }
      [index, toIndex] = [toIndex, index];
      [score, toScore] = [toScore, score];
    }
    return { index, score };
  }

  private grow(size: number): void {
    const capacity = Math.max(size, 2 * this.keptIndex.length);
    this.keptIndex = new Int32Array(capacity);
    this.keptScore = new Float64Array(capacity);
    this.spareIndex = new Int32Array(capacity);
    this.spareScore = new Float64Array(capacity);
  }
}

/** The bucket of a score placed at `x` bucket widths above the range's low end: clamped, so monotone in x everywhere. */
function bucket(x: number): number {
  return x >= TOP ? TOP : x > 0 ? x | 0 : 0;
}

/** The plain scan: a TopK fed every score at or above its current threshold. */
function heapTop(scores: Float64Array, from: number, count: number, k: number): { indices: Int32Array; scores: Float32Array } {
  const heap = new TopK(k);
  let threshold = -Infinity;
  for (let i = 0; i < count; i++) {
    const s = scores[from + i];
    if (s >= threshold) {
      heap.push(s, i);
      threshold = heap.threshold;
    }
  }
  return heap.drain();
}
