/**
 * ANN retrieval at catalog scale: HNSW (hnswlib-node, space 'ip') and an inverted file (IVF)
 * against exact brute force, on clustered, low-rank (learned-like) and random unit vectors
 * (HNSW's worst case). Prints build time, recall@100 against exact search and ms per query, for
 * HNSW at several ef_search values, IVF at several probes, and exact search batched and one
 * query at a time.
 *
 *   npx tsx bench/ann.ts                       # 100k items, dim 32, 200 queries
 *   npx tsx bench/ann.ts --items 20000 --queries 100
 */
import { parseArgs } from 'node:util';
import { ExactRetriever } from '../src/recommender/retrieval/exact.js';
import { HnswRetriever } from '../src/recommender/retrieval/hnsw.js';
import { defaultLists, IvfRetriever } from '../src/recommender/retrieval/ivf.js';
import { Rng } from '../src/rng/index.js';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '200' },
    dim: { type: 'string', default: '32' },
    m: { type: 'string', default: '16' },
    'ef-construction': { type: 'string', default: '100' },
  },
});
const ITEMS = Number(values.items);
const QUERIES = Number(values.queries);
const DIM = Number(values.dim);
const M = Number(values.m);
const EF_CONSTRUCTION = Number(values['ef-construction']);
const EF_SEARCH = [100, 200, 400];
const PROBES = [8, 16, 32];
const K = 100;

type Shape = 'clustered' | 'low-rank' | 'random';

/**
 * n unit vectors. clustered: 64 random centres plus noise as large as the centres' own spread;
 * low-rank: an 8-dimensional latent mapped linearly into DIM dimensions, plus 10% noise (a
 * model fed by a few topics and creators produces such vectors); random: isotropic.
 */
function unitVectors(n: number, shape: Shape, rng: Rng): Float32Array {
  const centres = Array.from({ length: 64 }, () => Float32Array.from({ length: DIM }, () => rng.normal()));
  const LATENT = 8;
  const mixing = Float32Array.from({ length: LATENT * DIM }, () => rng.normal());
  const out = new Float32Array(n * DIM);
  const z = new Float32Array(LATENT);
  for (let i = 0; i < n; i++) {
    const c = centres[rng.int(centres.length)];
    for (let l = 0; l < LATENT; l++) z[l] = rng.normal();
    let norm = 0;
    for (let d = 0; d < DIM; d++) {
      let v: number;
      if (shape === 'clustered') v = c[d] + rng.normal();
      else if (shape === 'random') v = rng.normal();
      else {
        v = 0.1 * Math.sqrt(LATENT) * rng.normal();
        for (let l = 0; l < LATENT; l++) v += z[l] * mixing[l * DIM + d];
      }
      out[i * DIM + d] = v;
      norm += v * v;
    }
    for (let d = 0; d < DIM; d++) out[i * DIM + d] /= Math.sqrt(norm);
  }
  return out;
}

function recall(found: { ids: Int32Array }[], truth: { ids: Int32Array }[]): number {
  let hits = 0;
  let total = 0;
  found.forEach((f, q) => {
    const want = new Set(truth[q].ids);
    for (const id of f.ids) if (want.has(id)) hits++;
    total += truth[q].ids.length;
  });
  return hits / total;
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

function runCase(name: string, shape: Shape): void {
  const rng = new Rng(`bench-ann/${shape}`);
  const vectors = unitVectors(ITEMS, shape, rng);
  const queryVectors = unitVectors(QUERIES, shape, rng);
  const queries = Array.from({ length: QUERIES }, (_, q) => queryVectors.subarray(q * DIM, (q + 1) * DIM));
  const ids = Int32Array.from({ length: ITEMS }, (_, i) => i);

  const exact = new ExactRetriever(ids, vectors, DIM);
  const batched = timed(() => exact.search(queries, K));
  const singleCount = Math.min(QUERIES, 50);
  const single = timed(() => queries.slice(0, singleCount).map((q) => exact.search([q], K)[0]));
  const truth = batched.value;
  console.log(`\n${name}: ${ITEMS.toLocaleString('en')} items, dim ${DIM}, ${QUERIES} queries, k ${K}`);
  console.log(`  exact   batched ${(batched.ms / QUERIES).toFixed(2)} ms/query, single ${(single.ms / singleCount).toFixed(2)} ms/query`);

  const build = timed(() => new HnswRetriever(ids, vectors, DIM, { m: M, efConstruction: EF_CONSTRUCTION, efSearch: EF_SEARCH[0] }));
  console.log(`  hnsw    build ${(build.ms / 1000).toFixed(1)} s (m ${M}, ef_construction ${EF_CONSTRUCTION})`);
  for (const ef of EF_SEARCH) {
    const index = new HnswSearchAt(build.value, ef);
    const run = timed(() => index.search(queries));
    const one = timed(() => queries.slice(0, singleCount).map((q) => index.search([q])[0]));
    console.log(
      `  hnsw    ef_search ${String(ef).padStart(3)}: recall@${K} ${recall(run.value, truth).toFixed(4)}, ` +
        `batched ${(run.ms / QUERIES).toFixed(3)} ms/query, single ${(one.ms / singleCount).toFixed(3)} ms/query`,
    );
  }
  const lists = defaultLists(ITEMS);
  for (const probes of PROBES) {
    const ivf = timed(() => new IvfRetriever(ids, vectors, DIM, { lists, probes, seed: 1 }));
    const run = timed(() => ivf.value.search(queries, K));
    const one = timed(() => queries.slice(0, singleCount).map((q) => ivf.value.search([q], K)[0]));
    console.log(
      `  ivf     ${lists} lists, probes ${String(probes).padStart(2)}: build ${(ivf.ms / 1000).toFixed(1)} s, recall@${K} ${recall(run.value, truth).toFixed(4)}, ` +
        `batched ${(run.ms / QUERIES).toFixed(3)} ms/query, single ${(one.ms / singleCount).toFixed(3)} ms/query`,
    );
  }
}

/** Re-uses one built graph at another ef_search (hnswlib's ef is a search-time setting). */
class HnswSearchAt {
  constructor(
    private readonly index: HnswRetriever,
    private readonly ef: number,
  ) {}

  search(queries: Float32Array[]): { ids: Int32Array; scores: Float32Array }[] {
    this.index.setEfSearch(this.ef);
    return this.index.search(queries, K);
  }
}

console.log(`bench/ann.ts  node ${process.version}`);
runCase('clustered (64 centres, noise as large as their spread)', 'clustered');
runCase('low-rank (8-d latent in 32-d, learned-like)', 'low-rank');
runCase('random (isotropic, the worst case)', 'random');
