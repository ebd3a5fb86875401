/**
 * The ranking cascade's first step: a linear model over the ranker's own standardized features,
 * distilled from the ranker's combined score, that decides which candidates of a request the
 * heavy network scores. A linear pass costs `dim` multiply-adds per candidate against the
 * network's tens of thousands, so keeping the best `keep` of ~100 candidates cuts ranker
 * serving roughly by that share.
 *
 * Candidates of the `bypass` sources (by default the fresh and exploration sources, which exist
 * to show what the models know little about) are not left to the linear score alone: a model
 * distilled from what was shown would trim exactly them. By default (`bypass_kept:
 * proportional`) they keep their share of the `keep`, their best by the pre-ranker; with `all`
 * every one of them reaches the ranker besides the `keep`, which gives them a larger share of
 * what it scores than they had (docs/PERFORMANCE.md, "The ranking cascade").
 *
 * The fit is ridge regression in closed form on the most recent training rows' ranker scores;
 * `recall` measures, on sampled requests, how much of the ranker's own top list the cascade kept.
 */
import { cholesky, choleskySolve } from '../../ml/cholesky.js';
import { matMul, matMulTransposedA } from '../../ml/typed-matmul.js';
import type { Candidate, ServingTally } from '../types.js';

/** Ridge penalty on standardized features (the intercept is penalised the same; it barely matters at thousands of rows). */
const RIDGE = 1;
/** recall hits, recall total, rows kept, rows seen */
const COUNTS = 4;
const [HITS, TOTAL, KEPT, SEEN] = [0, 1, 2, 3];

export interface PreRankerSettings {
  readonly keep: number;
  readonly bypass: readonly string[];
  /** 'all': every candidate of a bypass source is kept; 'proportional': they are trimmed in the same proportion as the rest, their best kept. */
  readonly bypass_kept: 'all' | 'proportional';
}

export class PreRanker {
  /** The fitted weights without the intercept (it moves every candidate of a request alike); null until fitted. */
  private weights: Float32Array | null = null;
  private readonly bypass: ReadonlySet<string>;
  /** Per request, reused: each candidate's linear score, a sorting copy, and whether it bypasses. */
  private scores = new Float64Array(0);
  private sorted = new Float64Array(0);
  private group = new Uint8Array(0);
  /**
   * Counts since the last `takeFigures`: of sampled requests, the ranker's top-`depth` items found
   * among the kept ones and their number; rows kept and rows seen. Sums over requests, so a run
   * split by users adds up its threads' counts (`tally`).
   */
  private readonly counts = new Float64Array(COUNTS);

  constructor(
    readonly settings: PreRankerSettings,
    readonly dim: number,
  ) {
    if (!Number.isInteger(settings.keep) || settings.keep < 1) throw new RangeError(`prerank.keep must be a whole number of 1 or more, got ${settings.keep}`);
    this.bypass = new Set(settings.bypass);
  }

  get fitted(): boolean {
    return this.weights !== null;
  }

  /** The fitted weights, for another thread to adopt (null until fitted). */
  get fittedWeights(): Float32Array | null {
    return this.weights;
  }

  /** Serves with weights another thread fitted on the same log. */
  adoptWeights(weights: Float32Array): void {
    if (weights.length !== this.dim) throw new RangeError(`pre-ranker: ${weights.length} weights for ${this.dim} features`);
    this.weights = Float32Array.from(weights);
  }

  /** Fits score ≈ w·x + b on n rows of x (n × dim): ridge regression's normal equations, solved once. */
  fit(x: Float32Array, n: number, target: ArrayLike<number>): void {
    const d = this.dim;
    const m = d + 1;
    // X with a column of ones for the intercept; XᵀX and Xᵀy as two native products.
    const design = new Float32Array(n * m);
    for (let i = 0; i < n; i++) {
      design.set(x.subarray(i * d, (i + 1) * d), i * m);
      design[i * m + d] = 1;
    }
    const gram = Float64Array.from(matMulTransposedA(design, n, m, design, m));
    const xy = Float64Array.from(matMulTransposedA(design, n, m, Float32Array.from({ length: n }, (_, i) => target[i]), 1));
    for (let a = 0; a < m; a++) gram[a * m + a] += RIDGE;
    this.weights = Float32Array.from(choleskySolve(cholesky(gram, m), m, xy).subarray(0, d));
  }

  /**
   * Marks in `kept` (one flag per row, rows in request then candidate order) the rows the ranker
   * scores: each request's `keep` best by the linear score, with every bypassing candidate besides
   * (`bypass_kept: all`) or the bypassing candidates' best for their share of `keep` and the
   * rest's best for the remainder (`proportional`). Ties go to the earlier candidate. Returns how
   * many rows are kept.
   */
  select(x: Float32Array, candidates: readonly (readonly Candidate[])[], kept: Uint8Array): number {
    const w = this.weights;
    if (!w) throw new Error('pre-ranker: not fitted');
    const d = this.dim;
    const keep = this.settings.keep;
    const rows = candidates.reduce((sum, list) => sum + list.length, 0);
    // Every row's w·x in one product, a native kernel rather than a JS loop per candidate. The
    // intercept is left out: it moves every candidate of a request alike.
    const linear = candidates.some((list) => list.length > keep) ? matMul(x.subarray(0, rows * d), rows, d, w, 1) : null;
    let row = 0;
    let total = 0;
    for (const list of candidates) {
      const n = list.length;
      if (n <= keep || !linear) {
        kept.fill(1, row, row + n);
        total += n;
        row += n;
        continue;
      }
      if (this.scores.length < n) this.grow(n);
      const { scores, group } = this;
      let inGroup = 0;
      for (let k = 0; k < n; k++) {
        scores[k] = linear[row + k];
        const bypassing = list[k].sources.some((source) => this.bypass.has(source));
        group[k] = bypassing ? 1 : 0;
        if (bypassing) inGroup++;
      }
      kept.fill(0, row, row + n);
      if (this.settings.bypass_kept === 'all') {
        this.markBest(n, keep, -1, kept, row);
        for (let k = 0; k < n; k++) if (group[k] === 1) kept[row + k] = 1;
      } else {
        const groupKeep = Math.round((keep * inGroup) / n);
        this.markBest(n, groupKeep, 1, kept, row);
        this.markBest(n, keep - groupKeep, 0, kept, row);
      }
      for (let k = 0; k < n; k++) total += kept[row + k];
      row += n;
    }
    this.counts[SEEN] += row;
    this.counts[KEPT] += total;
    return total;
  }

  /** Marks the `count` best-scored of the first n candidates in group `only` (-1: all), ties to the earlier candidate. */
  private markBest(n: number, count: number, only: number, kept: Uint8Array, row: number): void {
    const { scores, group, sorted } = this;
    let m = 0;
    for (let k = 0; k < n; k++) if (only < 0 || group[k] === only) sorted[m++] = scores[k];
    if (count <= 0 || m === 0) return;
    // The count-th best score: everything above it is kept, and as many at it as are left, earliest first.
    const threshold = count >= m ? -Infinity : sorted.subarray(0, m).sort()[m - count];
    let ties = count;
    for (let k = 0; k < n; k++) if ((only < 0 || group[k] === only) && scores[k] > threshold) ties--;
    for (let k = 0; k < n; k++) {
      if (only >= 0 && group[k] !== only) continue;
      if (scores[k] > threshold || (scores[k] === threshold && ties-- > 0)) kept[row + k] = 1;
    }
  }

  private grow(n: number): void {
    const capacity = Math.max(n, 2 * this.scores.length);
    this.scores = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
    this.group = new Uint8Array(capacity);
  }

  /** Records, for one request scored in full, how many of the ranker's best `depth` were kept. */
  recordRecall(fullScores: ArrayLike<number>, kept: Uint8Array, offset: number, depth: number): void {
    const n = fullScores.length;
    const top = Uint32Array.from({ length: n }, (_, k) => k)
      .sort((a, b) => fullScores[b] - fullScores[a] || a - b)
      .subarray(0, Math.min(depth, n));
    for (const k of top) this.counts[HITS] += kept[offset + k];
    this.counts[TOTAL] += top.length;
  }

  /** This thread's counts since the last figures, and the run's in their place (a run split by users). */
  readonly tally: ServingTally = {
    take: () => Float64Array.from(this.counts),
    replace: (total) => {
      if (total.length !== COUNTS) throw new RangeError(`pre-ranker: a tally of ${total.length} counts, not ${COUNTS}`);
      this.counts.set(total);
    },
  };

  /** Figures since the last call: share of the ranker's top list kept, share of candidates kept. */
  takeFigures(): { recall: number; keptShare: number } {
    const c = this.counts;
    const figures = { recall: c[TOTAL] > 0 ? c[HITS] / c[TOTAL] : 0, keptShare: c[SEEN] > 0 ? c[KEPT] / c[SEEN] : 0 };
    c.fill(0);
    return figures;
  }
}
