/**
 * Approximate maximum-inner-product search with an HNSW graph (hnswlib-node, space 'ip').
 * The index is built once from all item vectors after each retrain and never updated in place;
 * hnswlib labels are positions in `ids`, mapped back on the way out.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { checkpointClass } from '../../checkpoint/codecs.js';
import type { Retriever } from '../types.js';

export interface HnswParams {
  readonly m: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  /** Seed of hnswlib's level generator: the same vectors give the same graph. */
  readonly seed?: number;
}

const DEFAULT_SEED = 100;

/** The HNSW graph of `count` row-major vectors, built by adding them in row order (so the seed fixes the graph). */
export function buildHnswIndex(vectors: Float32Array, count: number, dim: number, params: HnswParams): hnswlib.HierarchicalNSW {
  const index = new hnswlib.HierarchicalNSW('ip', dim);
  index.initIndex({
    maxElements: Math.max(1, count),
    m: params.m,
    efConstruction: params.efConstruction,
    randomSeed: params.seed ?? DEFAULT_SEED,
  });
  // hnswlib-node takes plain arrays only; one reusable array avoids an allocation per point.
  const point = new Array<number>(dim);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dim; d++) point[d] = vectors[i * dim + d];
    index.addPoint(point, i);
  }
  return index;
}

export class HnswRetriever implements Retriever {
  readonly exact = false;
  private readonly index: hnswlib.HierarchicalNSW;
  private readonly count: number;

  /** Builds the graph of `vectors` (one row of `dim` per entry of `ids`), or takes one built from them elsewhere. */
  constructor(
    private readonly ids: Int32Array,
    vectors: Float32Array | hnswlib.HierarchicalNSW,
    readonly dim: number,
    params: HnswParams,
  ) {
    this.count = ids.length;
    if (vectors instanceof Float32Array) {
      if (vectors.length !== ids.length * dim) throw new RangeError(`HnswRetriever: ${vectors.length} values for ${ids.length} ids of dim ${dim}`);
      this.index = buildHnswIndex(vectors, this.count, dim, params);
    } else {
      if (vectors.getCurrentCount() !== ids.length) throw new RangeError(`HnswRetriever: a graph of ${vectors.getCurrentCount()} points for ${ids.length} ids`);
      this.index = vectors;
    }
    this.index.setEf(params.efSearch);
  }

  static {
    // A checkpoint keeps the graph itself: rebuilding it would cost as much as the retrain that built it.
    interface Saved {
      readonly ids: Int32Array;
      readonly dim: number;
      readonly efSearch: number;
      readonly graph: Uint8Array;
    }
    checkpointClass(HnswRetriever, {
      save: ({ ids, dim, index }): Saved => ({
        ids,
        dim,
        efSearch: index.getEf(),
        graph: throughFile((file) => {
          index.writeIndexSync(file);
          return new Uint8Array(readFileSync(file));
        }),
      }),
      restore: (state) => {
        const saved = state as Saved;
        const index = new hnswlib.HierarchicalNSW('ip', saved.dim);
        throughFile((file) => {
          writeFileSync(file, saved.graph);
          index.readIndexSync(file);
        });
        return new HnswRetriever(saved.ids, index, saved.dim, { m: 0, efConstruction: 0, efSearch: saved.efSearch });
      },
    });
  }

  get size(): number {
    return this.count;
  }

  /** Changes the search breadth of the built graph (recall against speed) without rebuilding it. */
  setEfSearch(ef: number): void {
    this.index.setEf(ef);
  }

  /** hnswlib searches one query per native call; the batch shares the conversion buffer. */
  search(queries: readonly Float32Array[], k: number): { ids: Int32Array; scores: Float32Array }[] {
    const take = Math.max(0, Math.min(k, this.count));
    const point = new Array<number>(this.dim);
    return queries.map((q) => {
      if (q.length !== this.dim) throw new RangeError(`HnswRetriever: query of length ${q.length}, expected ${this.dim}`);
      if (take === 0) return { ids: new Int32Array(0), scores: new Float32Array(0) };
      for (let d = 0; d < this.dim; d++) point[d] = q[d];
      const { neighbors, distances } = this.index.searchKnn(point, take);
      const ids = new Int32Array(neighbors.length);
      const scores = new Float32Array(neighbors.length);
      for (let r = 0; r < neighbors.length; r++) {
        ids[r] = this.ids[neighbors[r]];
        scores[r] = 1 - distances[r]; // 'ip' distance is 1 − inner product
      }
      return { ids, scores };
    });
  }
}

/** hnswlib reads and writes a graph only through a file: one in a folder of its own, removed after. */
function throughFile<T>(use: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'recloop-hnsw-'));
  try {
    return use(join(dir, 'graph.bin'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

