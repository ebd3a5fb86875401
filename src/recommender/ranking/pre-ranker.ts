/**
 * The ranking cascade's first step: a linear model over the ranker's own standardized features,
 * distilled from the ranker's combined score, that decides which candidates of a request the
 * heavy network scores. A linear pass costs `dim` multiply-adds per candidate against the
 * network's tens of thousands, so keeping the best `keep` of ~100 candidates cuts ranker
 * serving roughly by that share.
 *
 * Candidates of the `bypass` sources (by default the fresh and exploration sources, which exist
 * to show what the models know little about) always reach the ranker: a model distilled from
 * what was shown would otherwise trim exactly them.
 *
 * The fit is ridge regression in closed form on the most recent training rows' ranker scores;
 * `recall` measures, on sampled requests, how much of the ranker's own top list the cascade kept.
 */
import { BayesianLinearModel } from '../explore/bayes-linear.js';
import type { Candidate } from '../types.js';

/** Ridge penalty on standardized features (the intercept is penalised the same; it barely matters at thousands of rows). */
const RIDGE = 1;

export interface PreRankerSettings {
  readonly keep: number;
  readonly bypass: readonly string[];
}

export class PreRanker {
  private weights: Float64Array | null = null;
  private readonly bypass: ReadonlySet<string>;
  /** Sampled requests: the ranker's top-`recallDepth` items found among the kept ones. */
  private recallHits = 0;
  private recallTotal = 0;
  private keptRows = 0;
  private seenRows = 0;

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

  /** Fits score ≈ w·x + b on n rows of x (n × dim). */
  fit(x: Float32Array, n: number, target: ArrayLike<number>): void {
    const d = this.dim;
    const model = new BayesianLinearModel(d + 1, RIDGE, 1);
    const row = new Float64Array(d + 1);
    row[d] = 1;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) row[j] = x[i * d + j];
      model.update(row, target[i]);
    }
    this.weights = Float64Array.from(model.mean());
  }

  /**
   * Marks in `kept` (one flag per row, rows in request then candidate order) the rows the ranker
   * scores: each request's `keep` best by the linear score, plus every bypassing candidate.
   * Returns how many rows are kept.
   */
  select(x: Float32Array, candidates: readonly (readonly Candidate[])[], kept: Uint8Array): number {
    const w = this.weights;
    if (!w) throw new Error('pre-ranker: not fitted');
    const d = this.dim;
    const keep = this.settings.keep;
    let row = 0;
    let total = 0;
    for (const list of candidates) {
      const n = list.length;
      if (n <= keep) {
        kept.fill(1, row, row + n);
        total += n;
        row += n;
        continue;
      }
      const scores = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const o = (row + k) * d;
        let s = w[d];
        for (let j = 0; j < d; j++) s += w[j] * x[o + j];
        scores[k] = s;
      }
      // The keep-th best score; ties at it are broken by position in the list, so the count is exact.
      const order = Uint32Array.from({ length: n }, (_, k) => k).sort((a, b) => scores[b] - scores[a] || a - b);
      kept.fill(0, row, row + n);
      for (let r = 0; r < keep; r++) kept[row + order[r]] = 1;
      for (let k = 0; k < n; k++) if (!kept[row + k] && list[k].sources.some((s) => this.bypass.has(s))) kept[row + k] = 1;
      for (let k = 0; k < n; k++) total += kept[row + k];
      row += n;
    }
    this.seenRows += row;
    this.keptRows += total;
    return total;
  }

  /** Records, for one request scored in full, how many of the ranker's best `depth` were kept. */
  recordRecall(fullScores: ArrayLike<number>, kept: Uint8Array, offset: number, depth: number): void {
    const n = fullScores.length;
    const top = Uint32Array.from({ length: n }, (_, k) => k)
      .sort((a, b) => fullScores[b] - fullScores[a] || a - b)
      .subarray(0, Math.min(depth, n));
    for (const k of top) this.recallHits += kept[offset + k];
    this.recallTotal += top.length;
  }

  /** Figures since the last call: share of the ranker's top list kept, share of candidates kept. */
  takeFigures(): { recall: number; keptShare: number } {
    const figures = {
      recall: this.recallTotal > 0 ? this.recallHits / this.recallTotal : 0,
      keptShare: this.seenRows > 0 ? this.keptRows / this.seenRows : 0,
    };
    this.recallHits = this.recallTotal = this.keptRows = this.seenRows = 0;
    return figures;
  }
}
