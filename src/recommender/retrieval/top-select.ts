/**
 * The k best of a long row of scores, best first, ties to the lower index: exactly what pushing
 * the whole row through a TopK gives, for much less work. Every score is put in one of BUCKETS
 * equal-width buckets by value (the range is read off a sample; scores outside it go to the end
 * buckets), and only the items of the highest buckets that together hold at least k are kept,
 * placed bucket by bucket and sorted within their bucket. One scan over the row usually does: it
 * gathers and counts the items above a cut guessed from the sample.
 * Bucketing is monotone in the score, so every item left out scores strictly below
 * every item kept, whatever range the sample gave: a poor range only means more items to sort.
 */
import { TopK } from './top-k.js';

/**
 * The one full pass of a selection, done where the scores live: a scoring kernel scans its own
 * score memory faster than a JavaScript loop can (inner-products.ts).
 */
export interface CutScan {
  /**
   * The positions i (relative to `from`, ascending) of scores[from .. from + count) of the
   * kernel's last scores whose (s − lo) · scale ≥ cut, each computed in float64 as written; the
   * view is reused by the next call.
   */
  above(from: number, count: number, lo: number, scale: number, cut: number): Int32Array;
}

const BUCKETS = 1024;
const TOP = BUCKETS - 1;
/**
 * A sample of every stride-th score sets the buckets' range and guesses the cut: every eighth, or
 * about SAMPLE_SIZE of a longer row (reading a row's every cache line costs more than the pass).
 */
const MIN_STRIDE = 8;
const SAMPLE_SIZE = 1024;

export class TopSelect {
  private readonly counts = new Int32Array(BUCKETS);
  /** Where each kept bucket's items start in the output, filled highest bucket first. */
  private readonly starts = new Int32Array(BUCKETS);
  /** Items gathered by the scan (index relative to the row, score, bucket), in index order. */
  private keptIndex = new Int32Array(0);
  private keptScore = new Float64Array(0);
  private keptBucket = new Int32Array(0);
  /** The selected items, best first. */
  private outIndex = new Int32Array(0);
  private outScore = new Float64Array(0);

  /**
   * The `k` best of scores[from .. from + count) as indices relative to `from`, with their scores;
   * NaN never enters. `scan`, the kernel that wrote `scores`, makes the full pass in its memory.
   */
  select(scores: Float64Array, from: number, count: number, k: number, scan?: CutScan): { indices: Int32Array; scores: Float32Array } {
    // The range of the sample's finite scores: an inverted file's padding rows score −∞, and a
    // range reaching down to them could not be cut into buckets.
    const stride = Math.max(MIN_STRIDE, Math.floor(count / SAMPLE_SIZE));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = from; i < from + count; i += stride) {
      const s = scores[i];
      if (s < lo && s > -Infinity) lo = s;
      if (s > hi && s < Infinity) hi = s;
    }
    const scale = BUCKETS / (hi - lo);
    // Few items for k, or a range that cannot be cut into buckets: the heap alone.
    if (count <= 4 * k || !(scale > 0 && scale < Infinity)) return heapTop(scores, from, count, k);
    const { counts } = this;
    // A guess at the cut from the sample, low enough that the one full scan below usually
    // gathers every item the cut keeps (the sample holds about twice k's share above it).
    counts.fill(0);
    for (let i = from; i < from + count; i += stride) {
      const s = scores[i];
      if (s === s) counts[bucket((s - lo) * scale)]++;
    }
    const guess = cutFor(counts, 2 * Math.ceil(k / stride) + 2);
    counts.fill(0);
    if (this.keptIndex.length < count) this.grow(count);
    if (guess > 0) {
      const gathered = this.gatherAbove(scores, from, count, lo, scale, guess, scan);
      // Enough above the guess: the cut lies at or above it, where every bucket was counted.
      if (gathered >= k) return this.ordered(gathered, cutFor(counts, k), k);
      counts.fill(0);
    }
    const { keptIndex, keptScore, keptBucket } = this;
    let gathered = 0;
    // The guess was too high: count every bucket and gather at the true cut.
    for (let i = from; i < from + count; i++) {
      const s = scores[i];
      if (s === s) counts[bucket((s - lo) * scale)]++;
    }
    const cut = cutFor(counts, k);
    for (let i = from; i < from + count; i++) {
      const s = scores[i];
      if (s !== s) continue;
      const b = bucket((s - lo) * scale);
      if (b >= cut) {
        keptIndex[gathered] = i - from;
        keptScore[gathered] = s;
        keptBucket[gathered++] = b;
      }
    }
    return this.ordered(gathered, cut, k);
  }

  /**
   * Gathers (index, score, bucket) of every item whose (s − lo) · scale ≥ guess and counts their
   * buckets: bucket(x) ≥ guess exactly when x ≥ guess (guess is a bucket above 0), so one
   * comparison per item decides and only the gathered items are counted. Returns how many.
   */
  private gatherAbove(scores: Float64Array, from: number, count: number, lo: number, scale: number, guess: number, scan: CutScan | undefined): number {
    const { counts, keptIndex, keptScore, keptBucket } = this;
    const above = scan ? scan.above(from, count, lo, scale, guess) : keptIndex.subarray(0, aboveCut(scores, from, count, lo, scale, guess, keptIndex));
    for (let g = 0; g < above.length; g++) {
      const i = above[g];
      const s = scores[from + i];
      const b = bucket((s - lo) * scale);
      counts[b]++;
      keptIndex[g] = i;
      keptScore[g] = s;
      keptBucket[g] = b;
    }
    return above.length;
  }

  /**
   * The best k of the gathered items in buckets at or above `cut`: placed bucket by bucket, highest
   * first (in index order within a bucket), then an insertion sort by score within each bucket
   * (strictly higher moves up, so equal scores stay lower index first; across buckets nothing moves).
   */
  private ordered(gathered: number, cut: number, k: number): { indices: Int32Array; scores: Float32Array } {
    const { counts, starts, keptIndex, keptScore, keptBucket, outIndex, outScore } = this;
    let total = 0;
    for (let b = TOP; b >= cut; b--) {
      starts[b] = total;
      total += counts[b];
    }
    for (let g = 0; g < gathered; g++) {
      const b = keptBucket[g];
      if (b < cut) continue;
      const at = starts[b]++;
      outIndex[at] = keptIndex[g];
      outScore[at] = keptScore[g];
    }
    for (let r = 1; r < total; r++) {
      const index = outIndex[r];
      const score = outScore[r];
      let at = r;
      while (at > 0 && outScore[at - 1] < score) {
        outIndex[at] = outIndex[at - 1];
        outScore[at] = outScore[at - 1];
        at--;
      }
      outIndex[at] = index;
      outScore[at] = score;
    }
    const take = Math.min(k, total);
    return { indices: outIndex.slice(0, take), scores: new Float32Array(outScore.subarray(0, take)) };
  }

  private grow(size: number): void {
    const capacity = Math.max(size, 2 * this.keptIndex.length);
    this.keptIndex = new Int32Array(capacity);
    this.keptScore = new Float64Array(capacity);
    this.keptBucket = new Int32Array(capacity);
    this.outIndex = new Int32Array(capacity);
    this.outScore = new Float64Array(capacity);
  }
}

/**
 * CutScan's pass in JavaScript: writes to `out` the positions i (relative to `from`, ascending) of
 * scores[from .. from + count) whose (s − lo) · scale ≥ cut and returns how many. NaN fails the
 * comparison, as in the heap's scan.
 */
export function aboveCut(scores: Float64Array, from: number, count: number, lo: number, scale: number, cut: number, out: Int32Array): number {
  let found = 0;
  for (let i = 0; i < count; i++) if ((scores[from + i] - lo) * scale >= cut) out[found++] = i;
  return found;
}

/** The highest bucket such that it and the buckets above hold at least `k` items (0 if none does). */
function cutFor(counts: Int32Array, k: number): number {
  let cut = TOP;
  let held = counts[TOP];
  while (held < k && cut > 0) held += counts[--cut];
  return cut;
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
