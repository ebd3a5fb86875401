/**
 * What the ranker hands a contextual policy (linear Thompson sampling): the representation one
 * head reads, i.e. its last shared layer (DCN-V2: the cross output beside the last deep layer;
 * MMoE: that head's gated mixture of the experts). Serving fills it from the same forward pass
 * that scores the batch; a retrain bumps the version and leaves the representation of recent
 * held-out impressions under the new weights, for the policy to rebuild its posterior from.
 */
import type { RecRequest } from '../types.js';

/** Held-out logged impressions of the last retrain, featurised as they stood when shown. */
export interface RecentRepresentation {
  readonly n: number;
  /** n × dim, in time order. */
  readonly x: Float32Array;
  /** Each row's index in the log window it was built from (oldest chunk first). */
  readonly windowRows: Int32Array;
}

export interface RankerRepresentation {
  /** The head whose input this is. */
  readonly head: string;
  /** 0 before the first retrain; bumped by every retrain that trains the model. */
  readonly version: number;
  /** Width of the vectors (0 before the first retrain). */
  readonly dim: number;
  /** The vector of (request, item) from the last scored batch, or undefined if it was not in it. */
  lookup(request: RecRequest, itemId: number): Float32Array | undefined;
  /** The representation of the last retrain's held-out rows for `head` (most recent first kept), or null. */
  readonly recent: RecentRepresentation | null;
}

/** The ranker's side of the export: it keeps only the last scored batch, so memory is one batch's. */
export class RepresentationExport implements RankerRepresentation {
  version = 0;
  dim = 0;
  recent: RecentRepresentation | null = null;
  private batch = new Map<RecRequest, Map<number, number>>();
  private data = new Float32Array(0);

  constructor(
    readonly head: string,
    readonly headIndex: number,
  ) {}

  lookup(request: RecRequest, itemId: number): Float32Array | undefined {
    const row = this.batch.get(request)?.get(itemId);
    return row === undefined ? undefined : this.data.subarray(row * this.dim, (row + 1) * this.dim);
  }

  /** Replaces the batch: row k of `data` belongs to the k-th candidate in request then candidate order. */
  setBatch(requests: readonly RecRequest[], itemIds: readonly (readonly { itemId: number }[])[], data: Float32Array): void {
    this.batch = new Map();
    this.data = data;
    let row = 0;
    for (const [r, request] of requests.entries()) {
      const rows = new Map<number, number>();
      for (const c of itemIds[r]) rows.set(c.itemId, row++);
      this.batch.set(request, rows);
    }
  }

  /** A retrain produced new weights: the old batch's vectors are in a space nobody reads any more. */
  retrained(dim: number, recent: RecentRepresentation): void {
    this.version++;
    this.dim = dim;
    this.recent = recent;
    this.batch = new Map();
    this.data = new Float32Array(0);
  }
}
