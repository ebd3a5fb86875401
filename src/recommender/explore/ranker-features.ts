/**
 * Linear Thompson sampling on the ranker's last shared layer (the "neural-linear" bandit): a bias
 * plus the leading principal components of the representation the reward's head reads, whitened
 * (whitening.ts). The vectors come from the forward pass that scored the batch, so serving runs
 * no second inference.
 *
 * Before the ranker's first training there is no layer to read, and the features fall back to the
 * topic features (`onRanker` false, reported as the policy's `linear_ts_ranker_share`). Every
 * retrain changes the representation, so old weights mean nothing in the new space: the whitening
 * is refitted on the ranker's held-out rows of that retrain, and those same rows, featurised by
 * the new weights from their point-in-time inputs, are the replay the posterior is rebuilt from.
 */
import type { RankerRepresentation } from '../ranking/representation.js';
import type { RecRequest } from '../types.js';
import type { FeatureMap, FeatureReplay } from './features.js';
import { Whitening } from './whitening.js';

export class RankerFeatures implements FeatureMap {
  readonly fromScoring = true;
  private whitening: Whitening | null = null;
  private seen = 0;

  constructor(
    private readonly ranker: RankerRepresentation,
    /** Used until the ranker has trained (and if a retrain leaves too few rows to fit on). */
    private readonly fallback: FeatureMap,
    /** Most principal components kept. */
    private readonly components: number,
  ) {}

  get dim(): number {
    return this.whitening ? this.whitening.components + 1 : this.fallback.dim;
  }

  get onRanker(): boolean {
    return this.whitening !== null;
  }

  write(request: RecRequest, itemId: number, out: Float64Array): void {
    const whitening = this.whitening;
    if (!whitening) {
      this.fallback.write(request, itemId, out);
      return;
    }
    out.fill(0);
    out[0] = 1;
    const z = this.ranker.lookup(request, itemId);
    // Every candidate that reaches the policy was scored; an unscored one would get the bias alone.
    if (z) whitening.apply(z, out, 1);
  }

  retrain(): FeatureReplay | null {
    if (this.ranker.version === this.seen) return null;
    this.seen = this.ranker.version;
    const recent = this.ranker.recent;
    const whitening = recent ? Whitening.fit(recent.x, recent.n, this.ranker.dim, this.components) : null;
    this.whitening = whitening;
    if (!whitening || !recent) return { n: 0, x: new Float64Array(0), windowRows: new Int32Array(0) };
    const d = whitening.components + 1;
    const width = this.ranker.dim;
    const x = new Float64Array(recent.n * d);
    for (let r = 0; r < recent.n; r++) {
      x[r * d] = 1;
      whitening.apply(recent.x.subarray(r * width, (r + 1) * width), x, r * d + 1);
    }
    return { n: recent.n, x, windowRows: recent.windowRows };
  }
}
