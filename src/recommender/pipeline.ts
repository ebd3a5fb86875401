/**
 * A recommender composed of narrow stages: candidate sources → merge → ranker → re-ranker →
 * exploration policy. Every stage works on the whole batch of requests at once where it can.
 */
import { StampedIndex } from '../core/typed-arrays.js';
import type { KeyedStream } from '../rng/index.js';
import type { TrainingLog } from '../training/training-log.js';
import type {
  Candidate,
  CandidateSource,
  ExplorationPolicy,
  Ranker,
  Recommender,
  RecRequest,
  ReRanker,
  ScoredCandidate,
  RecommenderDiagnostics,
  ServingTally,
  Slate,
  SlateFeedback,
} from './types.js';
import { StageLatency } from './stage-latency.js';
import { requestDraws } from './request-draws.js';

export interface PipelineStages {
  readonly sources: readonly CandidateSource[];
  /** Without a ranker, candidates keep their source score. */
  readonly ranker?: Ranker;
  readonly reranker?: ReRanker;
  readonly policy: ExplorationPolicy;
  /** How many of the best-scored candidates go on to re-ranking and exploration (default: all). */
  readonly shortlist?: number;
}

export class Pipeline implements Recommender {
  /** Re-ranking and the exploration policy are timed together as the last stage; `total` is the whole request. */
  private readonly latency = new StageLatency(['retrieval', 'ranking', 'rerank', 'total']);

  constructor(
    readonly name: string,
    private readonly stages: PipelineStages,
    private readonly slateSize: number,
    /** The policy's draws, keyed by request (slate id): a slate does not depend on the other requests served with it. */
    private readonly draws: KeyedStream,
  ) {
    if (stages.sources.length === 0) throw new Error(`recommender ${name}: needs at least one candidate source`);
    const { sources, ranker, policy } = stages;
    this.tally = ranker?.tally;
    if (sources.some((s) => s.observe) || ranker?.observe || policy.observe) {
      this.observe = (feedback) => {
        for (const source of sources) source.observe?.(feedback);
        ranker?.observe?.(feedback);
        policy.observe?.(feedback);
      };
    }
  }

  /** The ranker's, when it keeps counts. */
  readonly tally?: ServingTally;

  /** Streams feedback to the stages that learn from it; absent when none does, so the loop builds no feedback per slate. */
  readonly observe?: (feedback: SlateFeedback) => void;

  serve(requests: readonly RecRequest[]): Slate[] {
    // Timed as a whole too: a percentile of the sum is not the sum of the stages' percentiles.
    return this.latency.time('total', requests.length, () => this.serveStages(requests));
  }

  private serveStages(requests: readonly RecRequest[]): Slate[] {
    const { sources, ranker, reranker, policy, shortlist } = this.stages;
    const n = requests.length;
    const candidates = this.latency.time('retrieval', n, () => {
      if (sources.length === 1) return sources[0].generate(requests);
      const perSource = sources.map((source) => source.generate(requests));
      return requests.map((_, r) => mergeCandidates(perSource.map((lists) => lists[r])));
    });
    const ordered = this.latency.time('ranking', n, () => {
      if (!ranker) return candidates.map((list) => orderByScore(list, undefined, shortlist));
      const scores = ranker.score(requests, candidates);
      return candidates.map((list, r) => orderByScore(list, scores[r], shortlist));
    });
    return this.latency.time('rerank', n, () =>
      requests.map((request, r) => {
        const final = reranker ? reranker.rerank(request, ordered[r], this.slateSize) : ordered[r];
        return { slateId: request.slateId, entries: policy.select(request, final, this.slateSize, requestDraws(this.draws, request), reranker?.cap) };
      }),
    );
  }

  diagnostics(): RecommenderDiagnostics {
    const parts = [...this.stages.sources.map((s) => s.diagnostics?.()), this.stages.ranker?.diagnostics?.(), this.stages.policy.diagnostics?.()];
    return mergeDiagnostics([{ metrics: {}, timings: this.latency.takeEpoch() }, ...parts]);
  }


  /**
   * Sources and the ranker learn from the log independently, so they retrain together: while a
   * source waits on another thread (an HNSW build, a model another thread trains), the ranker trains. Their
   * synchronous steps still run one after another in a fixed order. The policy comes last: it
   * may read the retrained ranker.
   */
  async retrain(log: TrainingLog, now: number): Promise<void> {
    const sources = Promise.all(this.stages.sources.map((source) => source.retrain?.(log, now)));
    await Promise.all([sources, this.stages.ranker?.retrain?.(log, now)]);
    await this.stages.policy.retrain?.(log, now);
  }
}

/**
 * Merges per-source candidate lists, keeping the first occurrence's score and every source's
 * name. A lone list is returned as it is, not copied; a candidate only one source produced is
 * passed through, not copied, and one several sources produced is copied once, however many.
 */
export function mergeCandidates(lists: readonly (readonly Candidate[])[]): readonly Candidate[] {
  if (lists.length === 1) return lists[0];
  const merged = mergeBuffer;
  let count = 0;
  const stamp = mergeScratch.begin();
  // Where merged[at] is a copy made here, its sources array is this merge's own to extend.
  let owned: Map<number, string[]> | undefined;
  // Indexed loops: for-of here allocated an iterator result per candidate (a sampling heap profile's largest site).
  for (let l = 0; l < lists.length; l++) {
    const list = lists[l];
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      const at = mergeScratch.find(c.itemId, stamp);
      if (at < 0) {
        mergeScratch.place(c.itemId, stamp, count);
        merged[count++] = c;
        continue;
      }
      const first = merged[at];
      let sources = owned?.get(at);
      for (let k = 0; k < c.sources.length; k++) {
        const s = c.sources[k];
        if ((sources ?? first.sources).includes(s)) continue;
        if (!sources) {
          sources = first.sources.slice();
          (owned ??= new Map()).set(at, sources);
          merged[at] = { itemId: first.itemId, sources, sourceScore: first.sourceScore };
        }
        sources.push(s);
      }
    }
  }
  return merged.slice(0, count);
}

/** The merge is built here and copied out at its length: an array grown by push allocates about three times its final size. */
const mergeBuffer: Candidate[] = [];

/** Where each item id sits in the list being merged (reused by every merge: nothing is allocated per item). */
const mergeScratch = new StampedIndex();

/**
 * The best `limit` candidates by `scores` (default: each candidate's source score), best first;
 * ties broken by item id so the order never depends on insertion. A candidate scored NaN has
 * been dropped by the ranker (a ranking cascade's trimmed candidates) and is left out.
 */
export function orderByScore(candidates: readonly Candidate[], scores?: ArrayLike<number>, limit = candidates.length): ScoredCandidate[] {
  const live = scores ? scoredIndices(scores, candidates.length) : null;
  const n = live ? live.length : candidates.length;
  const order = orderScratch.sort(candidates, scores, live, n);
  const count = Math.min(limit, n);
  const out = new Array<ScoredCandidate>(count);
  for (let r = 0; r < count; r++) {
    const k = order[r];
    const c = candidates[k];
    const score = scores ? scores[k] : c.sourceScore;
    // A candidate that already carries this score (e.g. a popularity count) is passed on as it is: no object per impression.
    out[r] = 'score' in c && Object.is(c.score, score) ? (c as ScoredCandidate) : { itemId: c.itemId, sources: c.sources, sourceScore: c.sourceScore, score };
  }
  return out;
}

/**
 * Sorts candidate indices by compareCandidates with the scores in a typed array: each score is
 * read once, and a candidate object only on a tie (item ids decide it), where the built-in sort
 * called a comparator per comparison. Stable like the built-in sort, so equal candidates keep
 * their order exactly as before.
 */
class OrderScratch {
  private index = new Int32Array(0);
  private key = new Float64Array(0);
  private spareIndex = new Int32Array(0);
  private spareKey = new Float64Array(0);
  /** nativeSort's keys, and their 32-bit words (the low word of float64 r is word 2r: little-endian). */
  private packed = new Float64Array(0);
  private packedWords = new Uint32Array(0);

  /** Candidate indices (the live ones, or all) best first; valid until the next call. */
  sort(candidates: readonly Candidate[], scores: ArrayLike<number> | undefined, live: Uint32Array | null, n: number): Int32Array {
    if (this.index.length < n) this.grow(n);
    let { index, key } = this;
    let nan = false;
    for (let r = 0; r < n; r++) {
      const k = live ? live[r] : r;
      index[r] = k;
      key[r] = scores ? scores[k] : candidates[k].sourceScore;
      nan ||= Number.isNaN(key[r]);
    }
    // Sources usually hand their candidates over best first; then no sort is needed.
    let sorted = true;
    for (let r = 1; r < n && sorted; r++) sorted = !before(candidates, key[r], index[r], key[r - 1], index[r - 1]);
    if (sorted) return index;
    // A NaN source score makes the comparison inconsistent: keep the built-in sort's order.
    if (nan) return Int32Array.from(index.subarray(0, n)).sort((a, b) => compareCandidates(candidates, scores, a, b));
    const native = this.nativeSort(candidates, n);
    if (native) return native;
    let { spareIndex: toIndex, spareKey: toKey } = this;
    for (let width = 1; width < n; width *= 2) {
      for (let start = 0; start < n; start += 2 * width) {
        const mid = Math.min(start + width, n);
        const end = Math.min(start + 2 * width, n);
        let a = start;
        let b = mid;
        let o = start;
        while (a < mid && b < end) {
          // The right run's head goes first only when it strictly precedes: ties keep their order.
          if (before(candidates, key[b], index[b], key[a], index[a])) {
            toIndex[o] = index[b];
            toKey[o++] = key[b++];
          } else {
            toIndex[o] = index[a];
            toKey[o++] = key[a++];
          }
        }
        for (; a < mid; a++, o++) {
          toIndex[o] = index[a];
          toKey[o] = key[a];
        }
        for (; b < end; b++, o++) {
          toIndex[o] = index[b];
          toKey[o] = key[b];
        }
      }
      [index, toIndex] = [toIndex, index];
      [key, toKey] = [toKey, key];
    }
    return index;
  }

  /**
   * The order by the typed array's own sort: each position's negated key with the position in
   * the low bits of its mantissa, sorted as float64 numbers; then keys checked to fall strictly
   * from one run of equal keys to the next, and each run put in item id order (calibrated heads
   * give equal scores often). Null, leaving the merge sort to do it, where the positions do not
   * fit in POSITION_BITS, a key is infinite, or the check fails (keys apart only in the bits the
   * positions took).
   */
  private nativeSort(candidates: readonly Candidate[], n: number): Int32Array | null {
    if (!LITTLE_ENDIAN || n > 1 << POSITION_BITS) return null;
    const { index, key, packed, packedWords, spareIndex, spareKey } = this;
    for (let r = 0; r < n; r++) {
      const k = key[r];
      if (!Number.isFinite(k)) return null;
      packed[r] = -k;
      packedWords[2 * r] = (packedWords[2 * r] & ~POSITION_MASK) | r;
    }
    packed.subarray(0, n).sort();
    for (let p = 0; p < n; p++) {
      const r = packedWords[2 * p] & POSITION_MASK;
      spareIndex[p] = index[r];
      spareKey[p] = key[r];
    }
    // Runs of equal keys [run, p), each falling strictly below the one before it.
    for (let run = 0, p = 1; p <= n; p++) {
      if (p < n && spareKey[p] === spareKey[p - 1]) continue;
      if (p < n && !(spareKey[p - 1] > spareKey[p])) return null;
      if (p - run > 1) byItemId(candidates, spareIndex, run, p);
      run = p;
    }
    return spareIndex;
  }

  private grow(n: number): void {
    const capacity = Math.max(n, 2 * this.index.length, 64);
    this.packed = new Float64Array(capacity);
    this.packedWords = new Uint32Array(this.packed.buffer);
    this.index = new Int32Array(capacity);
    this.key = new Float64Array(capacity);
    this.spareIndex = new Int32Array(capacity);
    this.spareKey = new Float64Array(capacity);
  }
}
const orderScratch = new OrderScratch();

/** Low mantissa bits nativeSort gives a key's position: lists of up to 4,096 candidates. */
const POSITION_BITS = 12;
const POSITION_MASK = (1 << POSITION_BITS) - 1;
/** Whether a float64's low word comes first in memory, as nativeSort reads it. */
const LITTLE_ENDIAN = new Uint32Array(Float64Array.of(1).buffer)[1] === 0x3ff00000;

/** Sorts order[from .. to) (candidates of equal score) by item id, equal ids by index: the merge sort's order for them. */
function byItemId(candidates: readonly Candidate[], order: Int32Array, from: number, to: number): void {
  for (let p = from + 1; p < to; p++) {
    const k = order[p];
    const id = candidates[k].itemId;
    let at = p;
    while (at > from && (candidates[order[at - 1]].itemId > id || (candidates[order[at - 1]].itemId === id && order[at - 1] > k))) {
      order[at] = order[at - 1];
      at--;
    }
    order[at] = k;
  }
}

/** Whether candidate a (score keyA) goes strictly before candidate b: compareCandidates < 0, no NaN among the scores. */
function before(candidates: readonly Candidate[], keyA: number, a: number, keyB: number, b: number): boolean {
  const d = keyB - keyA;
  if (d < 0) return true;
  if (d > 0) return false;
  return candidates[a].itemId - candidates[b].itemId < 0;
}

/** Indices of the candidates not scored NaN, or null when none is. */
function scoredIndices(scores: ArrayLike<number>, n: number): Uint32Array | null {
  let dropped = 0;
  for (let k = 0; k < n; k++) if (Number.isNaN(scores[k])) dropped++;
  if (dropped === 0) return null;
  const live = new Uint32Array(n - dropped);
  let r = 0;
  for (let k = 0; k < n; k++) if (!Number.isNaN(scores[k])) live[r++] = k;
  return live;
}

/** Negative when candidate a goes before b: higher score first, then lower item id. Plain functions, no closure per call. */
function compareCandidates(candidates: readonly Candidate[], scores: ArrayLike<number> | undefined, a: number, b: number): number {
  const scoreA = scores ? scores[a] : candidates[a].sourceScore;
  const scoreB = scores ? scores[b] : candidates[b].sourceScore;
  return scoreB - scoreA || candidates[a].itemId - candidates[b].itemId;
}

/** Joins the figures of several stages; two stages reporting the same name is a bug. */
export function mergeDiagnostics(parts: readonly (RecommenderDiagnostics | undefined)[]): RecommenderDiagnostics {
  const metrics: Record<string, number> = {};
  const timings: Record<string, number> = {};
  const files: Record<string, unknown> = {};
  for (const part of parts) {
    if (!part) continue;
    for (const [name, document] of Object.entries(part.files ?? {})) {
      if (name in files) throw new Error(`two pipeline stages both write ${name}`);
      files[name] = document;
    }
    for (const [into, from] of [
      [metrics, part.metrics],
      [timings, part.timings],
    ] as const) {
      for (const [key, value] of Object.entries(from)) {
        if (key in into) throw new Error(`two pipeline stages both report "${key}"`);
        into[key] = value;
      }
    }
  }
  return { metrics, timings, files };
}
